package dev.roleproof.ddbstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import dev.roleproof.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The stream processor as template.yaml names it (the handler with its self-check) against moto's DynamoDB Streams
 * and STS. Moto does not enforce IAM (NOTES §4): the forbidden DescribeTable is refused by a stand-in for AWS's answer
 * ({@link AccessDeniedInterceptor}).
 */
class DdbStreamProcessorFunctionIT {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-ddb-stream-processor";
    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:111111111111:table/roleproof-audit";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;
    static String streamArn;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
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

    private static DdbStreamProcessorFunction function(String mode, PrintStream log) {
        DynamoDbStreamsClient streams = moto.client(DynamoDbStreamsClient.builder(), executionRole);
        DynamoDbClient dynamodb = moto.client(
                DynamoDbClient.builder(),
                executionRole,
                AccessDeniedInterceptor.json("DescribeTable", ROLE_ARN, "dynamodb:DescribeTable", TABLE_ARN));
        StsClient sts = moto.client(StsClient.builder(), executionRole);
        return new DdbStreamProcessorFunction(
                DdbStreamProcessorFunction.selfCheck(() -> streams, () -> dynamodb, streamArn, "roleproof-audit")
                        .identity(() -> sts.getCallerIdentity().arn())
                        .expectedRoleArn(ROLE_ARN)
                        .functionName("roleproof-ddb-stream-processor")
                        .environment(Map.of("ROLEPROOF_SELF_CHECK", mode)::get)
                        .log(log));
    }

    @Test
    void theSelfCheckEventIsAnsweredWithAPassingReport() {
        DynamodbEvent event = EventLoader.loadEvent("self-check.json", DynamodbEvent.class);

        Map<?, ?> report = (Map<?, ?>) function("off", System.out).handleRequest(event, new TestContext());

        assertThat(report.get("pattern")).isEqualTo("dynamodb-stream-esm");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString())
                .contains(
                        "dynamodb:DescribeStream",
                        "dynamodb:GetShardIterator",
                        "dynamodb:GetRecords",
                        streamArn,
                        "dynamodb:DescribeTable");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aDeliveryIsAnsweredByTheHandlerAndProvesTheMappingReadTheStream(DynamodbEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Object response = function("first", new PrintStream(out, true, StandardCharsets.UTF_8))
                .handleRequest(event, new TestContext());

        assertThat(((StreamsEventResponse) response).getBatchItemFailures()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "\"proof\":\"invoked by the event source mapping for "
                                + "arn:aws:dynamodb:us-east-1:111111111111:table/roleproof-audit/stream/",
                        "\"verdict\":\"PASS\"");
    }
}
