package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.template.internal.Names;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names CloudFormation would generate, made deterministic, and the ARNs and URLs built from them. */
class PhysicalNamesTest {

    private static final String TEMPLATE = """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Fifo:
                Type: AWS::SQS::Queue
                Properties: {FifoQueue: true}
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  StreamSpecification: {StreamViewType: KEYS_ONLY}
              NoStream:
                Type: AWS::DynamoDB::Table
              Bucket:
                Type: AWS::S3::Bucket
              Topic:
                Type: AWS::SNS::Topic
              Stream:
                Type: AWS::Kinesis::Stream
              ARoleWithAVeryLongLogicalIdThatCloudFormationMustShortenToFitSixtyFourCharacters:
                Type: AWS::IAM::Role
                Properties:
                  Path: /team/
                  AssumeRolePolicyDocument:
                    Statement:
                      - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
            """;

    @Test
    void generatedNamesAreDeterministicAndShapedLikeCloudFormations() {
        SamTemplate a = Templates.load(TEMPLATE);
        SamTemplate b = Templates.load(TEMPLATE);
        assertThat(a.resources())
                .extracting(ResourceSpec::physicalName)
                .isEqualTo(
                        b.resources().stream().map(ResourceSpec::physicalName).toList());
        assertThat(name(a, "Queue")).matches("roleproof-Queue-[A-Z0-9]{12}");
        assertThat(name(a, "Fifo")).matches("roleproof-Fifo-[A-Z0-9]{12}\\.fifo");
        assertThat(name(a, "Bucket")).matches("roleproof-bucket-[a-z0-9]{12}");
        RoleSpec role = a.roles().get(0);
        assertThat(role.roleName()).hasSizeLessThanOrEqualTo(64).startsWith("roleproof-ARoleWith");
        assertThat(role.arn()).isEqualTo("arn:aws:iam::111111111111:role/team/" + role.roleName());
        assertThat(Names.generated("stack", "Id", 64, false)).isEqualTo(Names.generated("stack", "Id", 64, false));
    }

    @Test
    void arnsAndUrlsPerType() {
        SamTemplate t = TemplateLoader.load(
                "t.yaml",
                TEMPLATE,
                java.nio.file.Path.of("t.yaml"),
                new LoadOptions("222222222222", "eu-west-1", "aws", Map.of(), null, null));
        ResourceSpec queue = t.resource("Queue").orElseThrow();
        assertThat(queue.arn()).isEqualTo("arn:aws:sqs:eu-west-1:222222222222:" + queue.physicalName());
        assertThat(queue.attribute("QueueUrl"))
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/222222222222/" + queue.physicalName());
        ResourceSpec table = t.resource("Table").orElseThrow();
        assertThat(table.attribute("StreamArn")).isEqualTo(table.arn() + "/stream/" + Names.STREAM_LABEL);
        assertThat(t.resource("NoStream").orElseThrow().attribute("StreamArn"))
                .as("no stream without StreamSpecification")
                .isNull();
        ResourceSpec bucket = t.resource("Bucket").orElseThrow();
        assertThat(bucket.arn()).isEqualTo("arn:aws:s3:::" + bucket.physicalName());
        assertThat(t.resource("Topic").orElseThrow().arn())
                .startsWith("arn:aws:sns:eu-west-1:222222222222:roleproof-Topic-");
        assertThat(t.resource("Stream").orElseThrow().arn())
                .startsWith("arn:aws:kinesis:eu-west-1:222222222222:stream/roleproof-Stream-");
        assertThat(t.resourceByArn(table.attribute("StreamArn"))).contains(table);
        assertThat(t.resourceByArn(bucket.arn() + "/incoming/a.txt")).contains(bucket);
        assertThat(t.resourceByArn("arn:aws:s3:::elsewhere")).isEmpty();
    }

    @Test
    void otherPartitionsUseTheirUrlSuffix() {
        SamTemplate t = TemplateLoader.load(
                "t.yaml",
                TEMPLATE,
                java.nio.file.Path.of("t.yaml"),
                new LoadOptions("111111111111", "cn-north-1", "aws-cn", Map.of(), null, null));
        ResourceSpec queue = t.resource("Queue").orElseThrow();
        assertThat(queue.arn()).startsWith("arn:aws-cn:sqs:cn-north-1:");
        assertThat(queue.attribute("QueueUrl")).startsWith("https://sqs.cn-north-1.amazonaws.com.cn/");
    }

    @Test
    void globalsPropertiesPointAtTheirGlobalsLine() {
        SamTemplate t = Templates.load("""
                Transform: AWS::Serverless-2016-10-31
                Globals:
                  Function:
                    Timeout: 40
                    Environment:
                      Variables: {A: global, B: global}
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: fn
                      Handler: a.B::handleRequest
                      Runtime: java21
                      Environment:
                        Variables: {B: local}
                """);
        FunctionSpec fn = t.function("Fn").orElseThrow();
        assertThat(fn.timeoutSeconds()).isEqualTo(40);
        assertThat(fn.environment()).containsEntry("A", "global").containsEntry("B", "local");
        assertThat(t.line("/Resources/Fn/Properties/Timeout")).isEqualTo(4);
        assertThat(t.line("/Resources/Fn/Properties/Handler")).isEqualTo(12);
    }

    private static String name(SamTemplate t, String id) {
        return t.resource(id).orElseThrow().physicalName();
    }
}
