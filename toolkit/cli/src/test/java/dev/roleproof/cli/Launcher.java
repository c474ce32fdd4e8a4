package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs ./roleproof (the launcher at the repository root, on the jar the package phase built) as a user does. */
final class Launcher {

    private Launcher() {}

    record Run(int exit, String out, String err, double seconds) {}

    static Path script() {
        Path p = CheckCommandTest.root().resolve("roleproof");
        assertThat(p).as("the launcher").isExecutable();
        assertThat(CheckCommandTest.root().resolve("toolkit/cli/target/roleproof.jar"))
                .as("the jar (built by the package phase, before the integration tests)")
                .isRegularFile();
        return p;
    }

    /**
     * Runs the launcher with {@code env} added (a value of null removes the variable), stdin from {@code stdin} (null:
     * none), within {@code timeoutSeconds}.
     */
    static Run run(Map<String, String> env, File stdin, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(CheckCommandTest.root().toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile("roleproof-out", ".txt");
        Path err = Files.createTempFile("roleproof-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(
                stdin == null
                        ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(stdin));
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(
                        "roleproof " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    seconds);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
