package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.roleproof.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The wrapper that adds the self-check to a handler from outside: the on-demand event, the delivery's run, the
 * handler's answer untouched, and SnapStart's hooks (called directly: no CRaC JVM here).
 */
class SelfCheckedHandlerTest {

    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicInteger probeCalls = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    /** A user's own function: a textbook handler and a few lines of self-check, with a free pattern name. */
    class OrdersFunction extends SelfCheckedHandler<SQSEvent> {
        OrdersFunction(RequestHandler<SQSEvent, ?> handler, String mode) {
            super(
                    handler,
                    SelfCheck.builder(SQSEvent.class, "my-orders-queue")
                            .functionName("orders")
                            .identity(() -> "arn:aws:sts::123456789012:assumed-role/OrdersRole/orders")
                            .expectedRoleArn("arn:aws:iam::123456789012:role/OrdersRole")
                            .environment(Map.of("ROLEPROOF_SELF_CHECK", mode)::get)
                            .log(new PrintStream(logged, true, StandardCharsets.UTF_8))
                            .require(
                                    "sqs:GetQueueAttributes",
                                    "arn:aws:sqs:us-east-1:123456789012:orders",
                                    probeCalls::incrementAndGet)
                            .proof(event -> "delivered from "
                                    + event.getRecords().get(0).getEventSourceArn()));
        }
    }

    private RequestHandler<SQSEvent, String> handler() {
        return (event, context) -> "handled " + handled.incrementAndGet();
    }

    private static SQSEvent delivery() {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:orders");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private List<String> lines() {
        String s = logged.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void theOnDemandEventIsAnsweredWithTheReportAndTheHandlerIsNotCalled() {
        OrdersFunction function = new OrdersFunction(handler(), "first");
        // {"roleproof": "self-check"} as the Java runtime reads it into an SQSEvent: no Records.
        Object answer = function.handleRequest(new SQSEvent(), new TestContext());
        assertThat(answer).isInstanceOf(Map.class);
        Map<?, ?> report = (Map<?, ?>) answer;
        assertThat(report.get("roleproof")).isEqualTo("self-check");
        assertThat(report.get("pattern")).isEqualTo("my-orders-queue");
        assertThat(report.get("verdict")).isEqualTo("PASS");
        assertThat(handled).hasValue(0);
        assertThat(lines()).hasSize(1);
    }

    @Test
    void aDeliveryGetsTheHandlersAnswerAndTheFirstOneTheSelfCheck() {
        OrdersFunction function = new OrdersFunction(handler(), "first");
        assertThat(function.handleRequest(delivery(), new TestContext())).isEqualTo("handled 1");
        assertThat(function.handleRequest(delivery(), new TestContext())).isEqualTo("handled 2");
        assertThat(lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("\"proof\":\"delivered from arn:aws:sqs:us-east-1:123456789012:orders\""));
    }

    @Test
    void aFailingDeliveryStillReportsAndTheErrorIsTheHandlers() {
        OrdersFunction function = new OrdersFunction(
                (event, context) -> {
                    throw new IllegalStateException("the handler's own error");
                },
                "first");
        assertThatThrownBy(() -> function.handleRequest(delivery(), new TestContext()))
                .hasMessage("the handler's own error");
        assertThat(lines()).hasSize(1);
    }

    @Test
    void offRunsNothingAfterDeliveries() {
        OrdersFunction function = new OrdersFunction(handler(), "off");
        function.handleRequest(delivery(), new TestContext());
        assertThat(lines()).isEmpty();
        assertThat(probeCalls).hasValue(0);
    }

    @Test
    void snapStartsHooksPrimeBeforeTheSnapshotAndRunAgainAfterARestore() {
        OrdersFunction function = new OrdersFunction(handler(), "first");
        function.beforeCheckpoint(null);
        assertThat(lines())
                .singleElement()
                .satisfies(line -> assertThat(line).contains("priming before the SnapStart"));
        function.afterRestore(null);
        function.handleRequest(delivery(), new TestContext());
        assertThat(lines()).hasSize(2);
        assertThat(handled).as("priming never calls the handler").hasValue(1);
    }
}
