package dev.roleproof.check;

/**
 * The kinds of need, each a rule of its own so findings say which link of the chain broke. A failed need is an
 * error, except the advisory ones (see {@link Need#severity()}).
 */
public enum NeedKind {
    TRUST(
            "trust-lambda",
            "The execution role's trust policy must let lambda.amazonaws.com call sts:AssumeRole.",
            "Add to the role's AssumeRolePolicyDocument: {0}"),
    LOGS(
            "logs",
            "The execution role must write the function's logs (logs:CreateLogStream, logs:PutLogEvents).",
            "Add to the role's policy: {0}"),
    ESM_SOURCE(
            "esm-source",
            "The event source mapping reads its source with the execution role's session.",
            "Add to the role's policy: {0}"),
    ESM_DESTINATION(
            "esm-on-failure",
            "The mapping sends failed-batch records to its on-failure destination with the" + " execution role.",
            "Add to the role's policy: {0}"),
    PUSH(
            "push-invoke",
            "A pushing service (S3, SNS, EventBridge) must be allowed by the function policy, with the"
                    + " aws:SourceArn and aws:SourceAccount the real source sends.",
            "Declare an AWS::Lambda::Permission: {0}"),
    CALL(
            "declared-call",
            "A call the handler declares in Metadata.RoleProof.Calls must be allowed.",
            "Add to the role's policy: {0}"),
    ASSUME_ROLE(
            "assume-role",
            "sts:AssumeRole into another role needs the caller's identity policy AND the target"
                    + " role's trust policy (with the sts:ExternalId the caller passes).",
            "{0}"),
    TARGET_CALL(
            "assumed-role-call",
            "A call made with an assumed role's credentials (As:) needs that role's policies"
                    + " (account B with --target).",
            "Add to the assumed role's policy: {0}");

    private final CheckInfo info;

    NeedKind(String id, String description, String fix) {
        this.info = new CheckInfo(id, Severity.ERROR, description, fix);
    }

    public CheckInfo info() {
        return info;
    }

    public String id() {
        return info.id();
    }
}
