package dev.roleproof.ddbstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.selfcheck.AwsJsonApi;
import dev.roleproof.selfcheck.CallerIdentity;
import dev.roleproof.testing.AccessDeniedHttpClient;
import dev.roleproof.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The stream processor over the events/ file, with its self-check against a real DynamoDB Streams API (moto). */
class DdbStreamProcessorHandlerTest {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-ddb-stream-processor";
    static final String INSERT_SEQ = "111100000000000000000001";
    static final String MODIFY_SEQ = "222200000000000000000002";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;
    static String streamArn;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startIfInstalled();
        if (moto == null) {
            return;
        }
        try (DynamoDbClient admin = moto.client(DynamoDbClient.builder(), MotoServer.ACCOUNT_A)) {
            streamArn = admin.createTable(r -> r.tableName("roleproof-audit")
                            .attributeDefinitions(AttributeDefinition.builder()
                                    .attributeName("pk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                            .keySchema(KeySchemaElement.builder()
                                    .attributeName("pk")
                                    .keyType(KeyType.HASH)
                                    .build())
                            .billingMode("PAY_PER_REQUEST")
                            .streamSpecification(
                                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                    .tableDescription()
                    .latestStreamArn();
        }
        executionRole = moto.sessionOf(ROLE_ARN, "roleproof-ddb-stream-processor");
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static DdbStreamProcessorHandler handler(String selfCheckMode) {
        MotoServer.assumeRunning(moto);
        // moto does not enforce IAM: the forbidden DescribeTable is refused by this stand-in for AWS's 403.
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString());
        AwsJsonApi dynamodb = AwsJsonApi.of(
                AwsJsonApi.Service.DYNAMODB,
                AccessDeniedHttpClient.json(
                        UrlConnectionHttpClient.create(),
                        "DynamoDB_20120810.DescribeTable",
                        "arn:aws:sts::111111111111:assumed-role/x/y",
                        "dynamodb:DescribeTable",
                        "arn:aws:dynamodb:us-east-1:111111111111:table/roleproof-audit"),
                executionRole,
                MotoServer.REGION,
                env::get);
        AwsJsonApi streams = AwsJsonApi.of(
                AwsJsonApi.Service.DYNAMODB_STREAMS,
                UrlConnectionHttpClient.create(),
                executionRole,
                MotoServer.REGION,
                env::get);
        CallerIdentity identity = CallerIdentity.of(
                UrlConnectionHttpClient.create(),
                executionRole,
                MotoServer.REGION,
                Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get);
        return new DdbStreamProcessorHandler(
                () -> streams,
                () -> dynamodb,
                identity,
                Map.of(
                        "STREAM_ARN",
                        streamArn,
                        "TABLE_NAME",
                        "roleproof-audit",
                        "ROLEPROOF_EXPECTED_ROLE_ARN",
                        ROLE_ARN,
                        "ROLEPROOF_SELF_CHECK",
                        selfCheckMode));
    }

    private static List<String> failedSequenceNumbers(Object response) {
        assertThat(response).isInstanceOf(StreamsEventResponse.class);
        return ((StreamsEventResponse) response)
                .getBatchItemFailures().stream()
                        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                        .toList();
    }

    /** Runs {@code action} with stdout captured; returns what it printed. */
    private static String captured(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void insertModifyAndRemoveAreAllHandled(DynamodbEvent event) {
        assertThat(event.getRecords())
                .extracting(DynamodbEvent.DynamodbStreamRecord::getEventName)
                .containsExactly("INSERT", "MODIFY", "REMOVE");
        Object[] response = new Object[1];

        String logs = captured(() -> response[0] = handler("off").handle(event));

        assertThat(failedSequenceNumbers(response[0])).isEmpty();
        assertThat(logs)
                .contains(
                        "\"event\":\"item-created\"",
                        "\"event\":\"item-changed\"",
                        "\"changed\":[\"status\"]",
                        "\"event\":\"item-removed\"");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void removeHasNoNewImageAndIsAuditedFromItsOldImage(DynamodbEvent event) {
        DynamodbEvent.DynamodbStreamRecord remove = event.getRecords().get(2);
        assertThat(remove.getDynamodb().getNewImage()).isNull();

        Map<String, Object> line = DdbStreamProcessorHandler.audit(remove);

        assertThat(line).containsEntry("event", "item-removed").containsEntry("key", Map.of("pk", "order-1001"));
        assertThat(line.get("removed")).isEqualTo(Map.of("pk", "order-1001", "status", "SHIPPED", "quantity", "2"));
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aFailingRecordIsReportedAndNothingAfterItIsHandled(DynamodbEvent event) {
        // The MODIFY record now carries a quantity that is not a number.
        event.getRecords().get(1).getDynamodb().getNewImage().put("quantity", new AttributeValue().withS("two"));
        Object[] response = new Object[1];

        String logs = captured(() -> response[0] = handler("off").handle(event));

        // Lambda checkpoints before the reported sequence number and retries from it: the REMOVE after it must not
        // have been handled yet, or it would be handled twice.
        assertThat(failedSequenceNumbers(response[0])).containsExactly(MODIFY_SEQ);
        assertThat(logs)
                .contains(
                        "\"event\":\"item-created\"",
                        INSERT_SEQ,
                        "\"event\":\"record-failed\"",
                        "quantity is not a number")
                .doesNotContain("item-removed");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void theResponseIsWhatLambdaExpectsOnceTheRuntimeSerializesIt(DynamodbEvent event) {
        event.getRecords().get(1).getDynamodb().getNewImage().put("quantity", new AttributeValue().withS("two"));
        Object[] response = new Object[1];
        captured(() -> response[0] = handler("off").handle(event));
        ByteArrayOutputStream json = new ByteArrayOutputStream();

        // The declared output type is Object: the runtime's Jackson serializes the returned object's getters.
        JacksonFactory.getInstance().getSerializer(Object.class).toJson(response[0], json);

        assertThat(json.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + MODIFY_SEQ + "\"}]}");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aRecordWithoutKeysOrOfAnUnknownKindFails(DynamodbEvent event) {
        event.getRecords().get(0).getDynamodb().setKeys(null);
        event.getRecords().get(2).setEventName("TRUNCATE");

        Supplier<List<String>> failed =
                () -> failedSequenceNumbers(handler("off").handle(event));
        assertThat(failed.get()).containsExactly(INSERT_SEQ);
        assertThatThrownByAudit(event.getRecords().get(2), "unknown eventName TRUNCATE");
    }

    private static void assertThatThrownByAudit(DynamodbEvent.DynamodbStreamRecord record, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DdbStreamProcessorHandler.audit(record))
                .isInstanceOf(DdbStreamProcessorHandler.InvalidRecordException.class)
                .hasMessage(message);
    }

    @Test
    void theSelfCheckEventReturnsTheReport() {
        DynamodbEvent event = EventLoader.loadEvent("self-check.json", DynamodbEvent.class);
        assertThat(event.getRecords()).isNull();

        Map<?, ?> report = (Map<?, ?>) handler("off").handle(event);

        assertThat(report.get("pattern")).isEqualTo("dynamodb-stream-esm");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString())
                .contains("dynamodb:DescribeStream", streamArn, "dynamodb:DescribeTable", "observed=DENIED");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aDeliveryProvesTheMappingReadTheStream(DynamodbEvent event) {
        String logs = captured(() -> handler("first").handle(event));

        assertThat(logs)
                .contains(
                        "\"proof\":\"invoked by the event source mapping for "
                                + "arn:aws:dynamodb:us-east-1:111111111111:table/roleproof-audit/stream/",
                        "\"verdict\":\"PASS\"");
    }

    /** readEvent builds what the Java runtime's own event mapping builds, on every events/ file it can receive. */
    @Test
    void readEventAgreesWithTheRuntimesMapping() throws Exception {
        for (String file : List.of("ddb-stream-processor.json", "self-check.json")) {
            assertThat(DdbStreamProcessorHandler.readEvent(eventFile(file)))
                    .as(file)
                    .isEqualTo(EventLoader.loadEvent(file, DynamodbEvent.class));
        }
    }

    /** Lambda's entry point: the events/ file in, the same JSON the runtime makes of the typed response out. */
    @Test
    void theStreamEntryPointAnswersLambdasBatchResponseJson() throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        captured(() -> {
            try {
                handler("off")
                        .handleRequest(new ByteArrayInputStream(eventFile("ddb-stream-processor.json")), json, null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ByteArrayOutputStream runtime = new ByteArrayOutputStream();
        Object[] typed = new Object[1];
        captured(() -> {
            try {
                typed[0] = handler("off")
                        .handle(DdbStreamProcessorHandler.readEvent(eventFile("ddb-stream-processor.json")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        JacksonFactory.getInstance().getSerializer(Object.class).toJson(typed[0], runtime);
        assertThat(json.toString(StandardCharsets.UTF_8))
                .startsWith("{\"batchItemFailures\":[")
                .isEqualTo(runtime.toString(StandardCharsets.UTF_8));
    }

    static byte[] eventFile(String name) throws java.io.IOException {
        try (java.io.InputStream in = DdbStreamProcessorHandlerTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name + " on the test classpath (events/)").isNotNull();
            return in.readAllBytes();
        }
    }
}
