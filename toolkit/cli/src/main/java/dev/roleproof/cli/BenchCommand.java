package dev.roleproof.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.cli.oracle.IamSimulate;
import dev.roleproof.local.FunctionBench;
import dev.roleproof.local.LocalException;
import dev.roleproof.local.LocalOptions;
import dev.roleproof.local.tools.ProjectTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code roleproof bench}: speed figures measured against baselines in the same run (issue 7): the functions (zip
 * size, cold start vs a sam init style baseline, self-check share), the engine (vs iam-simulate) and check (vs
 * cfn-lint).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures RoleProof against baselines in the same run and prints the figures.",
            "engine: decisions/s on one thread vs @cloud-copilot/iam-simulate on the same",
            "  generated cases (goal >= 50x), also per CPU second of each process;",
            "eval: `roleproof eval` cases/s end to end on simple cases, once warm",
            "  (goal >= 100,000/s).",
            "functions: zip bytes (goal <= 8 MB); fresh JVM -> first event handled against moto,",
            "  median of --runs, vs toolkit/bench-baselines' sam init style handler (goal <= 0.7x);",
            "  self-check share: what it adds to that cold start, measured against the same",
            "  function with ROLEPROOF_SELF_CHECK=off (goal <= 15%%); and the same after SnapStart's",
            "  priming hooks, timed from an emulated restore (moto: installed on first use).",
            "check: `roleproof check` on the reference template vs cfn-lint (goal >= 5x).",
            "Each figure is the best of 5 timed rounds, so load from other processes",
            "disturbs it least. The oracle needs node and npm; tools/ensure installs",
            "its pinned release on first use. --format: text (default) or json."
        })
