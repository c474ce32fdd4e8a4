package dev.roleproof.sqsconsumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pattern sqs-esm: Lambda's event source mapping polls the queue with this function's execution role and invokes it
 * with a batch. Each message is handled on its own and only the failed ones are returned in the SQSBatchResponse (the
 * mapping has ReportBatchItemFailures), so a poison message is retried alone and ends in the dead-letter queue after
 * maxReceiveCount, while its batch mates are deleted.
 *
 * <p>An order is {@code {"orderId": "...", "sku": "...", "quantity": n}}. Handling one has no side effect but its log
 * line, so a redelivered message is harmless; a message id this execution environment has handled is skipped.
 */
public class SqsConsumerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final int REMEMBERED_IDS = 10_000;

    /** Message ids handled in this execution environment, oldest forgotten first: the redelivery guard. */
    private final Set<String> handled = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    }));

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        LambdaLogger log = context.getLogger();
        List<BatchItemFailure> failures = new ArrayList<>();
        for (SQSMessage message : event.getRecords()) {
            if (!failures.isEmpty() && message.getEventSourceArn().endsWith(".fifo")) {
                // FIFO order: nothing after a failed message of the batch may be handled before it.
                failures.add(new BatchItemFailure(message.getMessageId()));
                continue;
            }
            try {
                handle(message, log);
            } catch (RuntimeException e) {
                // One message's failure is data, never the batch's: only this message is retried, then dead-lettered.
                log.log("message-failed " + message.getMessageId() + " (receive "
                        + message.getAttributes().get("ApproximateReceiveCount") + "): " + e.getMessage());
                failures.add(new BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private void handle(SQSMessage message, LambdaLogger log) {
        if (handled.contains(message.getMessageId())) {
            log.log("duplicate-skipped " + message.getMessageId());
            return;
        }
        Order order = Order.parse(message.getBody());
        log.log("order-accepted " + message.getMessageId() + " " + order);
        handled.add(message.getMessageId());
    }

    /** The order a message carries; anything else is a poison message. */
    record Order(String orderId, String sku, int quantity) {
        static Order parse(String body) {
            Map<String, Object> order;
            try {
                order = JSON.std.mapFrom(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("body is not a JSON object", e);
            }
            if (!(order.get("orderId") instanceof String id) || id.isBlank()) {
                throw new IllegalArgumentException("orderId is missing or not a string");
            }
            if (!(order.get("quantity") instanceof Integer quantity) || quantity < 1) {
                throw new IllegalArgumentException("quantity must be a positive integer");
            }
            return new Order(id, String.valueOf(order.get("sku")), quantity);
        }
    }
}
