package dev.roleproof.template;

import dev.roleproof.engine.policy.Policy;
import java.util.List;

/**
 * One policy on a role. {@code policy} is null when the document cannot be known offline (a managed policy the
 * engine does not ship, a customer-managed ARN from outside the template, a document whose principal is only known at
 * deploy time); {@code json} then still holds the resolved document when there is one. {@code policy.name()} is
 * "{@code <RoleLogicalId>/<name>}" so findings point back at the template. {@code statementLines} gives the source
 * line of each statement by index (the policy's own line when unknown, e.g. for managed policies).
 * {@code template} is the SAM policy template name for POLICY_TEMPLATE, else null.
 */
public record AttachedPolicy(
        String name,
        Kind kind,
        String arn,
        Policy policy,
        int line,
        List<Integer> statementLines,
        String template,
        String json) {

    public enum Kind {
        INLINE,
        MANAGED,
        POLICY_TEMPLATE,
        CUSTOMER_MANAGED
    }

    public AttachedPolicy {
        statementLines = List.copyOf(statementLines);
    }

    /** Line of statement {@code index}, or of the policy when not known. */
    public int statementLine(int index) {
        return index >= 0 && index < statementLines.size() ? statementLines.get(index) : line;
    }
}
