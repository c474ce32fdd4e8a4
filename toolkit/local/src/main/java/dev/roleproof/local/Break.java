package dev.roleproof.local;

import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourceSpec;
import dev.roleproof.template.SamTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One named misconfiguration, applied to the model before deploying: parameters of either account (the wiring a
 * user gets wrong between two stacks) and/or an edit of the loaded model (an action removed, a resource swapped, a
 * permission dropped). {@code shows} is what the break demonstrates; {@code fix} what a user changes to repair it.
 */
record Break(
        String name,
        String pattern,
        String shows,
        String fix,
        Map<String, String> paramsA,
        Map<String, String> paramsB,
        UnaryOperator<Stacks> edit) {

    static final List<Break> ALL = List.of(
            new Break(
                    "sqs-no-receive",
                    Stacks.SQS,
                    "the SQS role lacks sqs:ReceiveMessage: the event source mapping cannot poll the queue",
                    "grant sqs:ReceiveMessage on the queue's ARN in the SQS consumer's execution role",
                    Map.of(),
                    Map.of(),
                    s -> withRole(s, Stacks.SQS, (t, role) -> ModelEdits.removeAction(t, role, "sqs:ReceiveMessage"))),
            new Break(
                    "sqs-wrong-queue",
                    Stacks.SQS,
                    "the SQS role's statement names the dead-letter queue instead of the queue the mapping reads",
                    "set the statement's Resource to the mapped queue's ARN (!GetAtt <Queue>.Arn)",
                    Map.of(),
                    Map.of(),
                    s -> withRole(
                            s,
                            Stacks.SQS,
                            (t, role) -> ModelEdits.retarget(
                                    t,
                                    role,
                                    "sqs",
                                    otherQueue(
                                            t,
                                            Stacks.functionFor(t, Stacks.SQS)
                                                    .flatMap(f -> t.mappingsOf(f.logicalId()).stream()
                                                            .findFirst())
                                                    .map(m -> m.eventSourceArn())
                                                    .orElse(""))))),
            new Break(
                    "stream-no-getrecords",
                    Stacks.STREAM,
                    "the stream role lacks dynamodb:GetRecords: the mapping cannot read the stream",
                    "grant dynamodb:GetRecords on the table's StreamArn in the stream processor's execution role",
                    Map.of(),
                    Map.of(),
                    s -> withRole(
                            s, Stacks.STREAM, (t, role) -> ModelEdits.removeAction(t, role, "dynamodb:GetRecords"))),
            new Break(
                    "stream-no-destination-send",
                    Stacks.STREAM,
                    "the stream role lacks sqs:SendMessage on the on-failure destination: a batch that exhausts its retries"
                            + " is lost",
                    "grant sqs:SendMessage on the destination queue's ARN in the stream processor's execution role",
                    Map.of(),
                    Map.of(),
                    s -> withRole(s, Stacks.STREAM, (t, role) -> ModelEdits.removeAction(t, role, "sqs:SendMessage"))),
            new Break(
                    "s3-no-permission",
                    Stacks.S3,
                    "no AWS::Lambda::Permission for s3.amazonaws.com: S3 may not invoke the function",
                    "add an AWS::Lambda::Permission (Principal s3.amazonaws.com, SourceArn = the bucket ARN, SourceAccount)",
                    Map.of(),
                    Map.of(),
                    s -> withFunction(s, Stacks.S3, (t, f) -> ModelEdits.removePermissions(t, f, "s3.amazonaws.com"))),
            new Break(
                    "s3-permission-other-bucket",
                    Stacks.S3,
                    "the function permission's SourceArn names another bucket: the notifying bucket may not invoke",
                    "set the permission's SourceArn to the notifying bucket's ARN (built with the same !Sub as its name)",
                    Map.of(),
                    Map.of(),
                    s -> withFunction(
                            s,
                            Stacks.S3,
                            (t, f) -> ModelEdits.permissionSourceArn(
                                    t,
                                    f,
                                    "s3.amazonaws.com",
                                    "arn:" + t.partition() + ":s3:::roleproof-some-other-bucket"))),
            new Break(
                    "xacct-no-assume",
                    Stacks.XACCT,
                    "A's reader role lacks sts:AssumeRole on B's role: A's half of the cross-account chain is missing",
                    "allow sts:AssumeRole on B's role ARN (TargetRoleArn) in the reader's execution role",
                    Map.of(),
                    Map.of(),
                    s -> withRole(s, Stacks.XACCT, (t, role) -> ModelEdits.removeAction(t, role, "sts:AssumeRole"))),
            new Break(
                    "xacct-trust-other-role",
                    Stacks.XACCT,
                    "B's trust policy names another role of account A: B's half of the chain refuses the reader",
                    "deploy B with SourceRoleArn = A's CrossAccountReaderRoleArn output",
                    Map.of(),
                    Map.of("SourceRoleArn", "arn:aws:iam::111111111111:role/roleproof-some-other-role"),
                    UnaryOperator.identity()),
            new Break(
                    "xacct-wrong-external-id",
                    Stacks.XACCT,
                    "A passes an ExternalId B's trust policy does not expect: AssumeRole is refused",
                    "deploy A and B with the same ExternalId parameter",
                    Map.of("ExternalId", "not-the-agreed-external-id"),
                    Map.of(),
                    UnaryOperator.identity()),
            new Break(
                    "xacct-b-no-getitem",
                    Stacks.XACCT,
                    "B's role lacks dynamodb:GetItem: AssumeRole succeeds, the read in B is denied",
                    "allow dynamodb:GetItem on B's table ARN in B's role policy",
                    Map.of(),
                    Map.of(),
                    s -> s.withB(ModelEdits.removeAction(
                            s.b(),
                            s.b().roles().stream()
                                    .filter(r -> r.trustPolicy() != null)
                                    .findFirst()
                                    .map(r -> r.logicalId())
                                    .orElse(""),
                            "dynamodb:GetItem"))));

    static Optional<Break> named(String name) {
        return ALL.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** xacct-trust-other-role names account A's id; with --account it follows A's account. */
    Break forAccount(String account) {
        if (paramsB.containsKey("SourceRoleArn")) {
            return new Break(
                    name,
                    pattern,
                    shows,
                    fix,
                    paramsA,
                    Map.of("SourceRoleArn", "arn:aws:iam::" + account + ":role/roleproof-some-other-role"),
                    edit);
        }
        return this;
    }

    interface TemplateEdit {
        SamTemplate apply(SamTemplate t, String logicalId);
    }

    private static Stacks withRole(Stacks s, String pattern, TemplateEdit edit) {
        Optional<FunctionSpec> f = s.function(pattern);
        if (f.isEmpty() || f.get().roleLogicalId() == null) {
            return s;
        }
        return s.withA(edit.apply(s.a(), f.get().roleLogicalId()));
    }

    private static Stacks withFunction(Stacks s, String pattern, TemplateEdit edit) {
        Optional<FunctionSpec> f = s.function(pattern);
        return f.isEmpty() ? s : s.withA(edit.apply(s.a(), f.get().logicalId()));
    }

    /** Another queue of the template (the DLQ in the reference), else a made-up one. */
    private static String otherQueue(SamTemplate t, String queueArn) {
        return t.resources().stream()
                .filter(r -> r.type().equals("AWS::SQS::Queue"))
                .map(ResourceSpec::arn)
                .filter(arn -> arn != null && !arn.equals(queueArn))
                .findFirst()
                .orElse(queueArn + "-other");
    }
}
