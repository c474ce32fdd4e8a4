package dev.roleproof.cli;

import dev.roleproof.cli.oracle.CaseGenerator;
import dev.roleproof.cli.oracle.IamSimulate;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Evaluator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Speed figures for the engine, measured side by side in one run (issue 3; reused by {@code roleproof bench},
 * issue 7): decisions per second of the engine on one thread against iam-simulate on the same generated cases, and
 * {@code eval} cases per second end to end (bytes in, bytes out) once warm. Prints nothing, asserts nothing.
 */
public final class EngineBenchmark {

    /**
     * The engine against the oracle, wall clock and per CPU second of each process (the CPU figures hold up when other
     * processes share the machine). Oracle figures are NaN when iam-simulate could not run (see oracleProblem).
     */
    public record Result(
            double decisionsPerSecond,
            double decisionsPerSecondNoExplain,
            double oracleDecisionsPerSecond,
            double ratio,
            double decisionsPerCpuSecond,
            double oracleDecisionsPerCpuSecond,
            double cpuRatio,
            int cases,
            String oracleProblem) {}

    /** Items per second of one figure: wall clock and per CPU second of this process (best round of each). */
    record Rate(double perSecond, double perCpuSecond) {}

    /** {@code eval} end to end on simple cases: bytes of JSON lines in, JSON lines out, in one warm JVM. */
    public record EvalThroughput(
            long cases, double seconds, double casesPerSecond, double casesPerCpuSecond, boolean explain) {}

    /** Timed rounds per figure; each figure is the best round (the least disturbed on a shared machine). */
    static final int ROUNDS = 5;

    private final int caseCount;
    private final double seconds;
    private final long seed;

    /**
     * @param caseCount generated cases per side
     * @param seconds time budget of each figure (after its warm-up), split into {@value #ROUNDS} rounds
     * @param seed generator seed: the same seed gives the same cases
     */
    public EngineBenchmark(int caseCount, double seconds, long seed) {
        this.caseCount = caseCount;
        this.seconds = seconds;
        this.seed = seed;
    }

    /** Engine vs iam-simulate on the same generated cases; {@code withOracle} false skips the oracle. */
    public Result engineVsOracle(boolean withOracle) {
        return engineVsOracle(withOracle, CaseGenerator.lines(new CaseGenerator(seed).generate(caseCount)));
    }

    /** Engine vs iam-simulate on the simple cases {@code eval}'s figure uses. */
    public Result simpleEngineVsOracle(boolean withOracle) {
        String text = new String(simpleCases(caseCount), StandardCharsets.UTF_8);
        return engineVsOracle(withOracle, List.of(text.split("\n")));
    }

    private Result engineVsOracle(boolean withOracle, List<String> caseLines) {
        List<String> lines = new ArrayList<>();
        List<AuthorizationInput> inputs = new ArrayList<>();
        EvalRunner parser = new EvalRunner(false);
        for (String line : caseLines) {
            try {
                inputs.add(parser.parse(line));
                lines.add(line);
            } catch (IllegalArgumentException e) {
                // A case our parser rejects is not a decision on either side; leave it out of both.
            }
        }
        Rate explained = engineRate(inputs, true);
        Rate bare = engineRate(inputs, false);
        double oracle = Double.NaN;
        double oracleCpu = Double.NaN;
        String problem = null;
        if (!withOracle) {
            problem = "oracle skipped";
        } else {
            try {
                IamSimulate.Throughput t = IamSimulate.locate().throughput(lines, seconds, ROUNDS);
                oracle = t.decisionsPerSecond();
                oracleCpu = t.decisionsPerCpuSecond();
            } catch (UserException e) {
                problem = e.getMessage();
            }
        }
        // Like for like: iam-simulate always builds its explain tree, so the ratio uses ours with explanation.
        return new Result(
                explained.perSecond(),
                bare.perSecond(),
                oracle,
                explained.perSecond() / oracle,
                explained.perCpuSecond(),
                oracleCpu,
                explained.perCpuSecond() / oracleCpu,
                inputs.size(),
                problem);
    }

