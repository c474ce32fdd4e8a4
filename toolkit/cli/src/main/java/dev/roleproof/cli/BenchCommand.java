package dev.roleproof.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.cli.oracle.IamSimulate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code roleproof bench}: speed figures measured against baselines in the same run. For now the engine part (issue
 * 3); the functions and check parts of issue 7 join this command later.
 */
@Command(name = "bench",
    mixinStandardHelpOptions = true,
    description = {"Measures RoleProof against baselines in the same run and prints the figures.",
        "engine: decisions/s on one thread vs @cloud-copilot/iam-simulate on the same",
        "  generated cases (goal >= 50x), also per CPU second of each process;",
        "eval: `roleproof eval` cases/s end to end on simple cases, once warm",
        "  (goal >= 100,000/s).",
        "Each figure is the best of 5 timed rounds, so load from other processes",
        "disturbs it least. The oracle needs node and npm; it is installed into",
        "--oracle-dir on first use. --format: text (default) or json."})
public final class BenchCommand implements Callable<Integer> {

  @ParentCommand
  RoleProofCommand root;

  @Mixin
  CommonOptions common;

  @Option(names = "--cases", defaultValue = "2000", description = "Generated cases per side (default: ${DEFAULT-VALUE}).")
  int cases;

  @Option(names = "--seconds", defaultValue = "3", description = "Time for each figure, after its warm-up "
      + "(default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--seed", defaultValue = "7", description = "Case generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--eval-lines", defaultValue = "50000",
      description = "Simple cases per eval pass (default: ${DEFAULT-VALUE}).")
  int evalLines;

  @Option(names = "--oracle-dir", paramLabel = "DIR",
      description = "Where iam-simulate is installed (default: iam-simulate next to roleproof.jar).")
  Path oracleDir;

  @Option(names = "--no-oracle", description = "Skip iam-simulate (no ratio).")
  boolean noOracle;

  @Override
  public Integer call() {
    Format format = common.format(Format.text, Format.text, Format.json);
    if (cases < 1 || seconds <= 0 || evalLines < 1) {
      throw new UserException(ExitCode.UNUSABLE, "--cases, --seconds and --eval-lines must be positive");
    }
    EngineBenchmark bench = new EngineBenchmark(cases, seconds, seed);
    Path oracle = noOracle ? null : oracleDir();
    EngineBenchmark.Result engine = bench.engineVsOracle(oracle);
    EngineBenchmark.Result simple = bench.simpleEngineVsOracle(oracle);
    EngineBenchmark.EvalThroughput eval = bench.eval(evalLines, false);
    EngineBenchmark.EvalThroughput evalExplained = bench.eval(evalLines, true);
    PrintWriter out = root.console().outWriter();
    if (format == Format.json) {
      ObjectMapper json = new ObjectMapper();
      ObjectNode doc = json.createObjectNode();
      ObjectNode e = doc.putObject("engine");
      e.put("decisionsPerSecond", Math.round(engine.decisionsPerSecond()));
      putOrNull(e, "oracleDecisionsPerSecond", engine.oracleDecisionsPerSecond(), 0);
      putOrNull(e, "ratio", engine.ratio(), 1);
      e.put("decisionsPerSecondNoExplain", Math.round(engine.decisionsPerSecondNoExplain()));
      putOrNull(e, "decisionsPerCpuSecond", engine.decisionsPerCpuSecond(), 0);
      putOrNull(e, "oracleDecisionsPerCpuSecond", engine.oracleDecisionsPerCpuSecond(), 0);
      putOrNull(e, "cpuRatio", engine.cpuRatio(), 1);
      e.put("cases", engine.cases());
      e.put("oracle", "@cloud-copilot/iam-simulate@" + IamSimulate.pinnedVersion());
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
      out.printf("        decisions/s, one thread, no explanation    %,12.0f%n", engine.decisionsPerSecondNoExplain());
      if (engine.oracleProblem() == null) {
        out.printf("oracle  iam-simulate %-8s decisions/s          %,12.0f%n", IamSimulate.pinnedVersion(),
            engine.oracleDecisionsPerSecond());
        out.printf("ratio   engine / iam-simulate                       %11.1fx  (goal >= 50x)%n", engine.ratio());
        out.printf("        per CPU second: engine %,.0f/s, iam-simulate %,.0f/s, ratio %.1fx%n",
            engine.decisionsPerCpuSecond(), engine.oracleDecisionsPerCpuSecond(), engine.cpuRatio());
      } else {
        out.println("oracle  not measured: " + engine.oracleProblem());
      }
      if (simple.oracleProblem() == null) {
        out.printf("simple  cases (eval's): engine %,.0f/s, iam-simulate %,.0f/s, ratio %.1fx (per CPU second %.1fx)%n",
            simple.decisionsPerSecond(), simple.oracleDecisionsPerSecond(), simple.ratio(), simple.cpuRatio());
      }
      out.printf("eval    cases/s end to end, --no-explain            %,12.0f  (goal >= 100,000)%n",
          eval.casesPerSecond());
      out.printf("        cases/s end to end, --explain               %,12.0f%n", evalExplained.casesPerSecond());
      out.printf("        cases per CPU second, --no-explain          %,12.0f%n", eval.casesPerCpuSecond());
      out.printf("(%d generated cases, seed %d; each figure: best of %d rounds in %.1f s, after warm-up)%n",
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

  private Path oracleDir() {
    return oracleDir != null ? oracleDir : IamSimulate.defaultDir();
  }
}
