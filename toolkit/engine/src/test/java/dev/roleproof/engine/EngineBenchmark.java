package dev.roleproof.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.json.CaseJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints figures, asserts nothing about speed: decisions per second on one thread for simple Lambda-pattern cases,
 * against a baseline measured in the same run (Jackson reading the same JSON line, the floor of any eval line).
 * Run: ./mvnw -B -pl toolkit/engine test -Dtest=EngineBenchmark -Droleproof.bench=true
 */
class EngineBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void benchmark() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("roleproof.bench"), "benchmark: run with -Droleproof.bench=true");
        List<String> lines = List.of(
                "{\"request\":{\"principal\":\"arn:aws:sts::111111111111:assumed-role/fn-role/fn\",\"action\":\"sqs:ReceiveMessage\","
                        + "\"resource\":\"arn:aws:sqs:us-east-1:111111111111:orders\"},\"identityPolicies\":[{\"Version\":\"2012-10-17\","
                        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:GetQueueAttributes\"],"
                        + "\"Resource\":\"arn:aws:sqs:us-east-1:111111111111:orders\"}]}]}",
                "{\"request\":{\"principal\":\"s3.amazonaws.com\",\"action\":\"lambda:InvokeFunction\",\"resource\":"
                        + "\"arn:aws:lambda:us-east-1:111111111111:function:f\",\"context\":{\"aws:SourceArn\":\"arn:aws:s3:::b\","
                        + "\"aws:SourceAccount\":\"111111111111\"}},\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                        + "\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":"
                        + "\"arn:aws:lambda:us-east-1:111111111111:function:f\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::b\"},"
                        + "\"StringEquals\":{\"aws:SourceAccount\":\"111111111111\"}}}]}}",
                "{\"request\":{\"principal\":\"arn:aws:sts::111111111111:assumed-role/reader/x\",\"action\":\"sts:AssumeRole\","
                        + "\"resource\":\"arn:aws:iam::222222222222:role/target\",\"context\":{\"sts:ExternalId\":\"e\"}},"
                        + "\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                        + "\"Resource\":\"arn:aws:iam::222222222222:role/target\"}}],\"resourcePolicy\":{\"Version\":\"2012-10-17\","
                        + "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Action\":"
                        + "\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"e\"}}}}}");
        List<AuthorizationInput> inputs = new ArrayList<>();
        for (String l : lines) {
            inputs.add(CaseJson.toInput(MAPPER.readTree(l)));
        }
        Evaluator ev = Evaluator.create();
        int n = 300_000;
        for (int round = 0; round < 3; round++) { // first rounds warm up the JIT
            long sink = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                JsonNode node = MAPPER.readTree(lines.get(i % lines.size()));
                sink += node.size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += ev.evaluate(inputs.get(i % inputs.size()), false)
                        .outcome()
                        .ordinal();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += ev.evaluate(inputs.get(i % inputs.size()), true)
                        .outcome()
                        .ordinal();
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                AuthorizationInput in = CaseJson.toInput(MAPPER.readTree(lines.get(i % lines.size())));
                sink += CaseJson.toJson(ev.evaluate(in, false)).size();
            }
            long t4 = System.nanoTime();
            if (round == 2) {
                double readTree = rate(n, t1 - t0);
                double quick = rate(n, t2 - t1);
                double explained = rate(n, t3 - t2);
                double line = rate(n, t4 - t3);
                System.out.printf("engine benchmark (one thread, %d cases, sink %d)%n", n, sink);
                System.out.printf("  baseline Jackson readTree of the line : %,12.0f /s%n", readTree);
                System.out.printf(
                        "  evaluate(input, false)                : %,12.0f /s  %5.1fx baseline, %.2f us/decision%n",
                        quick, quick / readTree, 1e6 / quick);
                System.out.printf(
                        "  evaluate(input, true) with explain    : %,12.0f /s  %5.1fx baseline%n",
                        explained, explained / readTree);
                System.out.printf(
                        "  line -> parse -> evaluate -> JSON     : %,12.0f /s  %5.2fx baseline%n",
                        line, line / readTree);
                System.out.printf(
                        "  vs iam-simulate's ~0.4 ms/decision (measured warm, `roleproof bench` prints it): evaluate(false) is ~%.0fx faster%n",
                        400.0 / (1e6 / quick));
            }
        }
    }

    private static double rate(int n, long nanos) {
        return n / (nanos / 1e9);
    }
}
