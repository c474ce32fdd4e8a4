package dev.roleproof.engine.explain;

import dev.roleproof.engine.policy.Effect;
import java.util.List;

/**
 * One statement as evaluated. Identified by policy name + statement index + Sid so callers can map it back.
 *
 * @param policyIndex position of the policy among those of its type (SCP/RCP: flattened over levels)
 * @param principalMatched null when the policy type has no principal (identity, boundary, session, SCP)
 * @param principalMatch how the principal was named when it matched: "session", "user", "role", "account",
 *     "wildcard", "service", "federated", "notPrincipal"; null otherwise
 * @param matched action, resource, principal and every condition matched: the statement applies
 * @param reasons why it did not apply (empty when it did, except notes such as ACCOUNT_PRINCIPAL_DELEGATES)
 */
public record StatementExplain(
        String policyName,
        int policyIndex,
        int statementIndex,
        String sid,
        Effect effect,
        boolean actionMatched,
        boolean resourceMatched,
        Boolean principalMatched,
        String principalMatch,
        boolean conditionsMatched,
        boolean matched,
        List<ConditionExplain> conditions,
        List<Reason> reasons) {}
