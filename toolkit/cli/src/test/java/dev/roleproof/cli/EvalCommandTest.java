package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "arn:aws:sts::111111111111:assumed-role/fn-role/fn";
    private static final String QUEUE = "arn:aws:sqs:us-east-1:111111111111:orders";
    private static final String READ_QUEUE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"sqs:ReceiveMessage\",\"Resource\":\"" + QUEUE + "\"}]}";
    private static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private static String line(String id, String action, String... policies) {
        return "{\"id\": " + id + ", \"request\": {\"principal\": \"" + SESSION + "\", \"action\": \"" + action
                + "\", \"resource\": \"" + QUEUE + "\"}, \"identityPolicies\": [" + String.join(",", policies) + "]}";
    }

    private static List<JsonNode> answers(Cli.Run r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            if (!l.isEmpty()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    @Test
    void answersEachCaseInOrderWithTheAwsDecisionNames() throws Exception {
        String in = line("\"allow\"", "sqs:ReceiveMessage", READ_QUEUE) + "\n"
                + line("\"implicit\"", "sqs:DeleteMessage", READ_QUEUE) + "\n"
                + line("42", "sqs:ReceiveMessage", READ_QUEUE, DENY_ALL) + "\n";
        Cli.Run r = Cli.run(in, "eval", "--explain");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        List<JsonNode> a = answers(r);
        assertThat(a).hasSize(3);
        assertThat(a).allMatch(n -> n.get("explain").isObject());
        assertThat(a.get(0).get("id").asText()).isEqualTo("allow");
        assertThat(a.get(0).get("decision").asText()).isEqualTo("Allowed");
        assertThat(a.get(1).get("id").asText()).isEqualTo("implicit");
        assertThat(a.get(1).get("decision").asText()).isEqualTo("ImplicitlyDenied");
        assertThat(a.get(1).get("message").asText()).contains("is not authorized to perform: sqs:DeleteMessage");
        assertThat(a.get(2).get("id").isNumber()).isTrue();
        assertThat(a.get(2).get("id").asInt()).isEqualTo(42);
        assertThat(a.get(2).get("decision").asText()).isEqualTo("ExplicitlyDenied");
    }

    @Test
    void explainIsOffByDefaultAndOnWithExplain() throws Exception {
        String in = line("\"c1\"", "sqs:ReceiveMessage", READ_QUEUE) + "\n";
        JsonNode on = answers(Cli.run(in, "eval", "--explain")).get(0);
        JsonNode off = answers(Cli.run(in, "eval")).get(0);
        JsonNode offExplicit = answers(Cli.run(in, "eval", "--no-explain")).get(0);
        assertThat(offExplicit).isEqualTo(off);
        assertThat(on.get("explain")).isNotNull();
        assertThat(on.get("explain").isObject()).isTrue();
        assertThat(on.get("explain").toString()).contains("\"identity-0\"");
        assertThat(off.has("explain")).isFalse();
        assertThat(off.get("decision").asText()).isEqualTo("Allowed");
    }

    @Test
    void malformedLinesGetAnErrorLineAndTheRunGoesOn() throws Exception {
        String badPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringLik\":{\"aws:SourceArn\":\"x\"}}}]}";
        String in = String.join(
                        "\n",
                        "{not json",
                        line("\"ok1\"", "sqs:ReceiveMessage", READ_QUEUE),
                        "{\"id\": \"unknown-field\", \"request\": {\"principal\": \"" + SESSION
                                + "\", \"action\": \"sqs:ReceiveMessage\"," + " \"resource\": \"" + QUEUE
                                + "\"}, \"identityPolicy\": []}",
                        line("\"bad-policy\"", "sqs:ReceiveMessage", badPolicy),
                        "{\"id\": \"no-request\"}",
                        "[1, 2]",
                        "{\"id\": \"ctx\", \"request\": {\"principal\": \"" + SESSION
                                + "\", \"action\": \"sqs:ReceiveMessage\"," + " \"resource\": \"" + QUEUE
                                + "\", \"context\": {\"k\": {\"nested\": 1}}}}",
                        line("\"ok2\"", "sqs:ReceiveMessage", READ_QUEUE))
                + "\n";
        Cli.Run r = Cli.run(in, "eval", "--no-explain");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines())
                .containsExactly("roleproof eval: 6 of 8 cases could not be decided (see their \"error\" lines)");
        List<JsonNode> a = answers(r);
        assertThat(a).hasSize(8);
        assertThat(a.get(0).get("id").isNull()).isTrue();
        assertThat(a.get(0).get("line").asInt()).isEqualTo(1);
        assertThat(a.get(0).get("error").asText()).startsWith("not valid JSON");
        assertThat(a.get(1).get("decision").asText()).isEqualTo("Allowed");
        assertThat(a.get(2).get("id").asText()).isEqualTo("unknown-field");
        assertThat(a.get(2).get("error").asText()).contains("unknown field 'identityPolicy'");
        assertThat(a.get(3).get("id").asText()).isEqualTo("bad-policy");
        assertThat(a.get(3).get("error").asText())
                .contains("/identityPolicies/0")
                .contains("StringLik");
        assertThat(a.get(4).get("error").asText()).isEqualTo("missing 'request'");
        assertThat(a.get(5).get("error").asText()).isEqualTo("a case must be a JSON object");
        assertThat(a.get(6).get("error").asText()).contains("context key 'k'");
        assertThat(a.get(7).get("id").asText()).isEqualTo("ok2");
        assertThat(a.get(7).get("decision").asText()).isEqualTo("Allowed");
        for (JsonNode n : a) {
            if (n.has("error")) {
                assertThat(n.get("error").asText()).doesNotContain("\n");
            }
        }
    }

    @Test
    void hostileLinesAreErrorsNeverACrash() throws Exception {
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        List<String> textLines = List.of(
                line(
                        "\"deep\"",
                        "sqs:ReceiveMessage",
                        "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)), // too deep for Jackson
                "{\"id\": \"trunc\", \"request\": {\"principal\": ",
                "{\"id\": true, \"request\": {}}",
                "{\"id\": \"no-colon\", \"request\": {\"principal\": \"" + SESSION
                        + "\", \"action\": \"ReceiveMessage\"," + " \"resource\": \"" + QUEUE + "\"}}",
                "{\"id\": \"who\", \"request\": {\"principal\": \"not a principal\", \"action\": \"sqs:ReceiveMessage\","
                        + " \"resource\": \"" + QUEUE + "\"}}",
                "{\"id\": \"types\", \"request\": {\"principal\": 7, \"action\": \"sqs:ReceiveMessage\", \"resource\": \"x\"}}",
                "{\"id\": \"levels\", \"request\": {\"principal\": \"" + SESSION
                        + "\", \"action\": \"sqs:ReceiveMessage\"," + " \"resource\": \"" + QUEUE + "\"}, \"scps\": ["
                        + READ_QUEUE + "]}",
                "{\"id\": \"two\"} {\"id\": \"values\"}",
                "\"just a string\"");
        for (String l : textLines) {
            in.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        in.writeBytes(
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'}); // bad UTF-8
        in.writeBytes((line("\"survivor\"", "sqs:ReceiveMessage", READ_QUEUE) + "\n").getBytes(StandardCharsets.UTF_8));
        Cli.Run r = Cli.run(new java.io.ByteArrayInputStream(in.toByteArray()), "eval");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        List<JsonNode> a = answers(r);
        assertThat(a).hasSize(textLines.size() + 2);
        for (int i = 0; i < a.size() - 1; i++) {
            assertThat(a.get(i).get("error").asText())
                    .as("line %d", i + 1)
                    .isNotBlank()
                    .doesNotContain("\n");
            assertThat(a.get(i).get("line").asInt()).isEqualTo(i + 1);
        }
        assertThat(a.get(0).get("id").asText()).isEqualTo("deep");
        assertThat(a.get(0).get("error").asText()).contains("nesting depth");
        assertThat(a.get(3).get("error").asText()).contains("service:Action");
        assertThat(a.get(4).get("id").asText()).isEqualTo("who");
        assertThat(a.get(a.size() - 1).get("decision").asText()).isEqualTo("Allowed");
    }

    @Test
    void blankLinesCrlfAndAMissingFinalNewlineAreFine() throws Exception {
        String in = "\n" + line("\"a\"", "sqs:ReceiveMessage", READ_QUEUE) + "\r\n  \n"
                + line("\"b\"", "sqs:SendMessage", READ_QUEUE);
        Cli.Run r = Cli.run(in, "eval", "--no-explain");
        assertThat(r.exit()).isZero();
        List<JsonNode> a = answers(r);
        assertThat(a).extracting(n -> n.get("id").asText()).containsExactly("a", "b");
        assertThat(a).extracting(n -> n.get("decision").asText()).containsExactly("Allowed", "ImplicitlyDenied");
    }

    @Test
    void linesLongerThanTheReadBufferAndManyLinesPerBufferAreRead() throws Exception {
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 1500; i++) {
            big.append("{\"Sid\":\"S")
                    .append(i)
                    .append("\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\","
                            + "\"Resource\":\"arn:aws:sqs:us-east-1:111111111111:q")
                    .append(i)
                    .append("\"},");
        }
        big.append("{\"Effect\":\"Allow\",\"Action\":\"sqs:ReceiveMessage\",\"Resource\":\"")
                .append(QUEUE)
                .append("\"}]}");
        assertThat(big.length()).isGreaterThan(1 << 17);
        StringBuilder in = new StringBuilder();
        // Distinct policies per line: a wrong slice of the buffer would fail to parse or decide differently.
        for (int i = 0; i < 3000; i++) {
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"L" + i + "\",\"Effect\":\"Allow\","
                    + "\"Action\":\"sqs:ReceiveMessage\",\"Resource\":\"" + (i % 2 == 0 ? QUEUE : QUEUE + "-other")
                    + "\"}]}";
            in.append(line("\"n" + i + "\"", "sqs:ReceiveMessage", policy)).append('\n');
            if (i == 1000) {
                in.append(line("\"big\"", "sqs:ReceiveMessage", big.toString())).append('\n');
            }
        }
        Cli.Run r = Cli.run(in.toString(), "eval", "--no-explain");
        assertThat(r.err()).isEmpty();
        List<JsonNode> a = answers(r);
        assertThat(a).hasSize(3001);
        for (int i = 0, k = 0; i < a.size(); i++) {
            JsonNode n = a.get(i);
            if (n.get("id").asText().equals("big")) {
                assertThat(n.get("decision").asText()).isEqualTo("Allowed");
                continue;
            }
            assertThat(n.get("id").asText()).isEqualTo("n" + k);
            assertThat(n.get("decision").asText()).isEqualTo(k % 2 == 0 ? "Allowed" : "ImplicitlyDenied");
            k++;
        }
    }

    @Test
    void aPolicyMayBeGivenAsAJsonStringAndPolicyKindsAllWork() throws Exception {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::111111111111:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":"
                + "{\"sts:ExternalId\":\"ext-123\"}}}]}";
        String allowAssume = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"sts:AssumeRole\",\"Resource\":\"*\"}]}";
        String base = "{\"id\": \"%s\", \"request\": {\"principal\": \"arn:aws:iam::111111111111:user/alice\","
                + " \"action\": \"sts:AssumeRole\", \"resource\": \"arn:aws:iam::222222222222:role/reader-role\","
                + " \"context\": {\"sts:ExternalId\": \"%s\"}}, \"identityPolicies\": [%s], \"resourcePolicy\": %s%s}";
        String scpDeny = ", \"scps\": [[" + allowAll() + ", " + DENY_ALL + "]]";
        String in = String.format(base, "right-id", "ext-123", allowAssume, trust, "") + "\n"
                + String.format(base, "as-string", "ext-123", JSON.writeValueAsString(allowAssume), trust, "") + "\n"
                + String.format(base, "wrong-id", "nope", allowAssume, trust, "") + "\n"
                + String.format(base, "scp", "ext-123", allowAssume, trust, scpDeny) + "\n";
        List<JsonNode> a = answers(Cli.run(in, "eval", "--no-explain"));
        assertThat(a)
                .extracting(n -> n.path("decision").asText(n.path("error").asText()))
                .containsExactly("Allowed", "Allowed", "ImplicitlyDenied", "ExplicitlyDenied");
    }

    @Test
    void namedAndManagedPoliciesAreReadAsCaseJsonReadsThem() throws Exception {
        String managed = "\"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole\"";
        String named = "{\"name\": \"ReadQueue\", \"policy\": " + READ_QUEUE + "}";
        String in = line("\"managed\"", "sqs:ReceiveMessage", managed) + "\n"
                + line("\"named\"", "sqs:ReceiveMessage", named) + "\n"
                + line("\"unknown-managed\"", "sqs:ReceiveMessage", "\"arn:aws:iam::aws:policy/NoSuchPolicy\"") + "\n";
        List<JsonNode> a = answers(Cli.run(in, "eval", "--explain"));
        assertThat(a.get(0).get("decision").asText()).isEqualTo("Allowed");
        assertThat(a.get(1).get("decision").asText()).isEqualTo("Allowed");
        assertThat(a.get(1).get("explain").toString()).contains("\"ReadQueue\"");
        assertThat(a.get(2).get("error").asText()).contains("NoSuchPolicy");
    }

    @Test
    void anyAwsManagedPolicyIsReadByArnAndTheExplanationNamesTheTypeRules() throws Exception {
        String s3Full = "\"arn:aws:iam::aws:policy/AmazonS3FullAccess\"";
        String in = "{\"id\": \"object\", \"request\": {\"principal\": \"arn:aws:iam::111111111111:user/a\","
                + " \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\", \"context\": {\"s3:max-keys\":"
                + " \"5\"}}, \"identityPolicies\": [" + s3Full + "]}\n"
                + "{\"id\": \"bucket\", \"request\": {\"principal\": \"arn:aws:iam::111111111111:user/a\","
                + " \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b\"}, \"identityPolicies\": [" + s3Full
                + "]}\n";
        List<JsonNode> a = answers(Cli.run(in, "eval", "--explain"));
        assertThat(a.get(0).get("decision").asText()).isEqualTo("Allowed");
        assertThat(a.get(0).at("/explain/resourceTypes").toString()).isEqualTo("[\"object\"]");
        assertThat(a.get(0).at("/explain/ignoredContext").toString()).isEqualTo("[\"s3:max-keys\"]");
        assertThat(a.get(1).get("decision").asText()).isEqualTo("ImplicitlyDenied");
        assertThat(a.get(1).at("/explain/actionNote").asText()).isEqualTo("RESOURCE_TYPE_MISMATCH");
    }

    @Test
    void resourceAccountMayBeANumberAsInCaseFiles() throws Exception {
        String in = "{\"id\": \"n\", \"request\": {\"principal\": \"arn:aws:iam::111111111111:user/a\", \"action\":"
                + " \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b/k\", \"resourceAccount\": 222222222222}}\n";
        JsonNode a = answers(Cli.run(in, "eval")).get(0);
        // Cross-account: no bucket policy, so the resource side denies.
        assertThat(a.get("message").asText()).contains("because no resource-based policy allows");
    }

    @Test
    void answersEachLineBeforeStdinCloses() throws Exception {
        // A client that writes one case and waits for its answer must get it without closing stdin.
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(feed, 1 << 16);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> RoleProofCommand.run(stdin, out, new java.io.ByteArrayOutputStream(), "eval"));
        t.start();
        feed.write((line("\"first\"", "sqs:ReceiveMessage", READ_QUEUE) + "\n").getBytes(StandardCharsets.UTF_8));
        feed.flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("\"first\"") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"id\":\"first\",\"decision\":\"Allowed\"");
        feed.close();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }

    private static String allowAll() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    }
}
