package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The documented schema (functions/selfcheck/README.md): keys, order, types, one line, escaping. */
class ReportJsonTest {

    private static SelfCheckReport report(String warning) {
        return new SelfCheckReport(
                "Fn",
                "s3-push",
                "arn:aws:sts::1:assumed-role/R/s",
                "arn:aws:iam::1:role/R",
                true,
                "invoked by S3 for bucket b",
                "FAIL",
                false,
                warning,
                List.of(
                        new ProbeResult(
                                "s3:GetObject",
                                "arn:aws:s3:::b/a \"quoted\"\nkey",
                                Expectation.ALLOW,
                                Observed.DENIED,
                                "AccessDenied (HTTP 403): Access Denied",
                                "grant s3:GetObject on ..."),
                        new ProbeResult(
                                "s3:ListBucket",
                                "arn:aws:s3:::b",
                                Expectation.DENY,
                                Observed.INCONCLUSIVE,
                                "timed out",
                                null)),
                42);
    }

    @Test
    void oneLineWithEveryKeyInSchemaOrder() {
        String json = report(null).toJson();
        assertThat(json).doesNotContain("\n");
        JsonNode node = JsonNode.parser().parse(json);
        assertThat(new ArrayList<>(node.asObject().keySet()))
                .containsExactly(
                        "roleproof",
                        "function",
                        "pattern",
                        "identity",
                        "expectedRole",
                        "identityMatches",
                        "proof",
                        "verdict",
                        "localCredentials",
                        "probes",
                        "durationMs");
        assertThat(node.field("roleproof").get().asString()).isEqualTo("self-check");
        assertThat(node.field("identityMatches").get().asBoolean()).isTrue();
        assertThat(node.field("durationMs").get().asNumber()).isEqualTo("42");
        List<JsonNode> probes = node.field("probes").get().asArray();
        assertThat(probes).hasSize(2);
        Map<String, JsonNode> first = probes.get(0).asObject();
        assertThat(new ArrayList<>(first.keySet()))
                .containsExactly("action", "resource", "expected", "observed", "detail", "hint");
        assertThat(first.get("resource").asString()).isEqualTo("arn:aws:s3:::b/a \"quoted\"\nkey");
        assertThat(first.get("expected").asString()).isEqualTo("ALLOW");
        assertThat(first.get("observed").asString()).isEqualTo("DENIED");
        assertThat(probes.get(1).field("hint").get().isNull()).isTrue();
    }

    @Test
    void warningAppearsOnlyWhenSet() {
        JsonNode node = JsonNode.parser()
                .parse(report("AWS_SAM_LOCAL=true: developer's credentials").toJson());
        assertThat(node.field("warning").get().asString()).contains("developer's credentials");
        assertThat(report("w").toMap()).containsKey("warning");
        assertThat(report(null).toMap()).doesNotContainKey("warning");
    }
}
