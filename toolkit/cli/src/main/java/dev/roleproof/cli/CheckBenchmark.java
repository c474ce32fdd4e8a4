package dev.roleproof.cli;

import dev.roleproof.check.Checker;
import dev.roleproof.check.Report;
import dev.roleproof.local.tools.ProjectTools;
import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.TemplateLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of `check` on a template against `cfn-lint` on the same template, measured in the same run (goal: check
 * at least 5x faster). Reusable by `roleproof bench`. Two ways to time check: a command line run as a process each
 * time (e.g. {@code java -jar roleproof.jar check template.yaml}: the fair comparison with cfn-lint, which is a
 * process too), or in this JVM (load + judge, after a first cold run). Each figure is the median of its runs.
 */
public final class CheckBenchmark {

    /** Seconds for one check, seconds for one cfn-lint, and cfnLintSeconds / seconds. */
    public record Result(double seconds, double cfnLintSeconds, double ratio) {}

    private CheckBenchmark() {}

    /**
     * @param checkCommand the command line that runs check as a process; null to time check in this JVM
     * @param runs runs of check
     * @param cfnLintRuns runs of cfn-lint (seconds each)
     * @throws ProjectTools.ToolMissingException when the project's cfn-lint cannot be had
     * @throws IllegalStateException when cfn-lint fails to run
     */
    public static Result run(Path template, Path target, List<String> checkCommand, int runs, int cfnLintRuns) {
        Path cfnLint = ProjectTools.locate("cfn-lint");
        double check = checkCommand == null ? inProcess(template, target, runs) : process(checkCommand, runs, 2);
        List<String> lint = List.of(cfnLint.toString(), template.toString());
        double cfn = process(lint, cfnLintRuns, 1);
        return new Result(check, cfn, cfn / check);
    }

    /** Median seconds of load + check in this JVM, after one untimed cold run. */
    static double inProcess(Path template, Path target, int runs) {
        once(template, target);
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            once(template, target);
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        return median(t);
    }

    private static Report once(Path template, Path target) {
        return Checker.create()
                .check(
                        TemplateLoader.load(template, LoadOptions.defaults()),
                        target == null
                                ? null
                                : TemplateLoader.load(
                                        target, LoadOptions.defaults().withAccount("222222222222")));
    }

    /**
     * Median wall seconds of running {@code command} {@code runs} times (output discarded). {@code failure} is the
     * exit code that means the tool could not run (check: 2; cfn-lint: 1, as 2/4/8 report findings); codes above
     * 31 always do.
     */
    static double process(List<String> command, int runs, int failure) {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try {
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not finish in 120 s");
                }
                if (p.exitValue() == failure || p.exitValue() > 31) {
                    throw new IllegalStateException(String.join(" ", command) + " failed with exit " + p.exitValue());
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        return median(t);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
