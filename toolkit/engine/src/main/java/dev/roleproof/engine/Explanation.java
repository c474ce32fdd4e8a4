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
 * @param ignoredContext context keys given but not carried by this request: keys of another service, and keys of the
 *     action's own service that neither the action nor its resource type supports (Service Authorization Reference),
 *     e.g. s3:max-keys on s3:GetObject
 * @param deniedBy nullable
 * @param deniedReason a reason behind deniedBy (e.g. CROSS_ACCOUNT, RESOURCE_POLICY_REQUIRED); nullable
 * @param actionNote what the Service Authorization Reference said about the action, when it shaped the decision:
 *     UNKNOWN_ACTION (not in the data: matched by name only), WILDCARD_ONLY_ACTION (no resource type: only a
 *     Resource covering "*" grants it), RESOURCE_TYPE_MISMATCH (the resource is not of a type the action acts on);
 *     nullable
 * @param resourceTypes the action's resource types the request's resource is of (e.g. ["object"]); empty when the
 *     action has none, is unknown, or the resource is not an ARN
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
        Reason deniedReason,
        Reason actionNote,
        List<String> resourceTypes) {}
