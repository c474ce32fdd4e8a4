package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.engine.policy.PolicyParser;
import org.junit.jupiter.api.Test;

/**
 * Per-type rules: "IAM JSON policy elements: Principal" (identity-based policies name no principal; resource-based
 * policies must), "RCP syntax" (Principal "*" only, no NotPrincipal, Allow only as RCPFullAWSAccess), "NotPrincipal"
 * (not in SCPs or RCPs).
 */
class PolicyRulesTest {
    private static void check(PolicyType type, String json) {
        PolicyRules.check(type, PolicyParser.parse(json), "/p");
    }

    @Test
    void identityLikePoliciesNameNoPrincipalAndNeedAResource() {
        assertThatThrownBy(
                        () -> check(
                                PolicyType.IDENTITY,
                                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("Principal is not allowed in an identity-based policy at /p/Statement/0");
        assertThatThrownBy(() -> check(
                        PolicyType.PERMISSIONS_BOUNDARY, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}}"))
                .hasMessage("Missing Resource or NotResource in a permissions boundary at /p/Statement");
        assertThatThrownBy(() -> check(
                        PolicyType.SCP,
                        "{\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":"
                                + "{\"AWS\":\"111111111111\"},\"Action\":\"s3:*\"}}"))
                .hasMessage("NotPrincipal is not allowed in a service control policy at /p/Statement");
        assertThatCode(() -> check(PolicyType.SCP, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\"}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void resourcePoliciesNeedAPrincipal() {
        assertThatThrownBy(() -> check(
                        PolicyType.RESOURCE,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"," + "\"Resource\":\"*\"}}"))
                .hasMessage("Missing Principal or NotPrincipal in a resource-based policy at /p/Statement");
        assertThatCode(() -> check(
                        PolicyType.RESOURCE,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":"
                                + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void rcpsDenyForEveryoneAndAllowOnlyAsTheDefault() {
        assertThatCode(() -> check(
                        PolicyType.RCP,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                                + "\"Action\":\"*\",\"Resource\":\"*\"}}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(
                        PolicyType.RCP,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                                + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessageStartingWith("Allow in a resource control policy is only supported as in RCPFullAWSAccess");
        assertThatThrownBy(() -> check(
                        PolicyType.RCP,
                        "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":"
                                + "{\"AWS\":\"111111111111\"},\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessage("A resource control policy must name \"Principal\": \"*\" at /p/Statement");
    }
}
