package dev.roleproof.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Each documented divergence selects its case and not the nearest case outside it. */
class DivergencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "arn:aws:sts::111111111111:assumed-role/fn-role/fn";
    private static final String ALLOW = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private static JsonNode c(String principal, String action, String extra) throws Exception {
        return JSON.readTree("{\"id\":\"x\",\"request\":{\"principal\":\"" + principal + "\",\"action\":\"" + action
                + "\",\"resource\":\"arn:aws:sqs:us-east-1:111111111111:orders\"}" + extra + "}");
    }

    @Test
    void sessionArnGrantWithSessionPolicy() throws Exception {
        String named = ",\"sessionPolicy\":" + ALLOW + ",\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + SESSION
                + "\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
        assertThat(Divergences.of(c(SESSION, "sqs:ReceiveMessage", named)))
                .contains(Divergences.SESSION_ARN_GRANT_VS_SESSION_POLICY);
        String noSessionPolicy = named.replace(",\"sessionPolicy\":" + ALLOW, "");
        assertThat(Divergences.of(c(SESSION, "sqs:ReceiveMessage", noSessionPolicy)))
                .isEmpty();
        String roleNamed = named.replace("\"AWS\":\"" + SESSION, "\"AWS\":\"arn:aws:iam::111111111111:role/fn-role");
        assertThat(Divergences.of(c(SESSION, "sqs:ReceiveMessage", roleNamed))).isEmpty();
    }

    @Test
    void variablesUnder2008() throws Exception {
        String v2008 = ",\"identityPolicies\":[{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\"}]}]";
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", v2008))).contains(Divergences.VARIABLES_UNDER_2008_10_17);
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", v2008.replace("\"Version\":\"2008-10-17\",", ""))))
                .contains(Divergences.VARIABLES_UNDER_2008_10_17);
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", v2008.replace("2008-10-17", "2012-10-17"))))
                .isEmpty();
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", v2008.replace("${aws:username}", "alice"))))
                .isEmpty();
    }

    @Test
    void unresolvedVariableInNotResource() throws Exception {
        String notResource = ",\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::b/home/${aws:username}/*\"}]}]";
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", notResource)))
                .contains(Divergences.UNRESOLVED_VARIABLE_IN_NOT_RESOURCE);
        // A user has aws:username in its context: the variable resolves.
        JsonNode user = c("arn:aws:iam::111111111111:user/alice", "s3:GetObject", notResource);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user.get("request"))
                .putObject("context")
                .put("aws:username", "alice");
        assertThat(Divergences.of(user)).isEmpty();
        assertThat(Divergences.of(c(SESSION, "s3:GetObject", notResource.replace("NotResource", "Resource"))))
                .isEmpty();
    }

    @Test
    void unresolvedVariableUnderANegatedOperator() throws Exception {
        String negated = ",\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotLike\":{\"aws:PrincipalArn\":"
                + "\"arn:aws:iam::*:role/${aws:PrincipalTag/team}-*\"}}}]}]";
        JsonNode withKey = c(SESSION, "sqs:ReceiveMessage", negated);
        ((com.fasterxml.jackson.databind.node.ObjectNode) withKey.get("request"))
                .putObject("context")
                .put("aws:PrincipalArn", "arn:aws:iam::111111111111:role/fn-role");
        assertThat(Divergences.of(withKey)).contains(Divergences.UNRESOLVED_VARIABLE_NEGATED_OPERATOR);
        // Without the condition's key the negated operator is true on both sides.
        assertThat(Divergences.of(c(SESSION, "sqs:ReceiveMessage", negated))).isEmpty();
        JsonNode positive = c(SESSION, "sqs:ReceiveMessage", negated.replace("StringNotLike", "StringLike"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) positive.get("request"))
                .putObject("context")
                .put("aws:PrincipalArn", "arn:aws:iam::111111111111:role/fn-role");
        assertThat(Divergences.of(positive)).isEmpty();
    }

    @Test
    void scpsOnServicePrincipals() throws Exception {
        String scps = ",\"scps\":[[" + ALLOW + "]]";
        assertThat(Divergences.of(c("s3.amazonaws.com", "lambda:InvokeFunction", scps)))
                .contains(Divergences.SCPS_ON_SERVICE_PRINCIPALS);
        assertThat(Divergences.of(c(SESSION, "lambda:InvokeFunction", scps))).isEmpty();
        assertThat(Divergences.of(c("s3.amazonaws.com", "lambda:InvokeFunction", ",\"scps\":[]")))
                .isEmpty();
    }

    @Test
    void notPrincipalNamingOnlyPartOfTheCaller() throws Exception {
        String tmpl = ",\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"NotPrincipal\":{\"AWS\":%s},\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
        String role = "\"arn:aws:iam::111111111111:role/fn-role\"";
        assertThat(Divergences.of(
                        c(SESSION, "sqs:SendMessage", String.format(tmpl, "\"arn:aws:iam::111111111111:root\""))))
                .contains(Divergences.NOT_PRINCIPAL_PARTIAL_EXEMPTION);
        assertThat(Divergences.of(c(SESSION, "sqs:SendMessage", String.format(tmpl, "\"" + SESSION + "\""))))
                .contains(Divergences.NOT_PRINCIPAL_PARTIAL_EXEMPTION);
        // Fully named (account, role and session), or not named at all: both simulators agree, not excluded.
        assertThat(Divergences.of(c(
                        SESSION,
                        "sqs:SendMessage",
                        String.format(tmpl, "[\"111111111111\"," + role + ",\"" + SESSION + "\"]"))))
                .isEmpty();
        assertThat(Divergences.of(c(SESSION, "sqs:SendMessage", String.format(tmpl, "\"222222222222\""))))
                .isEmpty();
        assertThat(Divergences.of(c(
                        SESSION,
                        "sqs:SendMessage",
                        String.format(tmpl, "\"111111111111\"").replace("Deny", "Allow"))))
                .isEmpty();
    }

    @Test
    void rootUserIdentitySide() throws Exception {
        assertThat(Divergences.of(c("arn:aws:iam::111111111111:root", "sqs:SendMessage", "")))
                .contains(Divergences.ROOT_USER_IDENTITY_SIDE);
        // Another account's root: only where the resource policy could let its account in.
        assertThat(Divergences.of(c("arn:aws:iam::222222222222:root", "sqs:SendMessage", "")))
                .isEmpty();
        String queuePolicy = ",\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"222222222222\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
        assertThat(Divergences.of(c("arn:aws:iam::222222222222:root", "sqs:SendMessage", queuePolicy)))
                .contains(Divergences.ROOT_USER_IDENTITY_SIDE);
        assertThat(Divergences.of(c(SESSION, "sqs:SendMessage", ""))).isEmpty();
    }

    @Test
    void notPrincipalWithABoundary() throws Exception {
        String deny = ",\"resourcePolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"NotPrincipal\":{\"AWS\":\"222222222222\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
        assertThat(Divergences.of(c(SESSION, "sqs:SendMessage", deny + ",\"permissionsBoundary\":" + ALLOW)))
                .contains(Divergences.NOT_PRINCIPAL_WITH_BOUNDARY);
        assertThat(Divergences.of(c(SESSION, "sqs:SendMessage", deny))).isEmpty();
    }

    @Test
    void serviceLinkedRolesAndOrganizationPolicies() throws Exception {
        String slr = "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForLambdaReplicator/s";
        assertThat(Divergences.of(c(slr, "sqs:SendMessage", ",\"scps\":[[" + ALLOW + "]]")))
                .contains(Divergences.SERVICE_LINKED_ROLES);
        assertThat(Divergences.of(c(slr, "sqs:SendMessage", ""))).isEmpty();
    }

    @Test
    void assumeRoleWithoutATrustPolicy() throws Exception {
        assertThat(Divergences.of(c(SESSION, "sts:AssumeRole", "")))
                .contains(Divergences.ASSUME_ROLE_WITHOUT_TRUST_POLICY);
        assertThat(Divergences.of(c(SESSION, "sts:AssumeRole", ",\"resourcePolicy\":" + ALLOW)))
                .isEmpty();
    }

    @Test
    void rcpsOnLambda() throws Exception {
        String rcps = ",\"rcps\":[[" + ALLOW + "]]";
        assertThat(Divergences.of(c(SESSION, "lambda:InvokeFunction", rcps))).contains(Divergences.RCPS_ON_LAMBDA);
        assertThat(Divergences.of(c(SESSION, "sqs:ReceiveMessage", rcps))).isEmpty();
    }

    @Test
    void everyDivergenceCitesAnAwsDocPage() {
        for (Divergences d : Divergences.values()) {
            assertThat(d.citation()).startsWith("https://docs.aws.amazon.com/");
            assertThat(d.rule()).isNotBlank();
        }
    }
}
