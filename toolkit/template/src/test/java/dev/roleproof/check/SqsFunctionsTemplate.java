package dev.roleproof.check;

/**
 * A SAM template of {@code n} SQS-triggered functions, each with its queue, an SQSPollerPolicy and the Metadata hint
 * that its handler returns partial batch responses; every other function's mapping lacks FunctionResponseTypes (so
 * half the mappings are judged by batch-item-failures). The shape of issue 17's scaling case.
 */
final class SqsFunctionsTemplate {

    private SqsFunctionsTemplate() {}

    static String of(int n) {
        StringBuilder sb = new StringBuilder(
                "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n");
        for (int i = 0; i < n; i++) {
            sb.append("  Queue")
                    .append(i)
                    .append(":\n")
                    .append("    Type: AWS::SQS::Queue\n")
                    .append("    Properties:\n")
                    .append("      VisibilityTimeout: 180\n")
                    .append("  Fn")
                    .append(i)
                    .append(":\n")
                    .append("    Type: AWS::Serverless::Function\n")
                    .append("    Metadata:\n")
                    .append("      RoleProof:\n")
                    .append("        ReportsBatchItemFailures: true\n")
                    .append("    Properties:\n")
                    .append("      Runtime: java21\n")
                    .append("      Handler: example.Handler")
                    .append(i)
                    .append("::handleRequest\n")
                    .append("      CodeUri: fn/\n")
                    .append("      Timeout: 30\n")
                    .append("      Policies:\n")
                    .append("        - SQSPollerPolicy:\n")
                    .append("            QueueName: !GetAtt Queue")
                    .append(i)
                    .append(".QueueName\n")
                    .append("      Events:\n")
                    .append("        Sqs:\n")
                    .append("          Type: SQS\n")
                    .append("          Properties:\n")
                    .append("            Queue: !GetAtt Queue")
                    .append(i)
                    .append(".Arn\n");
            if (i % 2 == 0) {
                sb.append("            FunctionResponseTypes: [ReportBatchItemFailures]\n");
            }
        }
        return sb.toString();
    }
}
