package dev.roleproof.local.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.local.aws.MotoServer;
import dev.roleproof.testing.RequiredTool;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What the proxy costs per call: DynamoDB GetItem straight to moto (the baseline), through the proxy unjudged (admin)
 * and through the proxy judged by the engine, measured in the same run. Prints figures; runs only on request:
 * {@code ./mvnw -B -pl toolkit/local test -Dtest=ProxyBenchmark -Droleproof.bench=true}.
 */
@EnabledIfSystemProperty(named = "roleproof.bench", matches = "true")
class ProxyBenchmark {
    static final String A = "111111111111";
    static final String FN = "arn:aws:sts::" + A + ":assumed-role/BenchRole/bench";
    static final int WARMUP = 200;
    static final int CALLS = 1000;
    static final int ROUNDS = 10;

    @Test
    void getItemDirectVersusThroughTheProxy() {
        RequiredTool.require("moto_server");
        var policy = PolicyParser.parse("BenchRole/inline", """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
         "Resource": "arn:aws:dynamodb:us-east-1:111111111111:table/Bench"}]}""");
        PolicySource source = (caller, request) ->
                AuthorizationInput.builder(request).identityPolicy(policy).build();
        try (MotoServer moto = MotoServer.start();
                EnforcingProxy proxy = EnforcingProxy.start(moto.endpoint(), source, Evaluator.create())) {
            proxy.registerCredentials("AKIABENCH", new Principal(FN, A));
            try (DynamoDbClient direct = client(moto.endpoint(), "admin", true);
                    DynamoDbClient admin = client(proxy.endpoint(), "admin", true);
                    DynamoDbClient judged = client(proxy.endpoint(), "AKIABENCH", false)) {
                direct.createTable(b -> b.tableName("Bench")
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder()
                                .attributeName("id")
                                .keyType(KeyType.HASH)
                                .build())
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName("id")
                                .attributeType(ScalarAttributeType.S)
                                .build()));
                Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("k"));
                direct.putItem(b -> b.tableName("Bench")
                        .item(Map.of("id", AttributeValue.fromS("k"), "v", AttributeValue.fromS("x".repeat(400)))));

                Map<String, Supplier<Map<String, AttributeValue>>> runs = Map.of(
                        "direct",
                                () -> direct.getItem(b -> b.tableName("Bench").key(key))
                                        .item(),
                        "proxy-admin",
                                () -> admin.getItem(b -> b.tableName("Bench").key(key))
                                        .item(),
                        "proxy-judged",
                                () -> judged.getItem(b -> b.tableName("Bench").key(key))
                                        .item());
                // Interleaved rounds, so load from other processes on this machine hits every mode alike.
                List<String> modes = List.of("direct", "proxy-admin", "proxy-judged");
                Map<String, double[]> micros = new java.util.LinkedHashMap<>();
                modes.forEach(m -> micros.put(m, new double[CALLS]));
                for (String mode : modes) {
                    for (int i = 0; i < WARMUP; i++) {
                        assertThat(runs.get(mode).get()).containsKey("v");
                    }
                }
                int perRound = CALLS / ROUNDS;
                for (int round = 0; round < ROUNDS; round++) {
                    for (String mode : modes) {
                        for (int i = 0; i < perRound; i++) {
                            long start = System.nanoTime();
                            Map<String, AttributeValue> item = runs.get(mode).get();
                            micros.get(mode)[round * perRound + i] = (System.nanoTime() - start) / 1000.0;
                            assertThat(item).containsKey("v");
                        }
                    }
                }
                double[] baseline = micros.get("direct");
                for (String mode : modes) {
                    double[] m = micros.get(mode);
                    System.out.printf(
                            "%-13s GetItem x%d: mean %6.0f us  p50 %6.0f us  p95 %6.0f us  (p50 x%.2f, mean x%.2f"
                                    + " of direct)%n",
                            mode,
                            CALLS,
                            mean(m),
                            pct(m, 50),
                            pct(m, 95),
                            pct(m, 50) / pct(baseline, 50),
                            mean(m) / mean(baseline));
                }
            }
            long judgedCalls =
                    proxy.calls(FN).stream().filter(CallRecord::allowed).count();
            assertThat(judgedCalls).isEqualTo(WARMUP + CALLS);
        }
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    private static double pct(double[] xs, int p) {
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static DynamoDbClient client(URI endpoint, String key, boolean adminAccountHeader) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (adminAccountHeader) {
                        o.putHeader("x-moto-account-id", A);
                    }
                })
                .build();
    }
}
