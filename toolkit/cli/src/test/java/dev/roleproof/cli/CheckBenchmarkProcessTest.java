package dev.roleproof.cli;

import dev.roleproof.check.CheckBenchmark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints `roleproof check` as a fresh JVM process (what a user or CI runs) against cfn-lint on the reference template
 * (goal >= 5x), with the JVM's default flags and with C1 only (-XX:TieredStopAtLevel=1, which a short run favours).
 * A benchmark: figures printed, only their sanity asserted.
 */
class CheckBenchmarkProcessTest {

    @Test
    void checkProcessVersusCfnLint() {
        Assumptions.assumeTrue(onPath("cfn-lint"), "cfn-lint is not on the PATH: benchmark skipped");
        Path a = CheckCommandTest.root().resolve("template.yaml");
        Path b = CheckCommandTest.root().resolve("target-account/template.yaml");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> flags : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RoleProofCommand.class.getName(),
                "check", a.toString(), "--target", b.toString()));
            CheckBenchmark.Result r = CheckBenchmark.run(a, b, cmd, 3, 1);
            System.out.printf("roleproof check as a process %s: %.2f s (median of 3); cfn-lint: %.2f s; ratio %.1fx"
                + " (goal >= 5x)%n", flags.isEmpty() ? "(default JVM flags)" : flags, r.seconds(),
                r.cfnLintSeconds(), r.ratio());
            assertThat(r.seconds()).isPositive();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
