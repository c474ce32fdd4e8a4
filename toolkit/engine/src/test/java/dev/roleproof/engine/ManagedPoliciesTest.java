package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.engine.policy.PolicyParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every AWS managed policy as data (moto's copy of AWS's documents): names, ARNs with their paths (AWS Managed Policy
 * Reference, e.g. https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaSQSQueueExecutionRole.html)
 * and documents; the six SAM attaches to Lambda roles carry RoleProof's explanation.
 */
class ManagedPoliciesTest {

    @Test
    void knowsTheSixByNameAndArn() {
        assertThat(ManagedPolicies.samLambdaPolicies())
                .extracting(ManagedPolicy::arn)
                .containsExactly(
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
        for (ManagedPolicy p : ManagedPolicies.samLambdaPolicies()) {
            assertThat(p.explained()).isTrue();
            assertThat(ManagedPolicies.byName(p.name())).containsSame(p);
            assertThat(ManagedPolicies.byArn(p.arn())).containsSame(p);
            assertThat(p.policy().name()).isEqualTo(p.arn());
            assertThat(p.summary()).hasSizeGreaterThan(150);
            assertThat(p.versionId()).startsWith("v");
            assertThat(PolicyParser.parse(p.json()).statements())
                    .hasSameSizeAs(p.policy().statements());
        }
        assertThat(ManagedPolicies.byArn("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                .isPresent();
        assertThat(ManagedPolicies.byName("NoSuchPolicy")).isEmpty();
        // The path is part of the ARN.
        assertThat(ManagedPolicies.byArn("arn:aws:iam::aws:policy/AWSLambdaSQSQueueExecutionRole"))
                .isEmpty();
    }

    @Test
    void knowsEveryAwsManagedPolicy() {
        assertThat(ManagedPolicies.names()).hasSizeGreaterThan(1400);
        assertThat(ManagedPolicies.source().name()).startsWith("moto ");
        assertThat(ManagedPolicies.source().licence()).isEqualTo("Apache-2.0");
        // Every document parses with the strict parser and names its ARN.
        for (ManagedPolicy p : ManagedPolicies.all()) {
            assertThat(p.policy().name()).isEqualTo(p.arn());
            assertThat(ManagedPolicies.byArn(p.arn())).containsSame(p);
        }
        ManagedPolicy s3 = ManagedPolicies.byName("AmazonS3FullAccess").orElseThrow();
        assertThat(s3.arn()).isEqualTo("arn:aws:iam::aws:policy/AmazonS3FullAccess");
        assertThat(s3.explained()).isFalse();
        assertThat(s3.summary())
                .startsWith("s3:*, s3-object-lambda:* on \"*\": ")
                .contains("incl. Permissions management");
        ManagedPolicy xray = ManagedPolicies.byArn("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess")
                .orElseThrow();
        assertThat(xray.grants().scopableOnAllResources()).isZero();
        assertThat(ManagedPolicies.byName("AdministratorAccess")
                        .orElseThrow()
                        .grants()
                        .scopableOnAllResources())
                .isGreaterThan(10000);
    }

    @Test
    void documentsGrantWhatTheyShould() {
        assertThat(actions("AWSLambdaBasicExecutionRole"))
                .containsExactly("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");
        assertThat(actions("AWSLambdaSQSQueueExecutionRole"))
                .containsExactly(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents");
        assertThat(actions("AWSLambdaDynamoDBExecutionRole"))
                .containsExactly(
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams",
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents");
        assertThat(actions("AWSLambdaKinesisExecutionRole")).contains("kinesis:SubscribeToShard", "kinesis:ListShards");
        assertThat(actions("AWSLambdaVPCAccessExecutionRole"))
                .contains("ec2:CreateNetworkInterface", "ec2:AssignPrivateIpAddresses");
        assertThat(actions("AWSXRayDaemonWriteAccess")).contains("xray:PutTraceSegments", "xray:GetSamplingTargets");
        for (ManagedPolicy p : ManagedPolicies.samLambdaPolicies()) {
            // All six grant on Resource "*": the breadth the template checks report.
            assertThat(p.policy().statements())
                    .allSatisfy(s -> assertThat(s.resources()).containsExactly("*"));
        }
    }

    @Test
    void evaluatesAsAnIdentityPolicy() {
        Request r = Request.of(
                "arn:aws:sts::111111111111:assumed-role/r/s",
                "sqs:ReceiveMessage",
                "arn:aws:sqs:us-east-1:111111111111:any-queue");
        Decision d = Evaluator.create()
                .evaluate(AuthorizationInput.builder(r)
                        .identityPolicy(ManagedPolicies.byName("AWSLambdaSQSQueueExecutionRole")
                                .orElseThrow()
                                .policy())
                        .build());
        assertThat(d.allowed()).isTrue();
        assertThat(d.explanation().analyses().get(0).allows().get(0).policyName())
                .isEqualTo("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole");
    }

    private static List<String> actions(String name) {
        return ManagedPolicies.byName(name)
                .orElseThrow()
                .policy()
                .statements()
                .get(0)
                .actions();
    }
}
