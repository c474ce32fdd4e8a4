package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scaling benchmark's template is judged as intended (its figures are only worth something if it is). */
class CheckScalingTest {

    @Test
    void halfTheMappingsLackTheResponseTypeAndEveryChainPasses() {
        int n = 40;
        SamTemplate t = TemplateLoader.load(
                "sqs-" + n + ".yaml",
                SqsFunctionsTemplate.of(n),
                Path.of("sqs-" + n + ".yaml"),
                LoadOptions.defaults());
        Report r = Checker.create().check(t, null);
        assertThat(t.functions()).hasSize(n);
        assertThat(r.patterns()).hasSize(n).allMatch(p -> p.verdict() == Verdict.PASS);
        assertThat(r.findings())
                .filteredOn(f -> f.rule().equals("batch-item-failures"))
                .hasSize(n / 2);
    }
}
