package dev.roleproof.engine.explain;

import java.util.List;

/**
 * One condition as evaluated.
 *
 * @param operator as written, e.g. "ForAnyValue:StringLikeIfExists"
 * @param requestValues the request's values for the key; null when the request does not have it
 * @param policyValues the policy values with variables resolved (null entries: unresolved)
 * @param reason why it is false (or why a missing key made it true); null when a present value simply matched
 */
public record ConditionExplain(
        String operator,
        String key,
        List<String> requestValues,
        List<String> policyValues,
        boolean result,
        Reason reason) {}
