package dev.roleproof.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.check.Checker;
import dev.roleproof.check.Report;
import dev.roleproof.cli.Format;
import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.TemplateLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Renderer details the command tests do not reach: colours on demand, Mermaid escaping, relative SARIF URIs. */
class RenderersTest {

    private static Report report;
    private static Path root;

    @BeforeAll
    static void load() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null
                && !(Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("toolkit")))) {
            p = p.getParent();
        }
        root = p;
        report = Checker.create()
                .check(
                        TemplateLoader.load(root.resolve("template.yaml"), LoadOptions.defaults()),
                        TemplateLoader.load(
                                root.resolve("target-account/template.yaml"),
                                LoadOptions.defaults().withAccount("222222222222")));
    }

    private static String render(Renderer r) {
        StringWriter s = new StringWriter();
        r.render(report, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void textColoursOnlyWhenAsked() {
        assertThat(render(Renderers.forFormat(Format.text, true, root))).contains("\u001b[32mPASS");
        assertThat(render(Renderers.forFormat(Format.text, false, root))).doesNotContain("\u001b[");
    }

    @Test
    void textGroupsBsFindingUnderTheCrossAccountPattern() {
        String text = render(Renderers.forFormat(Format.text, false, root));
        int pattern = text.indexOf("cross-account  CrossAccountReaderFunction");
        int finding = text.indexOf("[unused-grant] TargetReaderRole");
        assertThat(pattern).isNotNegative();
        assertThat(finding).isGreaterThan(pattern);
        assertThat(text).doesNotContain("other findings");
    }

    @Test
    void mermaidLabelsAreEscaped() {
        String m = render(Renderers.forFormat(Format.mermaid, false, root));
        // Log stream names carry [$LATEST] and would break a node label unescaped.
        assertThat(m).doesNotContain("[$LATEST]");
        assertThat(MermaidRenderer.escape("a\"b[c]<d>")).isEqualTo("a#quot;b#91;c#93;#lt;d#gt;");
        assertThat(m).contains("role roleproof-target-reader (222222222222)");
    }

    @Test
    void sarifUrisAreRelativeToTheBase() {
        SarifRenderer s = new SarifRenderer(root);
        assertThat(s.uri(root.resolve("target-account/template.yaml"))).isEqualTo("target-account/template.yaml");
        assertThat(s.uri(Path.of("/elsewhere/t.yaml"))).startsWith("file:/");
    }
}
