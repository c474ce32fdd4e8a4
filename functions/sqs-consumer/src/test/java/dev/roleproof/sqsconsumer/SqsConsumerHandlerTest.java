package dev.roleproof.sqsconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler alone, on events/sqs-consumer.json as the Java runtime reads it (aws-lambda-java-tests). */
class SqsConsumerHandlerTest {

    static final String POISON_ID = "2e1424d4-f796-459a-8184-9c92662be6da";
    static final String AFTER_POISON_ID = "c80e8021-a70a-42c7-a470-796e1186f753";

    static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void onlyThePoisonMessageIsReportedFailed(SQSEvent event) {
        TestContext context = new TestContext();

        SQSBatchResponse response = new SqsConsumerHandler().handleRequest(event, context);

        assertThat(failedIds(response)).containsExactly(POISON_ID);
        assertThat(context.logged())
                .anySatisfy(line -> assertThat(line).startsWith("order-accepted 059f36b4"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("message-failed " + POISON_ID + " (receive 1): body is not a JSON object"))
                .anySatisfy(line -> assertThat(line).startsWith("order-accepted " + AFTER_POISON_ID));
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void aRedeliveredBatchFailsThePoisonAgainAndSkipsWhatWasHandled(SQSEvent event) {
        SqsConsumerHandler handler = new SqsConsumerHandler();
        handler.handleRequest(event, new TestContext());
        TestContext again = new TestContext();

        // The mapping redelivers the poison message (and, after a timeout, possibly the others): same answer.
        assertThat(failedIds(handler.handleRequest(event, again))).containsExactly(POISON_ID);
        assertThat(again.logged())
                .filteredOn(line -> line.startsWith("duplicate-skipped"))
                .hasSize(2);
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void onAFifoQueueEverythingAfterTheFirstFailureIsReportedToo(SQSEvent event) {
        event.getRecords().forEach(m -> m.setEventSourceArn(m.getEventSourceArn() + ".fifo"));

        assertThat(failedIds(new SqsConsumerHandler().handleRequest(event, new TestContext())))
                .containsExactly(POISON_ID, AFTER_POISON_ID);
    }

    @Test
    void ordersAreValidated() {
        assertThat(SqsConsumerHandler.Order.parse("{\"orderId\":\"o-1\",\"quantity\":3}"))
                .isEqualTo(new SqsConsumerHandler.Order("o-1", "null", 3));
        for (String poison : List.of(
                "not json {",
                "[1,2]",
                "{\"quantity\":1}",
                "{\"orderId\":\"o\",\"quantity\":0}",
                "{\"orderId\":\"o\",\"quantity\":\"two\"}",
                "{\"orderId\":\"o\",\"quantity\":1.5}",
                "")) {
            assertThatThrownBy(() -> SqsConsumerHandler.Order.parse(poison))
                    .as(poison)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
