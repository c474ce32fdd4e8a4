package dev.roleproof.ddbstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler alone, on events/ddb-stream-processor.json as the Java runtime reads it (aws-lambda-java-tests). */
class DdbStreamProcessorHandlerTest {

    static final String INSERT_SEQ = "111100000000000000000001";
    static final String MODIFY_SEQ = "222200000000000000000002";

    static List<String> failedSequenceNumbers(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void insertModifyAndRemoveAreAllAudited(DynamodbEvent event) {
        TestContext context = new TestContext();

        StreamsEventResponse response = new DdbStreamProcessorHandler().handleRequest(event, context);

        assertThat(failedSequenceNumbers(response)).isEmpty();
        assertThat(context.logged())
                .satisfiesExactly(
                        insert -> assertThat(insert).startsWith("item-created ").contains("{pk=order-1001}"),
                        modify -> assertThat(modify).startsWith("item-changed ").endsWith("[status]"),
                        // REMOVE has no NewImage: it is audited from its OldImage.
                        remove -> assertThat(remove)
                                .startsWith("item-removed ")
                                .endsWith("{pk=order-1001, quantity=2, status=SHIPPED}"));
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aFailingRecordIsReportedAndNothingAfterItIsHandled(DynamodbEvent event) {
        // The MODIFY record now carries a quantity that is not a number.
        event.getRecords().get(1).getDynamodb().getNewImage().put("quantity", new AttributeValue().withS("two"));
        TestContext context = new TestContext();

        StreamsEventResponse response = new DdbStreamProcessorHandler().handleRequest(event, context);

        // Lambda checkpoints before the reported sequence number and retries from it: the REMOVE after it must not
        // have been handled yet, or it would be handled twice.
        assertThat(failedSequenceNumbers(response)).containsExactly(MODIFY_SEQ);
        assertThat(context.logged())
                .satisfiesExactly(
                        insert -> assertThat(insert).startsWith("item-created "),
                        failed -> assertThat(failed).contains("record-failed", MODIFY_SEQ, "quantity is not a number"));
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void theResponseIsWhatLambdaExpectsOnceTheRuntimeSerializesIt(DynamodbEvent event) {
        event.getRecords().get(1).getDynamodb().getNewImage().put("quantity", new AttributeValue().withS("two"));
        Object response = new DdbStreamProcessorHandler().handleRequest(event, new TestContext());
        ByteArrayOutputStream json = new ByteArrayOutputStream();

        // With the self-check around it the declared output type is Object: the runtime's Jackson serializes the
        // returned object by its getters.
        JacksonFactory.getInstance().getSerializer(Object.class).toJson(response, json);

        assertThat(json.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + MODIFY_SEQ + "\"}]}");
    }

    @ParameterizedTest
    @Event(value = "ddb-stream-processor.json", type = DynamodbEvent.class)
    void aRecordWithoutKeysOrOfAnUnknownKindFails(DynamodbEvent event) {
        event.getRecords().get(0).getDynamodb().setKeys(null);
        event.getRecords().get(2).setEventName("TRUNCATE");

        assertThat(failedSequenceNumbers(new DdbStreamProcessorHandler().handleRequest(event, new TestContext())))
                .containsExactly(INSERT_SEQ);
        assertThatThrownBy(
                        () -> DdbStreamProcessorHandler.audit(event.getRecords().get(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown eventName TRUNCATE");
    }
}
