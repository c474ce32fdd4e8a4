package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * roleproof local as a user runs it: options, exit codes, one-line errors, and a break run end to end in JSON
 * (the full four-pattern run is proven in roleproof-local's LocalRunTest; one break keeps this test short).
 */
class LocalCommandTest {

    @Test
    void listBreaksPrintsNameFirstOnePerLine() {
        Cli.Run run = Cli.run("", "local", "--list-breaks");
        assertThat(run.exit()).isZero();
        String[] lines = run.out().split("\\R");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
        assertThat(lines[0]).startsWith("sqs-no-receive ");
        assertThat(run.out()).contains("xacct-wrong-external-id", "s3-permission-other-bucket");
    }

    @Test
    void unknownBreakIsOneLineAndExit2() {
        Path root = projectRoot();
        Cli.Run run =
                Cli.run("", "local", "--template", root.resolve("template.yaml").toString(), "--break", "nope");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("unknown break 'nope'");
    }

    @Test
    void missingTemplateIsOneLineAndExit2() {
        Cli.Run run = Cli.run("", "local", "--template", "/nonexistent/template.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no such template");
    }

    @Test
    void badAccountIsExit2() {
        Cli.Run run = Cli.run("", "local", "--account", "12");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--account must be 12 digits");
    }

    @Test
    void aBreakFailsWithExit1AndJsonAsIssue6Says() throws Exception {
        Path root = projectRoot();
        assumeTrue(onPath("moto_server"), "moto_server is not on PATH: install it with pip install \"moto[server]\"");
        assumeTrue(
                Files.isDirectory(root.resolve("functions/cross-account-reader/target/lambda/lib")),
                "the functions are not built (functions/*/target/lambda): run ./mvnw -B package first");
        Cli.Run run = Cli.run(
                "",
                "local",
                "--template",
                root.resolve("template.yaml").toString(),
                "--break",
                "xacct-wrong-external-id",
                "--format",
                "json");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("FAIL");
        JsonNode pattern = json.path("patterns").get(0);
        assertThat(pattern.path("pattern").asText()).isEqualTo("cross-account");
        assertThat(pattern.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(pattern.has("selfCheck")).isTrue();
        assertThat(pattern.has("observed")).isTrue();
        assertThat(json.path("break").path("name").asText()).isEqualTo("xacct-wrong-external-id");
        // Progress goes to stderr in JSON mode, so stdout stays one JSON document.
        assertThat(run.err()).contains("moto started");
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("template.yaml"))) {
            p = p.getParent();
        }
        return p;
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null
                && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