    private Rate engineRate(List<AuthorizationInput> inputs, boolean explain) {
        Evaluator evaluator = Evaluator.create();
        long[] sink = {0};
        Runnable pass = () -> {
            for (AuthorizationInput in : inputs) {
                sink[0] += evaluator.evaluate(in, explain).outcome().ordinal();
            }
        };
        Rate rate = bestRate(pass, inputs.size());
        if (sink[0] == Long.MIN_VALUE) {
            System.out.print(""); // keeps the JIT from discarding the loop
        }
        return rate;
    }

    /**
     * Warms up, then runs {@value #ROUNDS} rounds of whole passes; returns the best round's items per second, by the
     * wall clock and per CPU second of this process (its GC and JIT threads included, as node's figure includes its own).
     */
    private Rate bestRate(Runnable pass, long itemsPerPass) {
        long warmEnd = System.nanoTime() + (long) (Math.min(seconds, 2.0) * 1e9);
        while (System.nanoTime() < warmEnd) {
            pass.run();
        }
        long roundBudget = (long) (seconds / ROUNDS * 1e9);
        double best = 0;
        double bestCpu = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long items = 0;
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            long elapsed;
            do {
                pass.run();
                items += itemsPerPass;
                elapsed = System.nanoTime() - start;
            } while (elapsed < roundBudget);
            long cpu = processCpuNanos() - cpuStart;
            best = Math.max(best, items / (elapsed / 1e9));
            if (cpu > 0) {
                bestCpu = Math.max(bestCpu, items / (cpu / 1e9));
            }
        }
        return new Rate(best, bestCpu == 0 ? Double.NaN : bestCpu);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** {@code eval} throughput on {@code lineCount} simple cases (one identity policy, few context keys). */
    public EvalThroughput eval(int lineCount, boolean explain) {
        byte[] input = simpleCases(lineCount);
        CountingSink sink = new CountingSink();
        // A fresh runner each pass: its policy cache starts cold, as a new `roleproof eval` process does.
        Runnable pass = () -> {
            try {
                new EvalRunner(explain).run(new ByteArrayInputStream(input), sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Rate rate = bestRate(pass, lineCount);
        return new EvalThroughput(lineCount, seconds, rate.perSecond(), rate.perCpuSecond(), explain);
    }

    /**
     * Simple cases as a Lambda execution role sees them: a role session asking for one SQS, DynamoDB-stream or S3
     * action, one identity policy out of a handful (so they repeat, as they do in real runs), distinct ids and resources.
     */
    public static byte[] simpleCases(int count) {
        String[] policies = {
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\","
                    + "\"sqs:DeleteMessage\",\"sqs:GetQueueAttributes\"],\"Resource\":\"arn:aws:sqs:us-east-1:111111111111:orders*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetRecords\","
                    + "\"dynamodb:GetShardIterator\",\"dynamodb:DescribeStream\"],"
                    + "\"Resource\":\"arn:aws:dynamodb:us-east-1:111111111111:table/Orders/stream/*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                    + "\"Resource\":\"arn:aws:s3:::bucket-111111111111/incoming/*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:*\","
                    + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}",
        };
        String[][] requests = {
            {"sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111111111111:orders-%d"},
            {"dynamodb:GetRecords", "arn:aws:dynamodb:us-east-1:111111111111:table/Orders/stream/2026-11-29T00:%02d"},
            {"s3:GetObject", "arn:aws:s3:::bucket-111111111111/incoming/%d.json"},
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 420);
        for (int i = 0; i < count; i++) {
            int k = i % 3;
            String resource = String.format(requests[k][1], i % 60);
            String line = "{\"id\":\"s" + i + "\",\"request\":{\"principal\":"
                    + "\"arn:aws:sts::111111111111:assumed-role/fn-role/fn\",\"action\":\"" + requests[k][0]
                    + "\",\"resource\":\""
                    + resource
                    + "\",\"resourceAccount\":\"111111111111\",\"context\":{\"aws:SecureTransport\":\"true\"}},"
                    + "\"identityPolicies\":[" + policies[k] + "]}\n";
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Discards output but counts it, so the writes cannot be optimised away. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
