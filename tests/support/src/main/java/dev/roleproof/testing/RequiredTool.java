package dev.roleproof.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An external tool a test needs (moto_server, cfn-lint, sam, python, iam-simulate, make, node...). The project's
 * pinned tools come from {@code tools/ensure}, which installs them on first use; others from PATH. When a tool cannot
 * be had, the test is skipped with one line on a developer's machine, and fails with that line under {@code CI=true}:
 * CI never passes with a test silently not run.
 */
public final class RequiredTool {

    private static final List<String> PINNED = List.of("moto_server", "cfn-lint", "sam", "python", "iam-simulate");
    private static final Map<String, Optional<Path>> FOUND = new ConcurrentHashMap<>();
    private static final Map<String, String> WHY_MISSING = new ConcurrentHashMap<>();

    private RequiredTool() {}

    /** The tool's path, or the calling test is skipped (failed under CI=true) with one line naming the tool. */
    public static Path require(String tool) {
        Optional<Path> path = find(tool);
        if (path.isPresent()) {
            return path.get();
        }
        missing(tool + " is needed by this test: " + WHY_MISSING.get(tool));
        return null; // not reached
    }

    /** Skips the calling test with {@code reason}, or fails it under CI=true. */
    public static void missing(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("[CI] " + reason);
        }
        System.err.println("[SKIPPED] " + reason);
        Assumptions.abort(reason);
    }

    /** The tool's path if it is there or could be installed; never skips. */
    public static Optional<Path> find(String tool) {
        return FOUND.computeIfAbsent(tool, t -> PINNED.contains(t) ? ensure(t) : onPath(t));
    }

    /** The repository: -Droleproof.root (the build sets it), else the first parent of the working dir with tools/. */
    public static Path root() {
        String property = System.getProperty("roleproof.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/ensure"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (no tools/ensure above the working dir)");
    }

    private static Optional<Path> ensure(String tool) {
        try {
            Path err = Files.createTempFile("ensure-", ".err");
            Process process = new ProcessBuilder(
                            "bash", root().resolve("tools/ensure").toString(), "which", tool)
                    .redirectError(err.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(err);
            lines.forEach(System.err::println); // install progress, when there was any
            if (exit == 0 && !out.isEmpty()) {
                return Optional.of(Path.of(out));
            }
            WHY_MISSING.put(tool, lines.isEmpty() ? "tools/ensure exit " + exit : lines.get(lines.size() - 1));
            return Optional.empty();
        } catch (IOException e) {
            WHY_MISSING.put(tool, "cannot run tools/ensure: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WHY_MISSING.put(tool, "interrupted");
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, tool);
                if (!dir.isEmpty() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        WHY_MISSING.put(tool, tool + " is not on PATH");
        return Optional.empty();
    }
}
