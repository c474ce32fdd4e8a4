package dev.roleproof.engine;

import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import java.util.List;

/**
 * What each policy type may contain, beyond the grammar {@link dev.roleproof.engine.policy.PolicyParser} checks
 * ("IAM JSON policy element reference", "SCP syntax", "RCP syntax", "NotPrincipal"): identity-based policies,
 * boundaries, session policies and SCPs name no principal; resource-based policies must; RCPs name only "*", never
 * NotPrincipal, and allow only as RCPFullAWSAccess does. Errors name the statement as a JSON pointer.
 */
public final class PolicyRules {
    private PolicyRules() {}

    /**
     * Checks a parsed policy for its type.
     *
     * @param pointer the policy's place in its container ("" for a standalone document)
     * @throws InvalidPolicyException naming the statement and element
     */
    public static void check(PolicyType type, Policy policy, String pointer) {
        List<Statement> statements = policy.statements();
        for (Statement s : statements) {
            String at = pointer + "/Statement" + (statements.size() == 1 && s.index() == 0 ? "" : "/" + s.index());
            boolean hasPrincipal = s.principal() != null || s.notPrincipal() != null;
            boolean hasResource = s.resources() != null || s.notResources() != null;
            switch (type) {
                case IDENTITY:
                case PERMISSIONS_BOUNDARY:
                case SESSION:
                case SCP:
                    if (hasPrincipal) {
                        throw new InvalidPolicyException(
                                (s.principal() != null ? "Principal" : "NotPrincipal") + " is not allowed in "
                                        + type.withArticle(),
                                at);
                    }
                    if (!hasResource && type != PolicyType.SCP) {
                        throw new InvalidPolicyException(
                                "Missing Resource or NotResource in " + type.withArticle(), at);
                    }
                    break;
                case RESOURCE:
                    if (!hasPrincipal) {
                        throw new InvalidPolicyException(
                                "Missing Principal or NotPrincipal in a resource-based policy", at);
                    }
                    break;
                case RCP:
                    if (s.notPrincipal() != null) {
                        throw new InvalidPolicyException(
                                "NotPrincipal is not supported in a resource control policy", at);
                    }
                    if (s.principal() == null
                            || !s.principal().any() && !s.principal().aws().equals(List.of("*"))) {
                        throw new InvalidPolicyException(
                                "A resource control policy must name \"Principal\": \"*\"", at);
                    }
                    if (s.effect() == Effect.ALLOW
                            && !(s.actions() != null
                                    && s.actions().equals(List.of("*"))
                                    && s.resources() != null
                                    && s.resources().equals(List.of("*"))
                                    && s.conditions().isEmpty())) {
                        throw new InvalidPolicyException(
                                "Allow in a resource control policy is only supported as in "
                                        + "RCPFullAWSAccess (Action \"*\", Resource \"*\", no Condition)",
                                at);
                    }
                    break;
                default:
                    break;
            }
        }
    }
}
