package dev.roleproof.stack;

import dev.roleproof.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** External tools the stack tests run (cfn-lint, sam, the project Python with samtranslator, make), and the root. */
final class Tools {

    private Tools() {}

    /** The project root. */
    static Path root() {
        return RequiredTool.root();
    }

    /** The tool (the project's pinned copy first, then PATH), or the calling test skips (fails under CI=true). */
    static Path require(String name) {
        return RequiredTool.require(name);
    }

    /** Skips the calling test with one line (fails it under CI=true). */
    static void skip(String reason) {
        RequiredTool.missing(reason);
    }

    record Result(int exitCode, String stdout, String stderr) {
        String both() {
            return stdout + stderr;
        }
    }

    /** Runs a command to completion (bounded), capturing stdout and stderr in files (no pipe can fill up). */
    static Result run(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("stack-test-", ".out");
            Path err = Files.createTempFile("stack-test-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            Result result = new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
