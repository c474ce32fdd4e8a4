package dev.roleproof.template;

import dev.roleproof.engine.policy.Policy;
import java.util.List;

/**
 * A resource-based policy declared in the template: AWS::SQS::QueuePolicy (Queues), AWS::S3::BucketPolicy (Bucket),
 * AWS::SNS::TopicPolicy (Topics). {@code targets} are the logical ids of the resources it applies to when they are in
 * the template; {@code targetArns} the resolved ARNs of all of them.
 */
public record ResourcePolicy(
        String logicalId,
        String type,
        List<String> targets,
        List<String> targetArns,
        Policy policy,
        int line,
        List<Integer> statementLines) {

    public ResourcePolicy {
        targets = List.copyOf(targets);
        targetArns = List.copyOf(targetArns);
        statementLines = List.copyOf(statementLines);
    }
}
