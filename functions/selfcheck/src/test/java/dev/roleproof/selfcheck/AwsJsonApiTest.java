package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.roleproof.selfcheck.internal.Classifier;
import dev.roleproof.testing.MotoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * AwsJsonApi against the SDK's own clients: the same request on the wire, the same answer from moto, and on AWS's
 * error shapes (served by a JDK HTTP server: no AWS here) the same error code and the same classification.
 */
class AwsJsonApiTest {

    /** What the server answers next, and the requests it saw. */
    static AwsErrors.Shape answer;

    static final List<Map<String, String>> seen = new ArrayList<>();
    static HttpServer server;
    static URI endpoint;

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(Map.of(
                    "target",
                    String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
                    "contentType",
                    String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                    "queryMode",
                    String.valueOf(exchange.getRequestHeaders().getFirst("x-amzn-query-mode")),
                    "authorization",
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "body",
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("x-amzn-RequestId", "r-1");
            byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static AwsJsonApi api(AwsJsonApi.Service service, URI at) {
        return AwsJsonApi.of(
                service, Aws.HTTP, Aws.ADMIN, Region.US_EAST_1, Map.of("AWS_ENDPOINT_URL", at.toString())::get);
    }

    private static final ClientOverrideConfiguration NO_RETRIES = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .build();

    record Case(
            String name,
            AwsErrors.Shape shape,
            AwsJsonApi.Service service,
            String operation,
            Map<String, Object> request,
            String action,
            Consumer<URI> sdkCall) {}

    static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/111111111111/orders";

    static List<Case> cases() {
        Consumer<URI> sqsGetAttributes = at -> {
            try (SqsClient c = SqsClient.builder()
                    .endpointOverride(at)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(Aws.ADMIN)
                    .httpClient(Aws.HTTP)
                    .overrideConfiguration(NO_RETRIES)
                    .build()) {
                c.getQueueAttributes(r -> r.queueUrl(QUEUE).attributeNames(QueueAttributeName.QUEUE_ARN));
            }
        };
        Consumer<URI> describeTable = at -> {
            try (DynamoDbClient c = DynamoDbClient.builder()
                    .endpointOverride(at)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(Aws.ADMIN)
                    .httpClient(Aws.HTTP)
                    .overrideConfiguration(NO_RETRIES)
                    .build()) {
                c.describeTable(r -> r.tableName("audit"));
            }
        };
        Consumer<URI> describeStream = at -> {
            try (DynamoDbStreamsClient c = DynamoDbStreamsClient.builder()
                    .endpointOverride(at)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(Aws.ADMIN)
                    .httpClient(Aws.HTTP)
                    .overrideConfiguration(NO_RETRIES)
                    .build()) {
                c.describeStream(r -> r.streamArn("arn:aws:dynamodb:us-east-1:111111111111:table/audit/stream/x")
                        .limit(1));
            }
        };
        Map<String, Object> sqsRequest = Map.of("QueueUrl", QUEUE, "AttributeNames", List.of("QueueArn"));
        Map<String, Object> tableRequest = Map.of("TableName", "audit");
        Map<String, Object> streamRequest =
                Map.of("StreamArn", "arn:aws:dynamodb:us-east-1:111111111111:table/audit/stream/x", "Limit", 1);
        String json = "application/x-amz-json-1.0";
        return List.of(
                new Case(
                        "sqs access denied",
                        AwsErrors.sqsAccessDenied("sqs:GetQueueAttributes", QUEUE),
                        AwsJsonApi.Service.SQS,
                        "GetQueueAttributes",
                        sqsRequest,
                        "sqs:GetQueueAttributes",
                        sqsGetAttributes),
                new Case(
                        "sqs missing queue",
                        new AwsErrors.Shape(
                                400,
                                Map.of(
                                        "Content-Type",
                                        json,
                                        "x-amzn-query-error",
                                        "AWS.SimpleQueueService.NonExistentQueue;Sender"),
                                "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does"
                                        + " not exist.\"}"),
                        AwsJsonApi.Service.SQS,
                        "GetQueueAttributes",
                        sqsRequest,
                        "sqs:GetQueueAttributes",
                        sqsGetAttributes),
                new Case(
                        "sqs bad token",
                        new AwsErrors.Shape(
                                403,
                                Map.of("Content-Type", json, "x-amzn-query-error", "InvalidClientTokenId;Sender"),
                                "{\"__type\":\"com.amazon.coral.service#UnrecognizedClientException\",\"message\":\"The"
                                        + " security token included in the request is invalid.\"}"),
                        AwsJsonApi.Service.SQS,
                        "GetQueueAttributes",
                        sqsRequest,
                        "sqs:GetQueueAttributes",
                        sqsGetAttributes),
                new Case(
                        "dynamodb access denied",
                        AwsErrors.dynamoAccessDenied("dynamodb:DescribeTable", "t"),
                        AwsJsonApi.Service.DYNAMODB,
                        "DescribeTable",
                        tableRequest,
                        "dynamodb:DescribeTable",
                        describeTable),
                new Case(
                        "dynamodb throttled",
                        AwsErrors.dynamoThrottling(),
                        AwsJsonApi.Service.DYNAMODB,
                        "DescribeTable",
                        tableRequest,
                        "dynamodb:DescribeTable",
                        describeTable),
                new Case(
                        "dynamodb missing table",
                        new AwsErrors.Shape(
                                400,
                                Map.of("Content-Type", json),
                                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":"
                                        + "\"Requested resource not found: Table: audit not found\"}"),
                        AwsJsonApi.Service.DYNAMODB,
                        "DescribeTable",
                        tableRequest,
                        "dynamodb:DescribeTable",
                        describeTable),
                new Case(
                        "dynamodb server error",
                        new AwsErrors.Shape(
                                500,
                                Map.of("Content-Type", json),
                                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"x\"}"),
                        AwsJsonApi.Service.DYNAMODB,
                        "DescribeTable",
                        tableRequest,
                        "dynamodb:DescribeTable",
                        describeTable),
                new Case(
                        "streams access denied",
                        AwsErrors.dynamoAccessDenied("dynamodb:DescribeStream", "s"),
                        AwsJsonApi.Service.DYNAMODB_STREAMS,
                        "DescribeStream",
                        streamRequest,
                        "dynamodb:DescribeStream",
                        describeStream),
                new Case(
                        "a proxy's HTML 403",
                        new AwsErrors.Shape(
                                403, Map.of("Content-Type", "text/html"), "<html><body>Forbidden</body></html>"),
                        AwsJsonApi.Service.DYNAMODB_STREAMS,
                        "DescribeStream",
                        streamRequest,
                        "dynamodb:DescribeStream",
                        describeStream));
    }

    @Test
    void errorsAndRequestsAreTheSdkClientsOwn() throws Exception {
        for (Case c : cases()) {
            answer = c.shape();
            seen.clear();
            Throwable sdk = catchFrom(() -> c.sdkCall().accept(endpoint));
            Throwable ours = catchFrom(() -> api(c.service(), endpoint).call(c.operation(), c.request()));

            assertThat(ours).as(c.name()).isInstanceOf(AwsServiceException.class);
            assertThat(sdk).as(c.name()).isInstanceOf(AwsServiceException.class);
            AwsServiceException a = (AwsServiceException) sdk;
            AwsServiceException b = (AwsServiceException) ours;
            assertThat(b.statusCode()).as(c.name()).isEqualTo(a.statusCode());
            assertThat(b.awsErrorDetails().errorCode())
                    .as(c.name())
                    .isEqualTo(a.awsErrorDetails().errorCode());
            assertThat(b.awsErrorDetails().serviceName())
                    .as(c.name())
                    .isEqualTo(a.awsErrorDetails().serviceName());
            assertThat(b.requestId()).as(c.name()).isEqualTo(a.requestId());
            assertThat(Classifier.classify(b, c.action()).observed())
                    .as(c.name())
                    .isEqualTo(Classifier.classify(a, c.action()).observed());
            assertThat(Classifier.classify(b, c.action()).detail())
                    .as(c.name())
                    .startsWith(Classifier.classify(a, c.action()).detail().split(":")[0]);

            // The same request on the wire: operation, protocol, body, and signed for the same service and region.
            assertThat(seen).as(c.name()).hasSize(2);
            Map<String, String> fromSdk = seen.get(0);
            Map<String, String> fromUs = seen.get(1);
            assertThat(fromUs.get("target")).as(c.name()).isEqualTo(fromSdk.get("target"));
            assertThat(fromUs.get("contentType")).as(c.name()).isEqualTo(fromSdk.get("contentType"));
            assertThat(fromUs.get("queryMode")).as(c.name()).isEqualTo(fromSdk.get("queryMode"));
            assertThat(JsonNode.parser().parse(fromUs.get("body")).asObject())
                    .as(c.name())
                    .isEqualTo(JsonNode.parser().parse(fromSdk.get("body")).asObject());
            assertThat(scope(fromUs.get("authorization"))).as(c.name()).isEqualTo(scope(fromSdk.get("authorization")));
        }
    }

    /** "us-east-1/sqs/aws4_request" of a SigV4 Authorization header. */
    private static String scope(String authorization) {
        String credential =
                authorization.substring(authorization.indexOf("Credential=") + 11, authorization.indexOf(','));
        return credential.substring(credential.indexOf('/') + 10);
    }

    private static Throwable catchFrom(ThrowingRunnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void answersWhatTheSdkClientsAnswerFromMoto() throws Exception {
        MotoServer moto = MotoServer.shared();
        MotoServer.assumeRunning(moto);
        Aws admin = new Aws(moto.endpoint(), Aws.ADMIN, null);
        String queueUrl;
        String queueArn;
        try (SqsClient sqs = admin.sqs()) {
            queueUrl = sqs.createQueue(r -> r.queueName("json-api-probe")).queueUrl();
            queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        }
        byte[] answer = api(AwsJsonApi.Service.SQS, moto.endpoint())
                .call("GetQueueAttributes", Map.of("QueueUrl", queueUrl, "AttributeNames", List.of("QueueArn")));
        assertThat(JsonNode.parser()
                        .parse(answer)
                        .field("Attributes")
                        .flatMap(a -> a.field("QueueArn"))
                        .map(JsonNode::text))
                .contains(queueArn);

        String streamArn;
        try (DynamoDbClient dynamo = admin.dynamo()) {
            streamArn = dynamo.createTable(r -> r.tableName("json-api-probe")
                            .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                            .billingMode("PAY_PER_REQUEST")
                            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
                    .tableDescription()
                    .latestStreamArn();
        }
        assertThat(new String(
                        api(AwsJsonApi.Service.DYNAMODB, moto.endpoint())
                                .call("DescribeTable", Map.of("TableName", "json-api-probe")),
                        StandardCharsets.UTF_8))
                .contains("\"TableName\"");
        String stream;
        try (DynamoDbStreamsClient streams = admin.streams()) {
            stream = streams.describeStream(r -> r.streamArn(streamArn))
                    .streamDescription()
                    .streamArn();
        }
        assertThat(JsonNode.parser()
                        .parse(api(AwsJsonApi.Service.DYNAMODB_STREAMS, moto.endpoint())
                                .call("DescribeStream", Map.of("StreamArn", streamArn)))
                        .field("StreamDescription")
                        .flatMap(d -> d.field("StreamArn"))
                        .map(JsonNode::text))
                .contains(stream);
        // A refusal from moto itself (no such table) is the SDK's exception too.
        assertThatThrownBy(() -> api(AwsJsonApi.Service.DYNAMODB, moto.endpoint())
                        .call("DescribeTable", Map.of("TableName", "no-such-table")))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void endpointFollowsTheSdkVariablesThenThePartition() {
        Map<String, String> none = Map.of();
        assertThat(AwsJsonApi.of(AwsJsonApi.Service.SQS, Aws.HTTP, Aws.ADMIN, Region.EU_WEST_1, none::get)
                        .endpoint())
                .isEqualTo(URI.create("https://sqs.eu-west-1.amazonaws.com"));
        assertThat(AwsJsonApi.of(AwsJsonApi.Service.DYNAMODB_STREAMS, Aws.HTTP, Aws.ADMIN, Region.CN_NORTH_1, none::get)
                        .endpoint())
                .isEqualTo(URI.create("https://streams.dynamodb.cn-north-1.amazonaws.com.cn"));
        assertThat(AwsJsonApi.of(
                                AwsJsonApi.Service.DYNAMODB,
                                Aws.HTTP,
                                Aws.ADMIN,
                                Region.US_EAST_1,
                                Map.of("AWS_ENDPOINT_URL", "http://a:1", "AWS_ENDPOINT_URL_DYNAMODB", "http://b:2")
                                        ::get)
                        .endpoint())
                .isEqualTo(URI.create("http://b:2"));
        assertThat(AwsJsonApi.of(
                                AwsJsonApi.Service.DYNAMODB_STREAMS,
                                Aws.HTTP,
                                Aws.ADMIN,
                                Region.US_EAST_1,
                                Map.of("AWS_ENDPOINT_URL", "http://a:1", "AWS_ENDPOINT_URL_DYNAMODB", "http://b:2")
                                        ::get)
                        .endpoint())
                .isEqualTo(URI.create("http://a:1"));
    }

    @Test
    void errorTypesAreShortenedAsTheSdkShortensThem() {
        assertThat(AwsJsonApi.shortCode("com.amazon.coral.service#AccessDeniedException"))
                .isEqualTo("AccessDeniedException");
        assertThat(AwsJsonApi.shortCode("ThrottlingException:http://internal.amazon.com/coral/"))
                .isEqualTo("ThrottlingException");
        assertThat(AwsJsonApi.shortCode("ResourceNotFoundException")).isEqualTo("ResourceNotFoundException");
    }
}
