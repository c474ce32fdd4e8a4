package dev.roleproof.engine;

import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.Reason;
import java.util.List;
import java.util.Map;

/**
 * Why a decision came out as it did: one analysis per policy type present in the input (in evaluation order), the
 * type that denied, and the request facts the engine derived. Records only, so Jackson can serialize it.
 *
 * @param principalType User, AssumedRole, Account, FederatedUser, AWSService, Anonymous, Role, Federated
 * @param principalAccount nullable (service principals, anonymous)
 * @param resourceAccount the account owning the resource as the engine understood it; nullable
 * @param crossAccount principal and resource in different accounts
 * @param derivedContext global keys the engine filled in (not given in the request)
 * @param ignoredContext context keys given but not visible to this action: keys of another service
 *     (service-specific keys exist only in requests to their service)
 * @param deniedBy nullable
 * @param deniedReason a reason behind deniedBy (e.g. CROSS_ACCOUNT, RESOURCE_POLICY_REQUIRED); nullable
 */
public record Explanation(
        String principalType,
        String principalAccount,
        String resourceAccount,
        boolean crossAccount,
        Map<String, List<String>> derivedContext,
        List<String> ignoredContext,
        List<PolicyTypeAnalysis> analyses,
        PolicyType deniedBy,
        Reason deniedReason) {}
