package dev.roleproof.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** cfn-lint (which runs the SAM transform itself) reports no error on either template. */
class CfnLintIT {

    /** cfn-lint's exit code is a bit mask: 1 fatal, 2 error, 4 warning, 8 informational. */
    private static final int FATAL_OR_ERROR = 1 | 2;

    @ParameterizedTest
    @ValueSource(strings = {"template.yaml", "target-account/template.yaml"})
    void reportsNoError(String template) {
        Path cfnLint = Tools.require("cfn-lint");

        Tools.Result result = Tools.run(
                List.of(cfnLint.toString(), "--format", "parseable", template),
                Tools.root(),
                Map.of("AWS_DEFAULT_REGION", "us-east-1"),
                Duration.ofSeconds(120));

        assertThat(result.exitCode() & FATAL_OR_ERROR)
                .as("cfn-lint " + template + ":\n" + result.both())
                .isZero();
        // Warnings are not errors, but the reference should not have any either: show them if it does.
        assertThat(result.stdout()).as("cfn-lint warnings on " + template).isEmpty();
    }
}
