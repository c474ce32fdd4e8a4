package dev.roleproof.engine.explain;

/** Why a statement, condition or policy type did not match or did not count. Data, not prose. */
public enum Reason {
    /** No Action / NotAction pattern covers the action (or NotAction lists it). */
    ACTION_MISMATCH,
    /** No Resource / NotResource pattern covers the resource (or NotResource lists it). */
    RESOURCE_MISMATCH,
    /** The Principal does not name the caller (or NotPrincipal excludes it). */
    PRINCIPAL_MISMATCH,
    /** A resource-based policy statement without Principal/NotPrincipal applies to nobody. */
    NO_PRINCIPAL,
    /** The principal is in another account than the one the element names. */
    ACCOUNT_MISMATCH,
    /** The statement's principal names an account: it only delegates to that account's IAM policies. */
    ACCOUNT_PRINCIPAL_DELEGATES,
    /** A role ARN in a resource policy: the grant is still limited by the boundary and session policy. */
    ROLE_ARN_LIMITED,
    /** At least one condition is false. */
    CONDITION_FAILED,
    /** The condition key is not in the request. */
    MISSING_KEY,
    /** A policy variable's key is not in the request and has no default. */
    UNRESOLVED_VARIABLE,
    /** The request values do not satisfy the operator. */
    VALUE_MISMATCH,
    /** A request value cannot be read as the operator's type (number, date, IP, ARN, boolean). */
    TYPE_MISMATCH,
    /** Policy type does not apply: service principals are not governed by SCPs/RCPs or identity policies. */
    SERVICE_PRINCIPAL,
    /** SCPs and RCPs do not restrict service-linked roles (role names AWSServiceRoleFor…). */
    SERVICE_LINKED_ROLE,
    /** RCPs do not apply to this service. */
    SERVICE_NOT_SUPPORTED,
    /** SCPs/RCPs do not apply: no IAM principal of an organization account (anonymous caller). */
    NOT_APPLICABLE,
    /** The resource policy alone allows: a same-account grant to the caller's session or user ARN. */
    RESOURCE_POLICY_GRANT,
    /** The account root user: its identity side has full access. */
    ROOT_USER,
    /** Cross-account: the resource's side and the caller's side must both allow. */
    CROSS_ACCOUNT,
    /** The resource-based policy must allow (role trust policies, KMS key policies). */
    RESOURCE_POLICY_REQUIRED,
    /**
     * The Service Authorization Reference does not list the action (a service newer than the data, or a misspelling):
     * it is matched by name only, without resource types or its condition keys.
     */
    UNKNOWN_ACTION,
    /**
     * The action has no resource type: AWS authorizes it on "*", so only a Resource that covers "*" grants it
     * (a statement naming ARNs does not apply).
     */
    WILDCARD_ONLY_ACTION,
    /**
     * The resource is not of a resource type the action acts on (e.g. s3:GetObject on a bucket ARN, or a statement
     * whose Resource names only buckets for an object action): nothing is granted for that action.
     */
    RESOURCE_TYPE_MISMATCH,
    /**
     * The request carries the key, but it does not apply to this action (another service's key, or one of the
     * action's own service that the action and its resource type do not support): AWS leaves it out of the request.
     */
    KEY_NOT_APPLICABLE
}
