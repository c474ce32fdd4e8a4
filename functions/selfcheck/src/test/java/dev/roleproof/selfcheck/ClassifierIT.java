package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.selfcheck.internal.Classifier;
import dev.roleproof.selfcheck.internal.Classifier.Classification;
import dev.roleproof.testing.MotoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Classification of real SDK exceptions: the error bodies are AWS's own shapes per protocol (served through
 * {@link AwsErrors}, standing in for issue 6's enforcing proxy), the missing-resource answers are moto's real ones, and
 * the network failures are real sockets.
 */
class ClassifierIT {

    /** The SDK's own bound on a call, so a silent endpoint is classified within it. */
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofMillis(1500);

    private static final software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration BOUNDED =
            software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.builder()
                    .apiCallTimeout(TIMEOUT)
                    .build();

    private static final AwsErrors ERRORS = new AwsErrors();
    private static Aws aws;
    private static String queueUrl;

    @BeforeAll
    static void resources() {
        aws = new Aws(MotoServer.shared().endpoint(), Aws.ADMIN, ERRORS);
        try (SqsClient sqs = aws.sqs();
                S3Client s3 = aws.s3();
                DynamoDbClient ddb = aws.dynamo()) {
            queueUrl = sqs.createQueue(r -> r.queueName("classifier-q")).queueUrl();
            s3.createBucket(r -> r.bucket("classifier-bucket"));
            s3.putObject(r -> r.bucket("classifier-bucket").key("k"), RequestBody.fromString("x"));
            ddb.createTable(r -> r.tableName("classifier-table")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build()));
        }
    }

    @BeforeEach
    void noErrors() {
        ERRORS.clear();
    }

    @AfterAll
    static void clear() {
        ERRORS.clear();
    }

    private static Classification observe(ProbeCall call) {
        try {
            call.call();
            return Classifier.allowed();
        } catch (Exception e) {
            return Classifier.classify(e);
        }
    }

    // --- DENIED: each service's real refusal -------------------------------------------------------------------

    @Test
    void stsAccessDeniedXmlIsDenied() {
        ERRORS.fail("AssumeRole", AwsErrors.stsAccessDenied("sts:AssumeRole", "arn:aws:iam::222222222222:role/B"));
        try (StsClient sts = aws.sts()) {
            Classification c = observe(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::222222222222:role/B")
                    .roleSessionName("s")
                    .overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.DENIED);
            assertThat(c.detail()).contains("AccessDenied").contains("HTTP 403");
        }
    }

    @Test
    void sqsJsonAccessDeniedIsDenied() {
        ERRORS.fail("ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "arn:aws:sqs:us-east-1:111111111111:"));
        try (SqsClient sqs = aws.sqs()) {
            Classification c = observe(() -> sqs.listQueues(r -> r.overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.DENIED);
            assertThat(c.detail()).contains("AccessDenied");
        }
    }

    @Test
    void dynamoAccessDeniedIsDeniedDespiteHttp400() {
        ERRORS.fail(
                "DescribeTable",
                AwsErrors.dynamoAccessDenied(
                        "dynamodb:DescribeTable", "arn:aws:dynamodb:us-east-1:111111111111:table/classifier-table"));
        try (DynamoDbClient ddb = aws.dynamo()) {
            Classification c = observe(
                    () -> ddb.describeTable(r -> r.tableName("classifier-table").overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.DENIED);
            assertThat(c.detail()).contains("AccessDeniedException (HTTP 400)");
        }
    }

    @Test
    void s3AccessDeniedXmlIsDenied() {
        ERRORS.fail("ListObjectsV2", AwsErrors.s3AccessDenied());
        try (S3Client s3 = aws.s3()) {
            Classification c = observe(() -> s3.listObjectsV2(
                    r -> r.bucket("classifier-bucket").maxKeys(1).overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.DENIED);
            assertThat(c.detail()).contains("AccessDenied");
        }
    }

    @Test
    void s3HeadForbiddenWithoutBodyIsDenied() {
        ERRORS.fail("HeadObject", AwsErrors.s3HeadForbidden());
        try (S3Client s3 = aws.s3()) {
            Classification c = observe(() ->
                    s3.headObject(r -> r.bucket("classifier-bucket").key("k").overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.DENIED);
            assertThat(c.detail()).contains("403");
        }
    }

    // --- INCONCLUSIVE: nothing about permissions ---------------------------------------------------------------

    @Test
    void rejectedCredentialsAreNotAPermissionVerdict() {
        ERRORS.fail("GetCallerIdentity", AwsErrors.stsInvalidClientTokenId());
        ERRORS.fail("GetObject", AwsErrors.s3InvalidAccessKeyId());
        try (StsClient sts = aws.sts();
                S3Client s3 = aws.s3()) {
            Classification c = observe(() -> sts.getCallerIdentity(r -> r.overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(c.detail()).contains("credentials rejected").contains("InvalidClientTokenId");
            Classification s = observe(() -> s3.getObjectAsBytes(
                    r -> r.bucket("classifier-bucket").key("k").overrideConfiguration(BOUNDED)));
            assertThat(s.observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(s.detail()).contains("InvalidAccessKeyId");
        }
    }

    @Test
    void throttlingIsInconclusive() {
        ERRORS.fail("DescribeTable", AwsErrors.dynamoThrottling());
        ERRORS.fail("GetCallerIdentity", AwsErrors.stsThrottling());
        try (DynamoDbClient ddb = aws.dynamo();
                StsClient sts = aws.sts()) {
            // The SDK retries throttling, so the bound may end it first: either way it is no permission verdict.
            Classification d = observe(
                    () -> ddb.describeTable(r -> r.tableName("classifier-table").overrideConfiguration(BOUNDED)));
            assertThat(d.observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(d.detail()).containsAnyOf("throttled", "timed out");
            Classification s = observe(() -> sts.getCallerIdentity(r -> r.overrideConfiguration(BOUNDED)));
            assertThat(s.observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(s.detail()).containsAnyOf("throttled", "timed out");
        }
    }

    @Test
    void missingResourcesAreInconclusive() {
        try (SqsClient sqs = aws.sqs();
                S3Client s3 = aws.s3();
                DynamoDbClient ddb = aws.dynamo()) {
            List<Classification> seen = new ArrayList<>();
            seen.add(observe(() ->
                    sqs.getQueueAttributes(r -> r.queueUrl(queueUrl + "-gone").overrideConfiguration(BOUNDED))));
            seen.add(observe(
                    () -> ddb.describeTable(r -> r.tableName("no-such-table").overrideConfiguration(BOUNDED))));
            seen.add(observe(() ->
                    s3.headObject(r -> r.bucket("classifier-bucket").key("gone").overrideConfiguration(BOUNDED))));
            seen.add(observe(() -> s3.getObjectAsBytes(
                    r -> r.bucket("classifier-bucket").key("gone").overrideConfiguration(BOUNDED))));
            assertThat(seen).allSatisfy(c -> {
                assertThat(c.observed()).isEqualTo(Observed.INCONCLUSIVE);
                assertThat(c.detail()).startsWith("resource missing");
            });
        }
    }

    @Test
    void aFailedConditionMeansTheWriteWasAuthorizedOnlyWhenTheProbeSaysSo() {
        try (DynamoDbClient ddb = aws.dynamo()) {
            ProbeCall write = () -> ddb.putItem(r -> r.tableName("classifier-table")
                    .item(java.util.Map.of("pk", AttributeValue.fromS("probe")))
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pk)")
                    .overrideConfiguration(BOUNDED));
            assertThat(observe(write).observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(observe(ProbeCall.authorizedIfErrorCode(write, "ConditionalCheckFailedException"))
                            .observed())
                    .isEqualTo(Observed.ALLOWED);
            // The condition can never hold: nothing was written.
            assertThat(ddb.getItem(r -> r.tableName("classifier-table")
                                    .key(java.util.Map.of("pk", AttributeValue.fromS("probe"))))
                            .hasItem())
                    .isFalse();
        }
    }

    // --- network: no moto needed ---------------------------------------------------------------------------------

    @Test
    void connectionRefusedIsInconclusive() throws IOException {
        int closed = MotoServer.freePort();
        Aws nowhere = new Aws(URI.create("http://127.0.0.1:" + closed), Aws.ADMIN, null);
        try (StsClient sts = nowhere.sts()) {
            long start = System.nanoTime();
            Classification c = observe(() -> sts.getCallerIdentity(r -> r.overrideConfiguration(BOUNDED)));
            assertThat(c.observed()).isEqualTo(Observed.INCONCLUSIVE);
            assertThat(c.detail()).containsAnyOf("network", "timed out");
            assertThat(elapsedMs(start)).isLessThan(TIMEOUT.toMillis() + 500);
        }
    }

    @Test
    void anEndpointThatNeverAnswersIsInconclusiveWithinTheBound() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accept, never answer
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Aws silentAws = new Aws(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Aws.ADMIN, null);
            try (StsClient sts = silentAws.sts()) {
                long start = System.nanoTime();
                Classification c = observe(() -> sts.getCallerIdentity(r -> r.overrideConfiguration(BOUNDED)));
                assertThat(c.observed()).isEqualTo(Observed.INCONCLUSIVE);
                assertThat(c.detail()).startsWith("timed out");
                assertThat(elapsedMs(start)).isLessThan(TIMEOUT.toMillis() + 500);
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void unknownFailuresAreInconclusive() {
        assertThat(Classifier.classify(new IllegalStateException("boom")).observed())
                .isEqualTo(Observed.INCONCLUSIVE);
        assertThat(Classifier.classify(new java.util.concurrent.TimeoutException("late"))
                        .detail())
                .startsWith("timed out");
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
