package dev.roleproof.engine.explain;

import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.PolicyType;
import java.util.List;

/**
 * What one policy type said on its own.
 *
 * @param outcome ALLOWED if an Allow matched (and no Deny), EXPLICITLY_DENIED if a Deny matched, else IMPLICITLY_DENIED;
 *     for SCP/RCP, ALLOWED means every level allowed
 * @param applies false when this type cannot grant or limit for the request (then note says why): SCPs for service
 *     principals and service-linked roles, RCPs for unsupported services, identity policies for non-IAM callers
 *     (whose explicit denies still count)
 * @param allows matched Allow statements
 * @param denies matched Deny statements
 * @param unmatched statements that did not apply, with reasons
 * @param note why the type did not apply or how it counted (e.g. SERVICE_PRINCIPAL, RESOURCE_POLICY_GRANT); nullable
 */
public record PolicyTypeAnalysis(
        PolicyType type,
        Outcome outcome,
        boolean applies,
        List<StatementExplain> allows,
        List<StatementExplain> denies,
        List<StatementExplain> unmatched,
        Reason note) {}
