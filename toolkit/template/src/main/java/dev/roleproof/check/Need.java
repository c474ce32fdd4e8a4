package dev.roleproof.check;

import dev.roleproof.engine.AuthorizationInput;

/**
 * One permission a function needs, as the engine input that decides it. Built by {@link Needs} from the template;
 * never decided here.
 *
 * @param description what the need is for, e.g. "SQS mapping SqsConsumerFunctionOrders polls the queue"
 * @param severity ERROR, or WARNING for advisory needs (AWS lists them but mappings work without them)
 * @param identityBlame where the fix goes when the caller's identity side denies (its role)
 * @param otherBlame where the fix goes when the resource side denies (trust policy, permission, ...)
 * @param identityFix the statement to add on the identity side
 * @param otherFix the statement or resource to add on the resource side
 * @param unknownPolicies names of policies whose documents cannot be known offline: a denial is then UNKNOWN
 */
public record Need(
        NeedKind kind,
        String function,
        String pattern,
        String description,
        AuthorizationInput input,
        Severity severity,
        Blame identityBlame,
        Blame otherBlame,
        String identityFix,
        String otherFix,
        java.util.List<String> unknownPolicies) {

    public Need {
        unknownPolicies = unknownPolicies == null ? java.util.List.of() : java.util.List.copyOf(unknownPolicies);
    }
}
