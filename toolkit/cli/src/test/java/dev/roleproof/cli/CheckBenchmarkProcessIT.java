package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints `roleproof check` as a fresh JVM process (what a user or CI runs) against cfn-lint on the reference template
 * (goal >= 5x), with the JVM's default flags, with C1 only (-XX:TieredStopAtLevel=1, which a short run favours),
 * and with C1, the serial GC and an AppCDS archive of one run (what a launcher could use for check).
 * A benchmark: figures printed, only their sanity asserted.
 */
class CheckBenchmarkProcessIT {

    @Test
    void checkProcessVersusCfnLint() {
        RequiredTool.require("cfn-lint");
        Path a = CheckCommandTest.root().resolve("template.yaml");
        Path b = CheckCommandTest.root().resolve("target-account/template.yaml");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // An application class-data archive (AppCDS) of one check run, as a launcher could create at package time.
        Path archive = Path.of("target", "check-bench.jsa").toAbsolutePath();
        List<String> dump = new ArrayList<>(List.of(
                java,
                "-XX:ArchiveClassesAtExit=" + archive,
                "-cp",
                System.getProperty("java.class.path"),
                RoleProofCommand.class.getName(),
                "check",
                a.toString()));
        try {
            new ProcessBuilder(dump)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<List<String>> configurations = new ArrayList<>(List.of(List.of(), List.of("-XX:TieredStopAtLevel=1")));
        if (Files.isRegularFile(archive)) {
            configurations.add(
                    List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        } else {
            System.out.println("AppCDS figure skipped: the JVM made no archive (CDS needs a class path of jars only;"
                    + " the test class path has directories)");
        }
        for (List<String> flags : configurations) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    RoleProofCommand.class.getName(),
                    "check",
                    a.toString(),
                    "--target",
                    b.toString()));
            CheckBenchmark.Result r = CheckBenchmark.run(a, b, cmd, 3, 1);
            System.out.printf(
                    "roleproof check as a process %s: %.2f s (median of 3); cfn-lint: %.2f s; ratio %.1fx"
                            + " (goal >= 5x)%n",
                    flags.isEmpty() ? "(default JVM flags)" : flags, r.seconds(), r.cfnLintSeconds(), r.ratio());
            assertThat(r.seconds()).isPositive();
        }
    }
}
