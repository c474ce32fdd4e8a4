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
 * {@code roleproof bench}: speed figures measured against baselines in the same run: the functions (zip size, cold
 * start and the first event after an emulated SnapStart restore vs sam init style baselines, the self-check's share),
 * the engine (vs iam-simulate) and check (vs cfn-lint).
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
            "functions: each against its sam init style baseline (toolkit/bench-baselines: the same",
            "  AWS work, default HTTP clients), median of --runs fresh JVMs, side by side:",
            "  zip <= 10 MB and <= 0.6x the baseline's; on-demand cold start (fresh JVM -> first",
            "  event handled, against moto) <= 0.8x the baseline's; first event after an emulated",
            "  SnapStart restore (beforeCheckpoint/afterRestore hooks run; Lambda's restore time not",
            "  included) <= 0.3x the on-demand cold start; the self-check's share of that first",
            "  event <= 10%% (measured against ROLEPROOF_SELF_CHECK=off). On demand its report comes",
            "  before the response: its cost is printed, with no goal (moto: installed on first use).",
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
                f.put("baselineZipBytes", r.baselineZipBytes());
                putOrNull(f, "zipRatio", r.zipRatio(), 2);
                putOrNull(f, "coldStartMs", r.coldStartMs(), 0);
                putOrNull(f, "baselineMs", r.baselineMs(), 0);
                putOrNull(f, "coldStartRatio", r.coldStartRatio(), 2);
                // On demand the report comes before the response: its cost, no goal.
                putOrNull(f, "coldStartWithoutSelfCheckMs", r.withoutSelfCheckMs(), 0);
                putOrNull(f, "selfCheckAddedMs", r.selfCheckAddedMs(), 0);
                putOrNull(f, "selfCheckShare", r.selfCheckShare(), 3);
                ObjectNode snap = f.putObject("snapStart");
                putOrNull(snap, "firstEventMs", r.snapStartMs(), 0);
                putOrNull(snap, "withoutSelfCheckMs", r.snapStartWithoutSelfCheckMs(), 0);
                putOrNull(snap, "restoreRatio", r.restoreRatio(), 2);
                putOrNull(snap, "selfCheckShare", r.snapStartSelfCheckShare(), 3);
                ArrayNode missed = f.putArray("missed");
                r.missed().forEach(missed::add);
                f.put("handled", r.handled());
                f.put("baselineHandled", r.baselineHandled());
            }
            if (format != Format.json) {
                out.println("functions                   zip bytes  baseline   ratio | cold ms  baseline  ratio"
                        + " | restore ms  ratio  self-check | on demand self-check");
                for (FunctionBench.Result r : functions) {
                    out.printf(
                            "  %-24s %10d %9d %6.2f | %7.0f %9.0f %6.2f | %10.0f %6.2f %10.1f%% | %5.0f ms %5.1f%%%s%n",
                            r.name(),
                            r.zipBytes(),
                            r.baselineZipBytes(),
                            r.zipRatio(),
                            r.coldStartMs(),
                            r.baselineMs(),
                            r.coldStartRatio(),
                            r.snapStartMs(),
                            r.restoreRatio(),
                            100 * r.snapStartSelfCheckShare(),
                            r.selfCheckAddedMs(),
                            100 * r.selfCheckShare(),
                            r.handled() && r.baselineHandled() ? "" : "  (an invocation failed)");
                }
                out.printf(
                        "  (goals: zip <= 10 MB and ratio <= %.1f; cold start ratio <= %.1f; restore ratio <= %.1f;"
                                + " self-check after restore <= %.0f%%; median of %d fresh JVMs each)%n",
                        FunctionBench.ZIP_RATIO_MAX,
                        FunctionBench.COLD_START_RATIO_MAX,
                        FunctionBench.RESTORE_RATIO_MAX,
                        100 * FunctionBench.SNAPSTART_SELF_CHECK_SHARE_MAX,
                        runs);
                for (FunctionBench.Result r : functions) {
                    if (!r.missed().isEmpty()) {
                        out.printf("  %s misses: %s%n", r.name(), String.join("; ", r.missed()));
                    }
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
