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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Speed figures for the engine, measured side by side in one run (issue 3; reused by {@code roleproof bench},
 * issue 7): decisions per second of the engine on one thread against iam-simulate on the same generated cases, and
 * {@code eval} cases per second end to end (bytes in, bytes out) once warm. Prints nothing, asserts nothing.
 */
public final class EngineBenchmark {

  /** The engine against the oracle; oracle figures are NaN when iam-simulate could not run (see oracleProblem). */
  public record Result(double decisionsPerSecond, double decisionsPerSecondNoExplain,
                       double oracleDecisionsPerSecond, double ratio, int cases, String oracleProblem) {
  }

  /** {@code eval} end to end on simple cases: bytes of JSON lines in, JSON lines out, in one warm JVM. */
  public record EvalThroughput(long cases, double seconds, double casesPerSecond, boolean explain) {
  }

  private final int caseCount;
  private final double seconds;
  private final long seed;

  /**
   * @param caseCount generated cases per side
   * @param seconds time budget of each timed loop (after its warm-up)
   * @param seed generator seed: the same seed gives the same cases
   */
  public EngineBenchmark(int caseCount, double seconds, long seed) {
    this.caseCount = caseCount;
    this.seconds = seconds;
    this.seed = seed;
  }

  /** Engine vs iam-simulate on the same generated cases; {@code oracleDir == null} skips the oracle. */
  public Result engineVsOracle(Path oracleDir) {
    List<String> lines = new ArrayList<>();
    List<AuthorizationInput> inputs = new ArrayList<>();
    EvalRunner parser = new EvalRunner(false);
    for (CaseGenerator.Case c : new CaseGenerator(seed).generate(caseCount)) {
      try {
        inputs.add(parser.parse(c.line()));
        lines.add(c.line());
      } catch (IllegalArgumentException e) {
        // A case our parser rejects is not a decision on either side; leave it out of both.
      }
    }
    double explained = engineRate(inputs, true);
    double bare = engineRate(inputs, false);
    double oracle = Double.NaN;
    String problem = null;
    if (oracleDir == null) {
      problem = "oracle skipped";
    } else {
      try {
        oracle = IamSimulate.install(oracleDir).throughput(lines, seconds).decisionsPerSecond();
      } catch (UserException e) {
        problem = e.getMessage();
      }
    }
    // Like for like: iam-simulate always builds its explain tree, so the ratio uses ours with explanation.
    return new Result(explained, bare, oracle, explained / oracle, inputs.size(), problem);
  }

  private double engineRate(List<AuthorizationInput> inputs, boolean explain) {
    Evaluator evaluator = Evaluator.create();
    long sink = 0;
    // Warm-up: let the JIT compile the evaluation path before the clock starts.
    long warmEnd = System.nanoTime() + (long) (Math.min(seconds, 2.0) * 1e9);
    while (System.nanoTime() < warmEnd) {
      for (AuthorizationInput in : inputs) {
        sink += evaluator.evaluate(in, explain).outcome().ordinal();
      }
    }
    long decisions = 0;
    long start = System.nanoTime();
    long budget = (long) (seconds * 1e9);
    long elapsed;
    do {
      for (AuthorizationInput in : inputs) {
        sink += evaluator.evaluate(in, explain).outcome().ordinal();
      }
      decisions += inputs.size();
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    if (sink == Long.MIN_VALUE) {
      System.out.print(""); // keeps the JIT from discarding the loop
    }
    return decisions / (elapsed / 1e9);
  }

  /** {@code eval} throughput on {@code lineCount} simple cases (one identity policy, few context keys). */
  public EvalThroughput eval(int lineCount, boolean explain) {
    byte[] input = simpleCases(lineCount);
    CountingSink sink = new CountingSink();
    try {
      long warmEnd = System.nanoTime() + (long) (Math.min(seconds, 2.0) * 1e9);
      while (System.nanoTime() < warmEnd) {
        new EvalRunner(explain).run(new ByteArrayInputStream(input), sink);
      }
      long cases = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        // A fresh runner each pass: its policy cache starts cold, as a new `roleproof eval` process does.
        cases += new EvalRunner(explain).run(new ByteArrayInputStream(input), sink).cases();
        elapsed = System.nanoTime() - start;
      } while (elapsed < seconds * 1e9);
      return new EvalThroughput(cases, elapsed / 1e9, cases / (elapsed / 1e9), explain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
          + "\"arn:aws:sts::111111111111:assumed-role/fn-role/fn\",\"action\":\"" + requests[k][0] + "\",\"resource\":\""
          + resource + "\",\"resourceAccount\":\"111111111111\",\"context\":{\"aws:SecureTransport\":\"true\"}},"
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
