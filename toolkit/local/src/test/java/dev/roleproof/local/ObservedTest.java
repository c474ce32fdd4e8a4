package dev.roleproof.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.local.enforce.CallRecord;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.RoleSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Observed least privilege from recorded calls: the minimal policy, unused grants, denied uses. */
class ObservedTest {

    static final String SESSION = "arn:aws:sts::111111111111:assumed-role/r/f";
    static final String QUEUE = "arn:aws:sqs:us-east-1:111111111111:q";

    static RoleSpec role(String json) {
        var policy = PolicyParser.parse("R/p", json);
        return new RoleSpec(
                "R",
                "r",
                "arn:aws:iam::111111111111:role/r",
                null,
                List.of(new AttachedPolicy("p", AttachedPolicy.Kind.INLINE, null, policy, 1, List.of(), null, json)),
                null,
                List.of("F"),
                1,
                false,
                "/",
                null);
    }

    static CallRecord call(String action, String resource, Outcome outcome) {
        return new CallRecord(
                SESSION,
                action,
                resource,
                Map.of(),
                outcome,
                outcome == Outcome.ALLOWED ? null : "denied",
                Instant.now());
    }

    @Test
    void minimalPolicyGroupsAllowedCallsByResourceAndTheDiffShowsUnusedAndDenied() {
        RoleSpec role = role("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Poll\",\"Effect\":\"Allow\","
                + "\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:Purge*\"],\"Resource\":\"" + QUEUE
                + "\"}]}");
        JsonNode o = Observed.of(
                role,
                List.of(
                        call("sqs:ReceiveMessage", QUEUE, Outcome.ALLOWED),
                        call("sqs:ReceiveMessage", QUEUE, Outcome.ALLOWED),
                        call("sqs:DeleteMessage", QUEUE, Outcome.ALLOWED),
                        call("sts:GetCallerIdentity", "*", Outcome.ALLOWED),
                        call("sqs:ListQueues", "*", Outcome.IMPLICITLY_DENIED),
                        call("sqs:SendMessage", QUEUE, Outcome.EXPLICITLY_DENIED)),
                Set.of("sqs:listqueues"));

        JsonNode statements = o.path("minimalPolicy").path("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).path("Resource").asText()).isEqualTo(QUEUE);
        assertThat(statements.get(0).path("Action").toString())
                .isEqualTo("[\"sqs:DeleteMessage\",\"sqs:ReceiveMessage\"]");
        // GetCallerIdentity needs no permission: it is not in the minimal policy.
        assertThat(o.path("minimalPolicy").toString()).doesNotContain("GetCallerIdentity");
        assertThat(o.path("grantedUnused")).hasSize(1);
        assertThat(o.path("grantedUnused").get(0).path("action").asText()).isEqualTo("sqs:Purge*");
        assertThat(o.path("grantedUnused").get(0).path("statement").asText()).isEqualTo("R/p/Poll");
        assertThat(o.path("usedDenied")).hasSize(2);
        assertThat(o.path("usedDenied").findValuesAsText("action"))
                .containsExactly("sqs:ListQueues", "sqs:SendMessage");
        assertThat(o.path("usedDenied").get(0).path("expected").asBoolean()).isTrue();
        assertThat(o.path("usedDenied").get(1).path("expected").asBoolean()).isFalse();
    }

    @Test
    void wildcardsMatchAsIamDoes() {
        assertThat(Observed.glob("s3:Get*", "s3:GetObject", true)).isTrue();
        assertThat(Observed.glob("S3:GETOBJECT", "s3:GetObject", true)).isTrue();
        assertThat(Observed.glob("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b c.txt", false))
                .isTrue();
        assertThat(Observed.glob("arn:aws:s3:::b/*", "arn:aws:s3:::B/x", false)).isFalse();
        assertThat(Observed.glob("arn:aws:sqs:*:*:q?", "arn:aws:sqs:us-east-1:1:q1", false))
                .isTrue();
        assertThat(Observed.glob("arn:aws:sqs:*:*:q?", "arn:aws:sqs:us-east-1:1:q12", false))
                .isFalse();
    }
}
