package dev.roleproof.local.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RoleProof's pinned external tools (moto_server, cfn-lint, sam, the Python with samtranslator, the iam-simulate
 * oracle), found through the project's {@code tools/ensure}: it installs them into the project's environment when they
 * are missing or their pins changed, then answers with the project's copy first and PATH second. Its progress lines
 * reach the user's stderr as they come; its last line, when it fails, becomes this exception's one-line message.
 */
public final class ProjectTools {

    private static final Map<String, Path> LOCATED = new ConcurrentHashMap<>();

    private ProjectTools() {}

    /** A tool is missing and could not be installed; the message says what to do, in one line. */
    public static final class ToolMissingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ToolMissingException(String message) {
            super(message);
        }
    }

    /** The path of {@code tool}, installing the pinned tools first when needed. */
    public static Path locate(String tool) {
        Path known = LOCATED.get(tool);
        if (known != null) {
            return known;
        }
        Path script = root().map(r -> r.resolve("tools/ensure"))
                .filter(Files::isRegularFile)
                .orElseThrow(() -> new ToolMissingException(
                        "cannot find RoleProof's tools/ensure (run roleproof from its checkout) to locate " + tool));
        Path located = run(script, tool);
        LOCATED.put(tool, located);
        return located;
    }

    /**
     * The checkout this code runs from: -Droleproof.root (the build sets it for tests), else the first parent of the
     * working directory or of this class's jar that has tools/ensure.
     */
    public static Optional<Path> root() {
        String property = System.getProperty("roleproof.root");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath().normalize());
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(ProjectTools.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (Exception e) {
            // No code source (an unusual class loader): the working directory alone is searched.
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("tools/ensure"))) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static Path run(Path script, String tool) {
        Process process;
        try {
            process = new ProcessBuilder("bash", script.toString(), "which", tool)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new ToolMissingException("cannot run bash to locate " + tool + ": " + e.getMessage());
        }
        // Each stderr line is passed on when the next one arrives, so the last one can become the message instead.
        String last = null;
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                if (last != null) {
                    System.err.println(last);
                }
                last = line;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            if (exit == 0 && !out.isEmpty()) {
                if (last != null) {
                    System.err.println(last);
                }
                return Path.of(out);
            }
            String why = last == null ? tool + " could not be located (tools/ensure exit " + exit + ")" : last;
            throw new ToolMissingException(why.replaceFirst("^roleproof: ", ""));
        } catch (IOException e) {
            throw new ToolMissingException("cannot read tools/ensure's answer for " + tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new ToolMissingException("interrupted while locating " + tool);
        }
    }
}
