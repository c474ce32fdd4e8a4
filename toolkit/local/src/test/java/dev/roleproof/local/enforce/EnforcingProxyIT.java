package dev.roleproof.local.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.local.aws.MotoServer;
import dev.roleproof.testing.RequiredTool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The proxy in front of a real moto server, called by real SDK v2 clients; the engine judges with policies built here.
 * Account A = 111111111111 (the function), B = 222222222222 (the cross-account target).
 */
class EnforcingProxyIT {
    static final String A = "111111111111";
    static final String B = "222222222222";
    static final String CONSUMER = "arn:aws:sts::" + A + ":assumed-role/ConsumerRole/consumer-fn";
    static final String NOBODY = "arn:aws:sts::" + A + ":assumed-role/EmptyRole/empty-fn";
    static final String WRITER = "arn:aws:sts::" + A + ":assumed-role/WriterRole/writer-fn";
    static final String LISTER = "arn:aws:sts::" + A + ":assumed-role/ListerRole/lister-fn";
    static final String BROKEN = "arn:aws:sts::" + A + ":assumed-role/Missing/broken-fn";
    static final String READER_ROLE_B = "arn:aws:iam::" + B + ":role/ReaderRole";
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:" + A + ":orders";
    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders";
    static final String KEY = "in box/Grüße+1 é.txt";

    static MotoServer moto;
    static EnforcingProxy proxy;
    static final Map<String, List<Policy>> identity = new ConcurrentHashMap<>();
    static final Map<String, Policy> trust = new ConcurrentHashMap<>();
    static String queueUrl;
    static String streamArn;