public final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    RoleProofCommand root;

    @Mixin
    CommonOptions common;

    @Option(
            names = "--cases",
            defaultValue = "2000",
            description = "Generated cases per side (default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "Time for each figure, after its warm-up " + "(default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "7", description = "Case generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--eval-lines",
            defaultValue = "50000",
            description = "Simple cases per eval pass (default: ${DEFAULT-VALUE}).")
    int evalLines;

    @Option(names = "--no-oracle", description = "Skip iam-simulate (no ratio).")
    boolean noOracle;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description =
                    "Fresh JVMs per function and per baseline; check and cfn-lint runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Project root: template.yaml, events/, functions/ (default: the current directory).")
    Path projectRoot;

    @Option(names = "--skip-functions", description = "Skip the functions part (the slowest).")
    boolean skipFunctions;

    @Option(names = "--skip-engine", description = "Skip the engine and eval parts.")
    boolean skipEngine;

    @Option(names = "--skip-check", description = "Skip the check part.")
    boolean skipCheck;

    @Override
    public Integer call() {
        Format format = common.format(Format.text, Format.text, Format.json);
        if (cases < 1 || seconds <= 0 || evalLines < 1) {
            throw new UserException(ExitCode.UNUSABLE, "--cases, --seconds and --eval-lines must be positive");
        }
        if (runs < 1) {
            throw new UserException(ExitCode.UNUSABLE, "--runs must be positive");
        }
        Path rootDir = projectRoot.toAbsolutePath().normalize();
        PrintWriter out = root.console().outWriter();
        List<FunctionBench.Result> functions = null;
        if (!skipFunctions) {
            try {
                functions = FunctionBench.run(LocalOptions.defaults(rootDir), runs, line -> {});
            } catch (LocalException e) {
                throw new UserException(ExitCode.UNUSABLE, "bench functions: " + e.getMessage());
            }
        }
        CheckBenchmark.Result check = null;
        if (!skipCheck) {
            check = checkBench(rootDir);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode();
        if (functions != null) {
            ArrayNode fs = doc.putArray("functions");
            for (FunctionBench.Result r : functions) {
                ObjectNode f = fs.addObject();
                f.put("name", r.name());
                f.put("zipBytes", r.zipBytes());
                putOrNull(f, "coldStartMs", r.coldStartMs(), 0);
                putOrNull(f, "baselineMs", r.baselineMs(), 0);
                putOrNull(f, "coldStartRatio", r.coldStartRatio(), 2);
                putOrNull(f, "selfCheckShare", r.selfCheckShare(), 3);
                putOrNull(f, "selfCheckAddedMs", r.selfCheckAddedMs(), 0);
                putOrNull(f, "coldStartWithoutSelfCheckMs", r.withoutSelfCheckMs(), 0);
                // Its own wall time from init to its report; it overlaps the rest, so it is not its cost.
                putOrNull(f, "selfCheckMs", r.selfCheckMs(), 0);
                // After the response (the self-check's Lambda extension): the environment's billed time, not the
                // caller's wait.
                putOrNull(f, "afterResponseMs", r.afterResponseMs(), 0);
                // SnapStart emulated: priming hooks run after init; timed from the restore, whose own time is not
                // included.
                ObjectNode snap = f.putObject("snapStart");
                putOrNull(snap, "firstEventMs", r.snapStartMs(), 0);
                putOrNull(snap, "withoutSelfCheckMs", r.snapStartWithoutSelfCheckMs(), 0);
                putOrNull(snap, "selfCheckShare", r.snapStartSelfCheckShare(), 3);
                f.put("handled", r.handled());
                f.put("baselineHandled", r.baselineHandled());
            }
            if (format != Format.json) {
                out.println("functions                     zip bytes  cold ms  baseline ms  ratio  self-check off ms"
                        + "  self-check share");
                for (FunctionBench.Result r : functions) {
                    out.printf(
                            "  %-26s %10d %8.0f %12.0f %6.2f %18.0f %16.1f%%%s%n",
                            r.name(),
                            r.zipBytes(),
                            r.coldStartMs(),
                            r.baselineMs(),
                            r.coldStartRatio(),
                            r.withoutSelfCheckMs(),
                            100 * r.selfCheckShare(),
                            r.handled() && r.baselineHandled() ? "" : "  (an invocation failed)");
                }
                out.printf(
                        "  (goals: zip <= 8 MB, ratio <= 0.7, self-check <= 15%%; median of %d fresh JVMs each)%n",
                        runs);
                out.println(
                        "  after the response (the self-check's report, made by its Lambda extension: billed, not waited for):");
                for (FunctionBench.Result r : functions) {
                    out.printf("  %-26s %5.0f ms%n", r.name(), r.afterResponseMs());
                }
                out.println("  SnapStart, emulated (priming hooks run; Lambda's restore time is not included):");
                for (FunctionBench.Result r : functions) {
                    out.printf(
                            "  %-26s first event %5.0f ms after restore, self-check off %5.0f ms, self-check share %5.1f%%%n",
                            r.name(),
                            r.snapStartMs(),
                            r.snapStartWithoutSelfCheckMs(),
                            100 * r.snapStartSelfCheckShare());
                }
            }
        }
        if (check != null) {
            ObjectNode c = doc.putObject("check");
            putOrNull(c, "seconds", check.seconds(), 3);
            putOrNull(c, "cfnLintSeconds", check.cfnLintSeconds(), 3);
            putOrNull(c, "ratio", check.ratio(), 1);
            if (format != Format.json) {
                out.printf(
                        "check   %.3f s, cfn-lint %.3f s, ratio %.1fx  (goal >= 5x)%n",
                        check.seconds(), check.cfnLintSeconds(), check.ratio());
            }
        }
        if (skipEngine) {
            if (format == Format.json) {
                out.println(doc);
            }
            out.flush();
            return ExitCode.OK.code();
        }
        EngineBenchmark bench = new EngineBenchmark(cases, seconds, seed);
        boolean oracle = !noOracle;
        EngineBenchmark.Result engine = bench.engineVsOracle(oracle);
        EngineBenchmark.Result simple = bench.simpleEngineVsOracle(oracle);
        EngineBenchmark.EvalThroughput eval = bench.eval(evalLines, false);
        EngineBenchmark.EvalThroughput evalExplained = bench.eval(evalLines, true);
        if (format == Format.json) {
            ObjectNode e = doc.putObject("engine");
            e.put("decisionsPerSecond", Math.round(engine.decisionsPerSecond()));
            putOrNull(e, "oracleDecisionsPerSecond", engine.oracleDecisionsPerSecond(), 0);
            putOrNull(e, "ratio", engine.ratio(), 1);
            e.put("decisionsPerSecondNoExplain", Math.round(engine.decisionsPerSecondNoExplain()));
            putOrNull(e, "decisionsPerCpuSecond", engine.decisionsPerCpuSecond(), 0);
            putOrNull(e, "oracleDecisionsPerCpuSecond", engine.oracleDecisionsPerCpuSecond(), 0);
            putOrNull(e, "cpuRatio", engine.cpuRatio(), 1);
            e.put("cases", engine.cases());
            e.put("oracle", "@cloud-copilot/iam-simulate@" + oracleVersion());
            if (engine.oracleProblem() != null) {
                e.put("oracleProblem", engine.oracleProblem());
            }
            ObjectNode sc = e.putObject("simpleCases");
            sc.put("decisionsPerSecond", Math.round(simple.decisionsPerSecond()));
            putOrNull(sc, "oracleDecisionsPerSecond", simple.oracleDecisionsPerSecond(), 0);
            putOrNull(sc, "ratio", simple.ratio(), 1);
            putOrNull(sc, "cpuRatio", simple.cpuRatio(), 1);
            ObjectNode v = doc.putObject("eval");
            v.put("casesPerSecond", Math.round(eval.casesPerSecond()));
            v.put("casesPerSecondWithExplain", Math.round(evalExplained.casesPerSecond()));
            putOrNull(v, "casesPerCpuSecond", eval.casesPerCpuSecond(), 0);
            out.println(doc);
        } else {
            out.printf("engine  decisions/s, one thread, with explanation  %,12.0f%n", engine.decisionsPerSecond());
            out.printf(
                    "        decisions/s, one thread, no explanation    %,12.0f%n",
                    engine.decisionsPerSecondNoExplain());
            if (engine.oracleProblem() == null) {
                out.printf(
                        "oracle  iam-simulate %-8s decisions/s          %,12.0f%n",
                        oracleVersion(), engine.oracleDecisionsPerSecond());
                out.printf(
                        "ratio   engine / iam-simulate                       %11.1fx  (goal >= 50x)%n", engine.ratio());
                out.printf(
                        "        per CPU second: engine %,.0f/s, iam-simulate %,.0f/s, ratio %.1fx%n",
                        engine.decisionsPerCpuSecond(), engine.oracleDecisionsPerCpuSecond(), engine.cpuRatio());
            } else {
                out.println("oracle  not measured: " + engine.oracleProblem());
            }
            if (simple.oracleProblem() == null) {
                out.printf(
                        "simple  cases (eval's): engine %,.0f/s, iam-simulate %,.0f/s, ratio %.1fx (per CPU second %.1fx)%n",
                        simple.decisionsPerSecond(),
                        simple.oracleDecisionsPerSecond(),
                        simple.ratio(),
                        simple.cpuRatio());
            }
            out.printf(
                    "eval    cases/s end to end, --no-explain            %,12.0f  (goal >= 100,000)%n",
                    eval.casesPerSecond());
            out.printf("        cases/s end to end, --explain               %,12.0f%n", evalExplained.casesPerSecond());
            out.printf("        cases per CPU second, --no-explain          %,12.0f%n", eval.casesPerCpuSecond());
            out.printf(
                    "(%d generated cases, seed %d; each figure: best of %d rounds in %.1f s, after warm-up)%n",
                    engine.cases(), seed, EngineBenchmark.ROUNDS, seconds);
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static void putOrNull(ObjectNode node, String field, double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * Math.pow(10, decimals)) / Math.pow(10, decimals));
        }
    }

    /** check as the user runs it (the launcher) when the jar is built, else in this JVM; cfn-lint as a process. */
    private CheckBenchmark.Result checkBench(Path rootDir) {
        Path template = rootDir.resolve("template.yaml");
        Path target = rootDir.resolve("target-account/template.yaml");
        Path launcher = rootDir.resolve("roleproof");
        List<String> command =
                Files.isExecutable(launcher) && Files.isRegularFile(rootDir.resolve("toolkit/cli/target/roleproof.jar"))
                        ? List.of(launcher.toString(), "check", template.toString(), "--target", target.toString())
                        : null;
        try {
            return CheckBenchmark.run(template, target, command, runs, runs);
        } catch (IllegalStateException | ProjectTools.ToolMissingException e) {
            throw new UserException(ExitCode.UNUSABLE, "bench check: " + e.getMessage());
        }
    }

    private String oracleVersion() {
        try {
            return noOracle ? "(skipped)" : IamSimulate.locate().version();
        } catch (UserException e) {
            return "(not installed)";
        }
    }
}
