package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.ResourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A mapping whose failures go nowhere: an SQS queue without a RedrivePolicy retries a poison message until it
 * expires; a stream mapping without an on-failure destination and with unbounded retries and age blocks its shard
 * until the record expires (24 h to 365 days).
 */
public final class FailureHandlingCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "no-failure-handling",
            Severity.WARNING,
            "A mapping without failure handling: no dead-letter queue on the SQS queue, or a stream mapping with no"
                    + " on-failure destination and unbounded retries.",
            "Add {0}.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (EventSourceMapping m : c.template().mappings()) {
            if ("SQS".equals(m.sourceType())) {
                ResourceSpec queue =
                        c.template().resourceByArn(m.eventSourceArn()).orElse(null);
                if (queue != null && queue.properties().get("RedrivePolicy") == null) {
                    out.add(INFO.finding(
                            queue.logicalId(),
                            "queue "
                                    + queue.logicalId() + " (read by " + m.logicalId()
                                    + ") has no RedrivePolicy: a message that"
                                    + " always fails is retried until its retention period ends.",
                            "add to " + queue.logicalId() + ": RedrivePolicy: {deadLetterTargetArn: <a DLQ ARN>,"
                                    + " maxReceiveCount: 3}",
                            queue.line(),
                            c.template().file()));
                }
            } else if ("DynamoDB".equals(m.sourceType()) || "Kinesis".equals(m.sourceType())) {
                boolean boundedRetries = m.maximumRetryAttempts() != null && m.maximumRetryAttempts() >= 0;
                boolean boundedAge = m.maximumRecordAgeInSeconds() != null && m.maximumRecordAgeInSeconds() >= 0;
                if (m.onFailureDestinationArn() == null && !boundedRetries && !boundedAge) {
                    out.add(INFO.finding(
                            m.logicalId(),
                            "stream mapping "
                                    + m.logicalId()
                                    + " has no on-failure destination and retries a failing record until it"
                                    + " expires, blocking its shard"
                                    + (Boolean.TRUE.equals(m.bisectBatchOnFunctionError())
                                            ? " (BisectBatchOnFunctionError only narrows the batch)."
                                            : "."),
                            "add to " + m.logicalId() + ": MaximumRetryAttempts: 3, BisectBatchOnFunctionError: true,"
                                    + " DestinationConfig: {OnFailure: {Destination: <an SQS queue ARN>}}",
                            m.line(),
                            c.template().file()));
                }
            }
        }
        return out;
    }
}