    @BeforeAll
    static void start() {
        RequiredTool.require("moto_server");
        moto = MotoServer.start();
        // The test's PolicySource: identity policies per caller; for sts:AssumeRole the target role's trust policy.
        PolicySource policies = (caller, request) -> {
            if (caller.arn().equals(BROKEN)) {
                throw new IllegalStateException("no role deployed for " + caller.arn());
            }
            AuthorizationInput.Builder input = AuthorizationInput.builder(request)
                    .identityPolicies(identity.getOrDefault(caller.arn(), List.of()));
            if (request.action().equalsIgnoreCase("sts:AssumeRole")) {
                input.resourcePolicy(trust.get(request.resource()));
            }
            return input.build();
        };
        proxy = EnforcingProxy.start(moto.endpoint(), policies, Evaluator.create());

        identity.put(CONSUMER, List.of(policy("ConsumerRole/inline/Work", """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Queue", "Effect": "Allow",
           "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
           "Resource": "%s"},
          {"Sid": "Table", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "%s"},
          {"Sid": "Stream", "Effect": "Allow",
           "Action": ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"],
           "Resource": "%s/stream/*"},
          {"Sid": "ListStreams", "Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": "*"},
          {"Sid": "Objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::inbox-a/in box/*"},
          {"Sid": "AssumeB", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "%s"},
          {"Sid": "NoSts", "Effect": "Deny", "Action": "sts:GetCallerIdentity", "Resource": "*"}
        ]}""".formatted(
                        QUEUE_ARN, TABLE_ARN, TABLE_ARN, READER_ROLE_B))));
        identity.put(
                "arn:aws:sts::" + B + ":assumed-role/ReaderRole/xacct",
                List.of(policy("ReaderRole/inline/Read", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "dynamodb:GetItem",
           "Resource": "arn:aws:dynamodb:us-east-1:%s:table/Shared"}]}""".formatted(B))));
        trust.put(READER_ROLE_B, policy("ReaderRole/trust", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/ConsumerRole"}, "Action": "sts:AssumeRole",
           "Condition": {"StringEquals": {"sts:ExternalId": "roleproof-xacct"}}}]}""".formatted(A)));
        proxy.registerCredentials("AKIACONSUMER", new Principal(CONSUMER, A));
        proxy.registerCredentials("AKIANOBODY", new Principal(NOBODY, A));
        proxy.registerCredentials("AKIAWRITER", new Principal(WRITER, A));
        proxy.registerCredentials("AKIABROKEN", new Principal(BROKEN, A));
        identity.put(WRITER, List.of(policy("WriterRole/inline/Write", """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::inbox-a/out/*"},
          {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"], "Resource": "*"}]}""")));

        // Setup as the account admin (an unknown key): forwarded unjudged.
        try (SqsClient sqs = sqs(admin(), A)) {
            queueUrl = sqs.createQueue(b -> b.queueName("orders")).queueUrl();
        }
        try (DynamoDbClient ddb = dynamodb(admin(), A)) {
            streamArn = ddb.createTable(b -> b.tableName("Orders")
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .keySchema(KeySchemaElement.builder()
                                    .attributeName("id")
                                    .keyType(KeyType.HASH)
                                    .build())
                            .attributeDefinitions(AttributeDefinition.builder()
                                    .attributeName("id")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                            .streamSpecification(StreamSpecification.builder()
                                    .streamEnabled(true)
                                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                                    .build()))
                    .tableDescription()
                    .latestStreamArn();
            ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o-1"), "total", s("42"))));
        }
        try (DynamoDbClient ddb = dynamodb(admin(), B)) {
            ddb.createTable(b -> b.tableName("Shared")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("id")
                            .keyType(KeyType.HASH)
                            .build())
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("id")
                            .attributeType(ScalarAttributeType.S)
                            .build()));
            ddb.putItem(b -> b.tableName("Shared").item(Map.of("id", s("k"), "owner", s("account-b"))));
        }
        try (S3Client s3 = s3(admin(), A)) {
            s3.createBucket(b -> b.bucket("inbox-a"));
            s3.putObject(b -> b.bucket("inbox-a").key(KEY), RequestBody.fromString("hello from A"));
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------- SQS

    @Test
    void sqsAllowedCallsReachMotoAndBatchDeletesAreJudgedAsDeleteMessage() {
        try (SqsClient sqs = sqs(admin(), A)) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("order-1"));
        }
        try (SqsClient sqs = sqs(keys("AKIACONSUMER"), null)) {
            List<Message> messages = sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10))
                    .messages();
            assertThat(messages).extracting(Message::body).contains("order-1");
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl)
                    .entries(DeleteMessageBatchRequestEntry.builder()
                            .id("0")
                            .receiptHandle(messages.get(0).receiptHandle())
                            .build()));
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("All"))
                            .attributes())
                    .isNotEmpty();
        }
        List<CallRecord> mine = proxy.calls(CONSUMER);
        assertThat(mine)
                .extracting(CallRecord::action, CallRecord::resource, CallRecord::decision)
                .contains(
                        tuple("sqs:ReceiveMessage", QUEUE_ARN, Outcome.ALLOWED),
                        tuple("sqs:DeleteMessage", QUEUE_ARN, Outcome.ALLOWED),
                        tuple("sqs:GetQueueAttributes", QUEUE_ARN, Outcome.ALLOWED));
    }

    @Test
    void sqsDenialIsSqsExceptionAccessDenied403() {
        try (SqsClient sqs = sqs(keys("AKIACONSUMER"), null)) {
            assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("not allowed")))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains(CONSUMER)
                                .contains("sqs:sendmessage")
                                .contains(QUEUE_ARN);
                    });
            assertThatThrownBy(sqs::listQueues).isInstanceOf(SqsException.class);
        }
        CallRecord send = last(CONSUMER, "sqs:SendMessage");
        assertThat(send.decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
        assertThat(send.explanation()).isNotNull();
        assertThat(send.explanation().deniedBy()).isEqualTo(dev.roleproof.engine.PolicyType.IDENTITY);
        assertThat(send.message()).contains("sqs:sendmessage");
        assertThat(last(CONSUMER, "sqs:ListQueues").resource()).isEqualTo("*");
        // The denied message never reached moto.
        try (SqsClient sqs = sqs(admin(), A)) {
            assertThat(sqs.receiveMessage(b ->
                                    b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0))
                            .messages())
                    .extracting(Message::body)
                    .doesNotContain("not allowed");
        }
    }

    @Test
    void sqsQueryProtocolDenialIsXml() throws Exception {
        String form = "Action=SendMessage&Version=2012-11-05&QueueUrl="
                + java.net.URLEncoder.encode(queueUrl, StandardCharsets.UTF_8) + "&MessageBody=x";
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(proxy.endpoint())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header(
                                        "Authorization",
                                        "AWS4-HMAC-SHA256 Credential=AKIACONSUMER/20261129/us-east-1/sqs/aws4_request, "
                                                + "SignedHeaders=host, Signature=00")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body())
                .contains("<Code>AccessDenied</Code>")
                .contains("<Type>Sender</Type>")
                .contains("sqs:sendmessage");
    }

    // -------------------------------------------------------------------------------------------------- DynamoDB

    @Test
    void dynamodbAllowedReadReturnsTheItemAndWriteIsAccessDeniedException400() {
        try (DynamoDbClient ddb = dynamodb(keys("AKIACONSUMER"), null)) {
            Map<String, AttributeValue> item = ddb.getItem(
                            b -> b.tableName("Orders").key(Map.of("id", s("o-1"))))
                    .item();
            assertThat(item.get("total").s()).isEqualTo("42");
            assertThatThrownBy(() -> ddb.putItem(b -> b.tableName("Orders").item(Map.of("id", s("o-2")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("dynamodb:PutItem")
                                .contains(TABLE_ARN);
                    });
            assertThatThrownBy(() -> ddb.describeTable(b -> b.tableName("Orders")))
                    .isInstanceOf(DynamoDbException.class);
        }
        assertThat(last(CONSUMER, "dynamodb:GetItem").decision()).isEqualTo(Outcome.ALLOWED);
        assertThat(last(CONSUMER, "dynamodb:PutItem").resource()).isEqualTo(TABLE_ARN);
    }

    @Test
    void dynamodbLeadingKeysComeFromTheTablesKeySchemaInMoto() {
        String tenant = "arn:aws:sts::" + A + ":assumed-role/TenantRole/tenant-fn";
        identity.put(tenant, List.of(policy("TenantRole/inline", """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
         "Resource": "%s", "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["o-1"]}}}]}""".formatted(TABLE_ARN))));
        proxy.registerCredentials("AKIATENANT", new Principal(tenant, A));
        try (DynamoDbClient ddb = dynamodb(keys("AKIATENANT"), null)) {
            assertThat(ddb.getItem(b -> b.tableName("Orders").key(Map.of("id", s("o-1"))))
                            .item())
                    .isNotEmpty();
            assertThatThrownBy(() -> ddb.getItem(b -> b.tableName("Orders").key(Map.of("id", s("o-2")))))
                    .isInstanceOf(DynamoDbException.class);
        }
        assertThat(last(tenant, "dynamodb:GetItem").context()).containsEntry("dynamodb:LeadingKeys", List.of("o-2"));
    }

    @Test
    void streamsGetRecordsIsJudgedOnTheStreamThatIssuedTheIterator() {
        String shardId;
        try (DynamoDbStreamsClient streams = streams(keys("AKIACONSUMER"))) {
            assertThat(streams.listStreams(b -> b.tableName("Orders")).streams())
                    .isNotEmpty();
            shardId = streams.describeStream(b -> b.streamArn(streamArn))
                    .streamDescription()
                    .shards()
                    .get(0)
                    .shardId();
            String iterator = streams.getShardIterator(b ->
                            b.streamArn(streamArn).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            var records = streams.getRecords(b -> b.shardIterator(iterator));
            assertThat(records.records()).isNotEmpty();
            assertThat(records.records().get(0).dynamodb().newImage().get("id").s())
                    .isEqualTo("o-1");
            // The next iterator is remembered too.
            streams.getRecords(b -> b.shardIterator(records.nextShardIterator()));
        }
        List<CallRecord> getRecords = proxy.calls(CONSUMER).stream()
                .filter(c -> c.action().equals("dynamodb:GetRecords"))
                .toList();
        assertThat(getRecords).hasSizeGreaterThanOrEqualTo(2).allSatisfy(c -> {
            assertThat(c.resource()).isEqualTo(streamArn);
            assertThat(c.decision()).isEqualTo(Outcome.ALLOWED);
        });
        assertThat(last(CONSUMER, "dynamodb:ListStreams").resource()).isEqualTo("*");

        try (DynamoDbStreamsClient streams = streams(keys("AKIANOBODY"))) {
            assertThatThrownBy(() -> streams.describeStream(b -> b.streamArn(streamArn)))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    });
        }
    }

    // -------------------------------------------------------------------------------------------------------- S3

    @Test
    void s3GetOfAnEncodedKeyIsAllowedAndPutIsAccessDenied403() {
        try (S3Client s3 = s3(keys("AKIACONSUMER"), null)) {
            String body = s3.getObjectAsBytes(b -> b.bucket("inbox-a").key(KEY)).asUtf8String();
            assertThat(body).isEqualTo("hello from A");
            assertThat(s3.headObject(b -> b.bucket("inbox-a").key(KEY)).contentLength())
                    .isEqualTo(12L);
            assertThatThrownBy(() -> s3.putObject(
                            b -> b.bucket("inbox-a").key("in box/new.txt"), RequestBody.fromString("nope")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    });
            assertThatThrownBy(s3::listBuckets)
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("inbox-a").prefix("in box/")))
                    .isInstanceOf(S3Exception.class);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("inbox-a").key("elsewhere.txt")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(proxy.calls(CONSUMER))
                .filteredOn(c -> c.action().equals("s3:GetObject"))
                .extracting(CallRecord::resource, CallRecord::decision)
                .contains(
                        tuple("arn:aws:s3:::inbox-a/" + KEY, Outcome.ALLOWED),
                        tuple("arn:aws:s3:::inbox-a/elsewhere.txt", Outcome.IMPLICITLY_DENIED));
        assertThat(last(CONSUMER, "s3:PutObject").decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
        assertThat(last(CONSUMER, "s3:ListAllMyBuckets").resource()).isEqualTo("*");
        CallRecord list = last(CONSUMER, "s3:ListBucket");
        assertThat(list.resource()).isEqualTo("arn:aws:s3:::inbox-a");
        assertThat(list.context()).containsEntry("s3:prefix", List.of("in box/"));
    }

    @Test
    void aMissingObjectIs404OnlyForCallersWhoMayListTheBucket() {
        // CONSUMER may read in box/* but not list the bucket: S3 answers 403, as it does in AWS.
        long listsBefore = proxy.calls(CONSUMER).stream()
                .filter(c -> c.action().equals("s3:ListBucket"))
                .count();
        try (S3Client s3 = s3(keys("AKIACONSUMER"), null)) {
            assertThatThrownBy(() -> s3.getObject(b -> b.bucket("inbox-a").key("in box/gone.txt")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    });
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("inbox-a").key("in box/gone.txt")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(proxy.calls(CONSUMER))
                .filteredOn(c -> c.action().equals("s3:ListBucket"))
                .hasSize((int) listsBefore + 2)
                .last()
                .satisfies(c -> {
                    assertThat(c.resource()).isEqualTo("arn:aws:s3:::inbox-a");
                    assertThat(c.decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
                });
        // A caller who may list it gets the 404 NoSuchKey.
        identity.put(LISTER, List.of(policy("ListerRole/inline", """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::inbox-a", "arn:aws:s3:::inbox-a/*"]}]}""")));
        proxy.registerCredentials("AKIALISTER", new Principal(LISTER, A));
        try (S3Client s3 = s3(keys("AKIALISTER"), null)) {
            assertThatThrownBy(() -> s3.getObject(b -> b.bucket("inbox-a").key("in box/gone.txt")))
                    .isInstanceOfSatisfying(
                            software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(404));
        }
    }

    // ------------------------------------------------------------------------------------------------------- STS

    @Test
    void assumeRoleIsJudgedOnBothSidesAndItsKeysAreRegistered() {
        Credentials credentials;
        try (StsClient sts = sts(keys("AKIACONSUMER"))) {
            assertThatThrownBy(() -> sts.assumeRole(b ->
                            b.roleArn(READER_ROLE_B).roleSessionName("xacct").externalId("wrong")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("sts:AssumeRole")
                                .contains(READER_ROLE_B);
                    });
            credentials = sts.assumeRole(b ->
                            b.roleArn(READER_ROLE_B).roleSessionName("xacct").externalId("roleproof-xacct"))
                    .credentials();
        }
        List<CallRecord> assumes = proxy.calls(CONSUMER).stream()
                .filter(c -> c.action().equals("sts:AssumeRole"))
                .toList();
        CallRecord wrongExternalId = assumes.get(assumes.size() - 2);
        assertThat(wrongExternalId.decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
        assertThat(wrongExternalId.explanation().deniedBy()).isEqualTo(dev.roleproof.engine.PolicyType.RESOURCE);
        CallRecord assume = last(CONSUMER, "sts:AssumeRole");
        assertThat(assume.decision()).isEqualTo(Outcome.ALLOWED);
        assertThat(assume.explanation()).isNull();
        assertThat(assume.context())
                .containsEntry("sts:ExternalId", List.of("roleproof-xacct"))
                .containsEntry("sts:RoleSessionName", List.of("xacct"));

        String session = "arn:aws:sts::" + B + ":assumed-role/ReaderRole/xacct";
        assertThat(proxy.principalOf(credentials.accessKeyId())).contains(new Principal(session, B));
        AwsSessionCredentials sessionKeys = AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
        try (StsClient sts = sts(sessionKeys)) {
            var identity = sts.getCallerIdentity();
            assertThat(identity.arn()).isEqualTo(session);
            assertThat(identity.account()).isEqualTo(B);
        }
        try (DynamoDbClient ddb = dynamodb(sessionKeys, null)) {
            // Lands in account B's moto (x-moto-account-id from the session's account).
            assertThat(ddb.getItem(b -> b.tableName("Shared").key(Map.of("id", s("k"))))
                            .item()
                            .get("owner")
                            .s())
                    .isEqualTo("account-b");
            assertThatThrownBy(() -> ddb.putItem(b -> b.tableName("Shared").item(Map.of("id", s("x")))))
                    .isInstanceOf(DynamoDbException.class);
        }
        assertThat(last(session, "dynamodb:GetItem").resource())
                .isEqualTo("arn:aws:dynamodb:us-east-1:" + B + ":table/Shared");
    }

    @Test
    void getCallerIdentityIsNeverDeniedAndNamesTheRegisteredCaller() {
        try (StsClient sts = sts(keys("AKIACONSUMER"))) {
            var identity = sts.getCallerIdentity();
            assertThat(identity.arn()).isEqualTo(CONSUMER);
            assertThat(identity.account()).isEqualTo(A);
        }
        assertThat(last(CONSUMER, "sts:GetCallerIdentity").decision()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void unknownKeysAreForwardedUnjudgedAndRecordedAsAdmin() {
        try (SqsClient sqs = sqs(admin(), A)) {
            assertThat(sqs.listQueues().queueUrls()).anyMatch(u -> u.endsWith("/orders"));
        }
        assertThat(proxy.calls())
                .filteredOn(CallRecord::admin)
                .extracting(CallRecord::action)
                .contains("sqs:ListQueues", "sqs:CreateQueue", "dynamodb:CreateTable");
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    @Test
    void allowedUploadsStreamThroughUnchanged() {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(payload);
        try (S3Client s3 = s3(keys("AKIAWRITER"), null)) {
            s3.putObject(b -> b.bucket("inbox-a").key("out/big.bin"), RequestBody.fromBytes(payload));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("inbox-a").key("out/big.bin"))
                            .asByteArray())
                    .isEqualTo(payload);
            assertThat(s3.headObject(b -> b.bucket("inbox-a").key("out/big.bin"))
                            .contentLength())
                    .isEqualTo(payload.length);
        }
        assertThat(last(WRITER, "s3:PutObject").decision()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void aLongPollDoesNotHoldUpOtherCalls() throws Exception {
        try (SqsClient sqs = sqs(keys("AKIAWRITER"), null)) {
            String empty = null;
            try (SqsClient admin = sqs(admin(), A)) {
                empty = admin.createQueue(b -> b.queueName("empty-for-long-poll"))
                        .queueUrl();
            }
            String url = empty;
            var poll = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3)).messages());
            Thread.sleep(200); // let the poll reach moto
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All"))
                            .attributes())
                    .isNotEmpty();
            assertThat(poll)
                    .as("the long poll is still waiting while another call completed")
                    .isNotDone();
            assertThat(poll.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aFailingPolicySourceDeniesAndSaysWhy() {
        try (SqsClient sqs = sqs(keys("AKIABROKEN"), null)) {
            assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(queueUrl)))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("could not judge")
                                .contains("no role deployed");
                    });
        }
        assertThat(last(BROKEN, "sqs:ReceiveMessage").decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    }

    @Test
    void aRequestThatMapsToNoActionIsDeniedNotForwarded() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(proxy.endpoint().resolve("/2015-03-31/functions/f/invocations"))
                                .header(
                                        "Authorization",
                                        "AWS4-HMAC-SHA256 Credential=AKIACONSUMER/20261129/us-east-1/lambda/"
                                                + "aws4_request, SignedHeaders=host, Signature=00")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("AccessDeniedException");
        assertThat(response.body()).contains("cannot tell which IAM action");
        CallRecord record = proxy.calls(CONSUMER).get(proxy.calls(CONSUMER).size() - 1);
        assertThat(record.action()).startsWith("lambda:");
        assertThat(record.decision()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    static CallRecord last(String principal, String action) {
        List<CallRecord> matching = proxy.calls(principal).stream()
                .filter(c -> c.action().equals(action))
                .toList();
        assertThat(matching).as("calls of %s by %s", action, principal).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    static Policy policy(String name, String json) {
        return PolicyParser.parse(name, json);
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AwsCredentials admin() {
        return AwsBasicCredentials.create("admin", "admin");
    }

    static AwsCredentials keys(String accessKeyId) {
        return AwsBasicCredentials.create(accessKeyId, "secret");
    }

    static SqsClient sqs(AwsCredentials credentials, String adminAccount) {
        return SqsClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (adminAccount != null) {
                        o.putHeader("x-moto-account-id", adminAccount);
                    }
                })
                .build();
    }

    static DynamoDbClient dynamodb(AwsCredentials credentials, String adminAccount) {
        return DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (adminAccount != null) {
                        o.putHeader("x-moto-account-id", adminAccount);
                    }
                })
                .build();
    }

    static DynamoDbStreamsClient streams(AwsCredentials credentials) {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static S3Client s3(AwsCredentials credentials, String adminAccount) {
        return S3Client.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (adminAccount != null) {
                        o.putHeader("x-moto-account-id", adminAccount);
                    }
                })
                .build();
    }

    static StsClient sts(AwsCredentials credentials) {
        return StsClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
