package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correct templates in other styles than the reference's explicit roles: SAM policy templates and managed policies.
 * Every need holds, so no error finding (exit 0), although SAM's broad managed policies and its S3 permission without
 * SourceArn are reported as warnings.
 */
class StylesTest {

    @ParameterizedTest
    @ValueSource(strings = {"sam-policy-templates.yaml", "managed-policies.yaml"})
    void correctStylesHaveNoErrors(String name) throws URISyntaxException {
        Path file =
                Path.of(StylesTest.class.getResource("/check/styles/" + name).toURI());
        Report r = Checker.create().check(CheckFixtures.loadA(file), null);
        assertThat(r.hasFindingsAtLeast(Severity.ERROR))
                .as(CaseFilesTest.describe(r))
                .isFalse();
        assertThat(r.patterns())
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.verdict()).isIn(Verdict.PASS, Verdict.WARN));
        assertThat(r.patterns()).allSatisfy(p -> assertThat(p.checks()).isNotEmpty());
        System.out.println(name + ":" + CaseFilesTest.describe(r));
    }
}
