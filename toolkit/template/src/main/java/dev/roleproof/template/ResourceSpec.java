package dev.roleproof.template;

import java.util.Map;

/**
 * Any other resource (queue, table, bucket, topic, stream, ...). {@code physicalName} is the given name or the
 * deterministic name CloudFormation-style generation gives it; {@code arn} is null for types without an ARN.
 * {@code attributes} are the GetAtt values RoleProof knows (Arn, QueueUrl, StreamArn, ...).
 */
public record ResourceSpec(
        String logicalId,
        String type,
        String physicalName,
        String arn,
        Map<String, Object> properties,
        int line,
        Map<String, String> attributes,
        String condition) {

    public ResourceSpec {
        properties = Values.immutableMap(properties);
        attributes = Map.copyOf(attributes);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
