package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The whole self-check against moto with real SQS/DynamoDB/S3/STS calls, once per pattern. ALLOWED comes from moto
 * answering; DENIED from {@link AwsErrors} (AWS's real refusal shapes, standing in for issue 6's enforcing proxy).
 * The function runs as an assumed-role session of a role with a path, as in Lambda.
 */
class SelfCheckMotoIT {

    private static final String ACCOUNT = "123456789012";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/roleproof/SqsConsumerRole";
    private static final String TARGET_ROLE_ARN = "arn:aws:iam::222222222222:role/RoleProofTargetRole";
    private static final String BUCKET = "selfcheck-bucket";

    private static final AwsErrors ERRORS = new AwsErrors();
    private static Aws admin;
    private static Aws function; // the execution role's session
    private static String queueUrl;
    private static String queueArn;
    private static String streamArn;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void stack() {
        URI endpoint = MotoServer.shared().endpoint();
        admin = new Aws(endpoint, Aws.ADMIN, null);
        try (StsClient sts = admin.sts();
                SqsClient sqs = admin.sqs();
                DynamoDbClient ddb = admin.dynamo();
                S3Client s3 = admin.s3()) {
            queueUrl = sqs.createQueue(r -> r.queueName("selfcheck-queue")).queueUrl();
            queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            streamArn = ddb.createTable(r -> r.tableName("selfcheck-source")
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(key())
                            .keySchema(hashKey())
                            .streamSpecification(StreamSpecification.builder()
                                    .streamEnabled(true)
                                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                                    .build()))
                    .tableDescription()
                    .latestStreamArn();
            s3.createBucket(r -> r.bucket(BUCKET));
            s3.putObject(r -> r.bucket(BUCKET).key("in/report 1.csv"), RequestBody.fromString("a,b\n"));
            // The function's credentials: a session of its execution role, as Lambda gives it.
            function = new Aws(
                    endpoint,
                    Aws.of(sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("fn"))
                            .credentials()),
                    ERRORS);
            // Account B's table, created by B (a session of B's role: moto picks the account from the key).
            AwsCredentialsProvider inB =
                    Aws.of(sts.assumeRole(r -> r.roleArn(TARGET_ROLE_ARN).roleSessionName("setup"))
                            .credentials());
            try (DynamoDbClient b = new Aws(endpoint, inB, null).dynamo()) {
                b.createTable(r -> r.tableName("target-table")
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(key())
                        .keySchema(hashKey()));
                b.putItem(r -> r.tableName("target-table").item(Map.of("pk", AttributeValue.fromS("hello"))));
            }
        }
    }

    private static AttributeDefinition key() {
        return AttributeDefinition.builder()
                .attributeName("pk")
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement hashKey() {
        return KeySchemaElement.builder()
                .attributeName("pk")
                .keyType(KeyType.HASH)
                .build();
    }

    @BeforeEach
    void noErrors() {
        ERRORS.clear();
    }

    private SelfCheck.Builder<Object> builder(String pattern, Aws as, Map<String, String> env) {
        return SelfCheck.builder(Object.class, pattern)
                .functionName("TestFunction")
                .identity(as.identity())
                .expectedRoleArn(ROLE_ARN)
                .environment(env::get)
                .log(log);
    }

    /** The self-check on demand, with this proof sentence. */
    private static SelfCheckReport run(SelfCheck.Builder<Object> check, String proof) {
        return check.onDemandProof(() -> proof).build().runOnDemand();
    }

    /** The self-check after a delivery (mode every), with probes made from the event. */
    private static SelfCheckReport afterDelivery(SelfCheck.Builder<Object> check, String proof, Probe... fromEvent) {
        return check.environment(Map.of("ROLEPROOF_SELF_CHECK", "every")::get)
                .proof(event -> proof)
                .eventProbes(event -> List.of(fromEvent))
                .build()
                .runIfDue(new Object());
    }

    private SelfCheck.Builder<Object> sqsCheck(SqsClient sqs, Map<String, String> env, Aws as) {
        return builder("sqs-esm", as, env)
                .probe(Probe.require(
                        "sqs:GetQueueAttributes",
                        queueArn,
                        () -> sqs.getQueueAttributes(
                                r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))))
                .probe(Probe.forbid("sqs:ListQueues", "*", () -> sqs.listQueues(r -> r.maxResults(1))));
    }

    private List<String> lines() {
        String all = logged.toString(StandardCharsets.UTF_8);
        return all.isEmpty() ? List.of() : List.of(all.split("\n"));
    }

    @Test
    void sqsPatternPassesAndLogsOneJsonLine() {
        ERRORS.fail(
                "ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":"));
        try (SqsClient sqs = function.sqs()) {
            SelfCheckReport report = run(
                    sqsCheck(sqs, Map.of(), function),
                    "invoked by the event source mapping for " + queueArn + ", so the execution role could read it");
            assertThat(report.verdict()).isEqualTo("PASS");
            assertThat(report.identity()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/SqsConsumerRole/fn");
            assertThat(report.identityMatches()).isTrue();
            assertThat(report.localCredentials()).isFalse();
            assertThat(report.warning()).isNull();
            assertThat(report.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.ALLOWED, Observed.DENIED);
            assertThat(report.probes()).allSatisfy(p -> assertThat(p.hint()).isNull());
            assertThat(lines()).hasSize(1);
            JsonNode json = JsonNode.parser().parse(lines().get(0));
            assertThat(json.field("verdict").get().asString()).isEqualTo("PASS");
            assertThat(json.field("proof").get().asString()).contains(queueArn);
            System.out.println(
                    "self-check against moto (sqs-esm, 2 probes + identity): " + report.durationMs() + " ms");
        }
    }

    @Test
    void aRequiredActionDeniedFailsAndTheHintSaysWhatToGrant() {
        ERRORS.fail("GetQueueAttributes", AwsErrors.sqsAccessDenied("sqs:getqueueattributes", queueArn));
        ERRORS.fail(
                "ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":"));
        try (SqsClient sqs = function.sqs()) {
            SelfCheckReport report = run(sqsCheck(sqs, Map.of(), function), "proof");
            assertThat(report.verdict()).isEqualTo("FAIL");
            ProbeResult failed = report.probes().get(0);
            assertThat(failed.observed()).isEqualTo(Observed.DENIED);
            assertThat(failed.hint())
                    .startsWith(
                            "grant sqs:GetQueueAttributes on " + queueArn + " to the execution role SqsConsumerRole");
        }
    }

    @Test
    void aForbiddenActionAllowedFailsAndTheHintSaysWhatToRemove() {
        try (SqsClient sqs = function.sqs()) {
            SelfCheckReport report = run(sqsCheck(sqs, Map.of(), function), "proof");
            assertThat(report.verdict()).isEqualTo("FAIL");
            ProbeResult failed = report.probes().get(1);
            assertThat(failed.observed()).isEqualTo(Observed.ALLOWED);
            assertThat(failed.hint()).startsWith("remove sqs:ListQueues on * from the execution role SqsConsumerRole");
        }
    }

    @Test
    void streamPatternPasses() {
        String tableArn = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/selfcheck-source";
        ERRORS.fail("DescribeTable", AwsErrors.dynamoAccessDenied("dynamodb:DescribeTable", tableArn));
        try (DynamoDbStreamsClient streams = function.streams();
                DynamoDbClient ddb = function.dynamo()) {
            SelfCheck.Builder<Object> stream = builder("dynamodb-stream-esm", function, Map.of())
                    .probe(Probe.require(
                            "dynamodb:DescribeStream",
                            streamArn,
                            () -> streams.describeStream(
                                    r -> r.streamArn(streamArn).limit(1))))
                    .probe(Probe.forbid(
                            "dynamodb:DescribeTable",
                            tableArn,
                            () -> ddb.describeTable(r -> r.tableName("selfcheck-source"))));
            SelfCheckReport report = run(stream, "invoked by the event source mapping for " + streamArn);
            assertThat(report.verdict()).isEqualTo("PASS");
            assertThat(report.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.ALLOWED, Observed.DENIED);
        }
    }

    @Test
    void s3PatternPassesWithEventProbes() {
        ERRORS.fail("ListObjectsV2", AwsErrors.s3AccessDenied());
        try (S3Client s3 = function.s3()) {
            SelfCheck.Builder<Object> check = builder("s3-push", function, Map.of())
                    .probe(Probe.forbid(
                            "s3:ListBucket",
                            "arn:aws:s3:::" + BUCKET,
                            () -> s3.listObjectsV2(r -> r.bucket(BUCKET).maxKeys(1))));
            // The object comes from the event: a per-invocation probe.
            String key = "in/report 1.csv";
            SelfCheckReport report = afterDelivery(
                    check,
                    "invoked by S3 for bucket " + BUCKET + ", so the function policy allowed s3.amazonaws.com",
                    Probe.require(
                            "s3:GetObject",
                            "arn:aws:s3:::" + BUCKET + "/" + key,
                            () -> s3.headObject(r -> r.bucket(BUCKET).key(key))));
            assertThat(report.verdict()).isEqualTo("PASS");
            assertThat(report.probes())
                    .extracting(ProbeResult::action)
                    .containsExactly("s3:ListBucket", "s3:GetObject");
            assertThat(report.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.DENIED, Observed.ALLOWED);
        }
    }

    @Test
    void crossAccountPatternNeverWritesEvenWhenTheWriteIsWronglyAllowed() {
        String tableB = "arn:aws:dynamodb:us-east-1:222222222222:table/target-table";
        try (StsClient sts = function.sts();
                StsAssumeRoleCredentialsProvider inB = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .refreshRequest(r -> r.roleArn(TARGET_ROLE_ARN)
                                .roleSessionName("reader")
                                .externalId("x-123"))
                        .build();
                DynamoDbClient b = new Aws(function.endpoint, inB, ERRORS).dynamo()) {
            ProbeCall impossibleWrite = ProbeCall.authorizedIfErrorCode(
                    () -> b.putItem(r -> r.tableName("target-table")
                            .item(Map.of("pk", AttributeValue.fromS("hello"), "probe", AttributeValue.fromS("written")))
                            .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pk)")),
                    "ConditionalCheckFailedException");
            SelfCheck<Object> check = builder("cross-account", function, Map.of())
                    .probe(Probe.require(
                            "sts:AssumeRole",
                            TARGET_ROLE_ARN,
                            () -> sts.assumeRole(r -> r.roleArn(TARGET_ROLE_ARN)
                                    .roleSessionName("selfcheck")
                                    .externalId("x-123"))))
                    .probe(Probe.require(
                                    "dynamodb:GetItem",
                                    tableB,
                                    () -> b.getItem(r -> r.tableName("target-table")
                                            .key(Map.of("pk", AttributeValue.fromS("hello")))))
                            .as(TARGET_ROLE_ARN))
                    .probe(Probe.forbid("dynamodb:PutItem", tableB, impossibleWrite)
                            .as(TARGET_ROLE_ARN))
                    .onDemandProof(() -> "AssumeRole into B succeeded")
                    .build();

            ERRORS.fail("PutItem", AwsErrors.dynamoAccessDenied("dynamodb:PutItem", tableB));
            SelfCheckReport pass = check.runOnDemand();
            assertThat(pass.verdict()).isEqualTo("PASS");
            assertThat(pass.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.ALLOWED, Observed.ALLOWED, Observed.DENIED);

            ERRORS.clear(); // B's role wrongly allows PutItem: the condition still stops the write
            SelfCheckReport fail = check.runOnDemand();
            assertThat(fail.verdict()).isEqualTo("FAIL");
            // The write runs as B's role: the hint names B's role, not the execution role.
            assertThat(fail.probes().get(2).hint())
                    .startsWith("remove dynamodb:PutItem on " + tableB + " from the role " + TARGET_ROLE_ARN
                            + " (the probe ran as a session of it)");

            ERRORS.fail("AssumeRole", AwsErrors.stsAccessDenied("sts:AssumeRole", TARGET_ROLE_ARN));
            SelfCheckReport refused = check.runOnDemand();
            assertThat(refused.verdict()).isEqualTo("FAIL");
            assertThat(refused.probes().get(0).hint())
                    .isEqualTo("grant sts:AssumeRole on " + TARGET_ROLE_ARN
                            + " to the execution role SqsConsumerRole, and make the trust policy of " + TARGET_ROLE_ARN
                            + " trust " + ROLE_ARN + " (with the ExternalId it sends, if any)");
        }
        try (DynamoDbClient b = new Aws(
                        function.endpoint,
                        Aws.of(admin.sts()
                                .assumeRole(r -> r.roleArn(TARGET_ROLE_ARN).roleSessionName("verify"))
                                .credentials()),
                        null)
                .dynamo()) {
            Map<String, AttributeValue> item = b.getItem(
                            r -> r.tableName("target-table").key(Map.of("pk", AttributeValue.fromS("hello"))))
                    .item();
            assertThat(item).containsOnlyKeys("pk");
        }
    }

    @Test
    void probesInBWhoseAssumeRoleIsRefusedAreInconclusiveNotDenied() {
        String tableB = "arn:aws:dynamodb:us-east-1:222222222222:table/target-table";
        ERRORS.fail("AssumeRole", AwsErrors.stsAccessDenied("sts:AssumeRole", TARGET_ROLE_ARN));
        try (StsClient sts = function.sts();
                StsAssumeRoleCredentialsProvider inB = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .refreshRequest(r -> r.roleArn(TARGET_ROLE_ARN).roleSessionName("reader"))
                        .build();
                DynamoDbClient b = new Aws(function.endpoint, inB, ERRORS).dynamo()) {
            SelfCheck.Builder<Object> check = builder("cross-account", function, Map.of())
                    .probe(Probe.require(
                            "sts:AssumeRole",
                            TARGET_ROLE_ARN,
                            () -> sts.assumeRole(r -> r.roleArn(TARGET_ROLE_ARN).roleSessionName("selfcheck"))))
                    .probe(Probe.require(
                                    "dynamodb:GetItem",
                                    tableB,
                                    () -> b.getItem(r -> r.tableName("target-table")
                                            .key(Map.of("pk", AttributeValue.fromS("hello")))))
                            .as(TARGET_ROLE_ARN))
                    .probe(Probe.forbid(
                                    "dynamodb:PutItem",
                                    tableB,
                                    ProbeCall.authorizedIfErrorCode(
                                            () -> b.putItem(r -> r.tableName("target-table")
                                                    .item(Map.of("pk", AttributeValue.fromS("hello")))
                                                    .conditionExpression(
                                                            "attribute_exists(pk) AND attribute_not_exists(pk)")),
                                            "ConditionalCheckFailedException"))
                            .as(TARGET_ROLE_ARN));
            SelfCheckReport report = run(check, "proof");
            // Only AssumeRole is to blame: the calls in B never reached DynamoDB, they prove nothing either way.
            assertThat(report.verdict()).isEqualTo("FAIL");
            assertThat(report.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.DENIED, Observed.INCONCLUSIVE, Observed.INCONCLUSIVE);
            assertThat(report.probes().get(1).detail())
                    .startsWith("the call never reached dynamodb: Sts refused first");
            assertThat(report.probes().get(1).hint()).isNull();
        }
    }

    @Test
    void developerCredentialsAreSaidPlainlyAndGiveNoVerdict() {
        ERRORS.fail("GetQueueAttributes", AwsErrors.sqsAccessDenied("sqs:getqueueattributes", queueArn));
        ERRORS.fail(
                "ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":"));
        Aws developer = new Aws(admin.endpoint, Aws.ADMIN, ERRORS);
        try (SqsClient sqs = developer.sqs()) {
            SelfCheckReport report = run(sqsCheck(sqs, Map.of(), developer), "proof");
            assertThat(report.identityMatches()).isFalse();
            assertThat(report.localCredentials()).isTrue();
            assertThat(report.verdict()).isEqualTo("INCONCLUSIVE");
            assertThat(report.warning())
                    .contains("is not the expected role " + ROLE_ARN)
                    .contains("not the execution role");
            // What was observed is still shown, with the warning beside it, but no hint about the execution role.
            assertThat(report.probes())
                    .extracting(ProbeResult::observed)
                    .containsExactly(Observed.DENIED, Observed.DENIED);
            assertThat(report.probes()).allSatisfy(p -> assertThat(p.hint()).isNull());
        }
    }

    @Test
    void samLocalIsFlaggedEvenWhenTheIdentityMatches() {
        ERRORS.fail(
                "ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":"));
        try (SqsClient sqs = function.sqs()) {
            SelfCheckReport report = run(sqsCheck(sqs, Map.of("AWS_SAM_LOCAL", "true"), function), "proof");
            assertThat(report.localCredentials()).isTrue();
            assertThat(report.warning())
                    .contains("AWS_SAM_LOCAL=true")
                    .contains("reflect the developer's credentials")
                    .contains("not the execution role");
            JsonNode json = JsonNode.parser().parse(lines().get(0));
            assertThat(json.field("localCredentials").get().asBoolean()).isTrue();
            assertThat(json.field("warning").get().asString()).contains("developer's credentials");
        }
    }

    @Test
    void anUnreachableEndpointIsInconclusiveWithinTheBound() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Written by the acceptor while the test closes them: a concurrent list.
            List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepts, never answers
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Aws nowhere = new Aws(URI.create("http://127.0.0.1:" + silent.getLocalPort()), Aws.ADMIN, null);
            try (SqsClient sqs = nowhere.sqs()) {
                SelfCheck.Builder<Object> check = sqsCheck(sqs, Map.of(), nowhere);
                long start = System.nanoTime();
                // A call that would never end is cut at the self-check's bound.
                SelfCheckReport report = afterDelivery(
                        check, "proof", Probe.require("s3:GetObject", "arn:aws:s3:::b/k", () -> Thread.sleep(60_000)));
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertThat(report.verdict()).isEqualTo("INCONCLUSIVE");
                assertThat(report.identity()).isNull();
                assertThat(report.warning()).contains("could not read the caller identity");
                assertThat(report.probes()).allSatisfy(p -> {
                    assertThat(p.observed()).isEqualTo(Observed.INCONCLUSIVE);
                    assertThat(p.hint()).isNull();
                });
                assertThat(elapsed)
                        .as("cut at the bound, long before the call would end")
                        .isLessThan(30_000);
                System.out.println("self-check against a silent endpoint: INCONCLUSIVE in " + elapsed + " ms");
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
