package dev.roleproof.stack;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** External tools the stack tests run (cfn-lint, python3 with samtranslator, make), and the repository root. */
final class Tools {

    private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();

    private Tools() {}

    /** The project root (surefire passes it; the module's ../.. otherwise). */
    static Path root() {
        String root = System.getProperty("roleproof.root");
        return (root != null ? Path.of(root) : Path.of("..", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** The tool on PATH, or the calling test is skipped with one line saying what is missing. */
    static Path require(String name, String howToGet) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        skip(name + " is not on PATH: " + howToGet);
        return null;
    }

    /** Skips the calling test with one line, also printed (surefire shows no skip reasons on the console). */
    static void skip(String reason) {
        if (PRINTED.add(reason)) {
            System.err.println("[SKIPPED] " + reason);
        }
        assumeTrue(false, reason);
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
