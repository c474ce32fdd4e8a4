package dev.roleproof.template;

import java.util.List;
import java.util.Map;

/**
 * A Lambda function (AWS::Serverless::Function after Globals, or AWS::Lambda::Function). {@code roleLogicalId} is
 * null when the role is an ARN from outside the template. {@code properties} are the resolved properties as
 * CloudFormation would receive them (SAM's Globals merged in); {@code metadata} is the resource's Metadata as written
 * (RoleProof's hints: {@code RoleProof: {Calls, ReportsBatchItemFailures}}).
 */
public record FunctionSpec(
        String logicalId,
        String functionName,
        String functionArn,
        String handler,
        String runtime,
        String codeUri,
        int timeoutSeconds,
        int memoryMb,
        Map<String, String> environment,
        String roleLogicalId,
        String roleArn,
        List<DeclaredCall> calls,
        int line,
        Map<String, Object> properties,
        Map<String, Object> metadata) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
        calls = List.copyOf(calls);
        properties = Values.immutableMap(properties);
        metadata = Values.immutableMap(metadata);
    }

    /** Without Metadata. */
    public FunctionSpec(
            String logicalId,
            String functionName,
            String functionArn,
            String handler,
            String runtime,
            String codeUri,
            int timeoutSeconds,
            int memoryMb,
            Map<String, String> environment,
            String roleLogicalId,
            String roleArn,
            List<DeclaredCall> calls,
            int line,
            Map<String, Object> properties) {
        this(
                logicalId,
                functionName,
                functionArn,
                handler,
                runtime,
                codeUri,
                timeoutSeconds,
                memoryMb,
                environment,
                roleLogicalId,
                roleArn,
                calls,
                line,
                properties,
                Map.of());
    }
}
