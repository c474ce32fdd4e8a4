package dev.roleproof.sqsconsumer;

import static dev.roleproof.selfcheck.FunctionSupport.batchItemFailures;
import static dev.roleproof.selfcheck.FunctionSupport.jsonApi;
import static dev.roleproof.selfcheck.FunctionSupport.lazy;
import static dev.roleproof.selfcheck.FunctionSupport.lazyCallerIdentity;
import static dev.roleproof.selfcheck.FunctionSupport.log;
import static dev.roleproof.selfcheck.FunctionSupport.records;
import static dev.roleproof.selfcheck.FunctionSupport.required;
import static dev.roleproof.selfcheck.FunctionSupport.respond;
import static dev.roleproof.selfcheck.FunctionSupport.string;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.roleproof.selfcheck.AwsJsonApi;
import dev.roleproof.selfcheck.FunctionSupport;
import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SnapStartPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Pattern sqs-esm: Lambda's event source mapping polls the queue with this function's execution role and invokes it
 * with a batch. Each message is handled on its own; only the failed ones are returned in the {@link SQSBatchResponse}
 * (the mapping has ReportBatchItemFailures), so a poison message is retried alone and ends in the DLQ after
 * maxReceiveCount, while its batch mates are deleted.
 *
 * <p>An order message is {@code {"orderId": "...", "sku": "...", "quantity": n}}. Handling it has no side effect
 * besides its log line, so a redelivered message is harmless; a message id seen again by this execution environment is
 * logged as a duplicate and not handled twice.
 */
public class SqsConsumerHandler implements RequestStreamHandler {

    static final String PATTERN = "sqs-esm";
    private static final int REMEMBERED_IDS = 10_000;

    private final SelfCheck selfCheck;
    private final SnapStartPriming priming;
    private final String queueArn;
    /** Message ids handled in this execution environment, oldest evicted first (redelivery guard). */
    private final Set<String> handled = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    });

    /**
     * Used by the Lambda runtime. Handling a delivery makes no AWS call (Lambda's poller reads the queue), so this
     * package has no SQS client: the self-check signs the poller's own read calls with the execution role
     * ({@link AwsJsonApi}), set up on first use, on the self-check's own threads, which start at the end of init and
     * overlap the runtime reading the first batch.
     */
    public SqsConsumerHandler() {
        this(
                lazy(() -> jsonApi(AwsJsonApi.Service.SQS, Aws.HTTP)),
                lazyCallerIdentity(() -> Aws.HTTP),
                System.getenv());
    }

    /** For tests: SQS's API (e.g. at moto), the identity call and the environment the template would set. */
    SqsConsumerHandler(Supplier<AwsJsonApi> sqs, Callable<String> identity, Map<String, String> env) {
        this.queueArn = required(env, "QUEUE_ARN");
        String queueUrl = required(env, "QUEUE_URL");
        this.selfCheck = SelfCheck.builder(env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "sqs-consumer"), PATTERN)
                .identity(identity)
                .expectedRoleArn(env.get("ROLEPROOF_EXPECTED_ROLE_ARN"))
                .environment(env::get)
                // Required: the mapping itself needs GetQueueAttributes on this queue, so the role must have it.
                .probe(Probe.require(
                        "sqs:GetQueueAttributes",
                        queueArn,
                        () -> sqs.get()
                                .call(
                                        "GetQueueAttributes",
                                        Map.of("QueueUrl", queueUrl, "AttributeNames", List.of("QueueArn")))))
                // Forbidden: listing the account's queues is a harmless read this role has no reason to hold.
                .probe(Probe.forbid("sqs:ListQueues", "*", () -> sqs.get().call("ListQueues", Map.of("MaxResults", 1))))
                .build();
        // SnapStart: prove and warm before the snapshot; the handler path is warmed on a sample order (no side effect).
        this.priming = SnapStartPriming.register(selfCheck, () -> Order.parse(PRIMING_ORDER));
        selfCheck.startEarly();
    }

    private static final String PRIMING_ORDER = "{\"orderId\": \"priming\", \"sku\": \"none\", \"quantity\": 1}";

    /**
     * Lambda's entry point: the batch as the mapping sent it in, the partial batch response out. A stream handler,
     * so the Java runtime's reflection-based event mapping (~290 ms of a cold JVM to set up, measured) is not on the
     * cold path; the batch is read into the usual {@link SQSEvent} by {@link #readEvent}.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        respond(input, output, selfCheck, event -> {
            Object response = handle(readEvent(event));
            return response instanceof SQSBatchResponse batch
                    ? batchItemFailures(batch.getBatchItemFailures().stream()
                            .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                            .toList())
                    : response;
        });
    }

    /**
     * An SQS event (or the on-demand {"roleproof": "self-check"}, which has no Records) as the {@link SQSEvent} the
     * Java runtime would build: every field of the documented event, read with jackson-jr. Hand-written because the
     * runtime's own mapping is the reflection-heavy step this handler avoids; a test compares both on events/.
     */
    public static SQSEvent readEvent(byte[] json) throws IOException {
        Map<String, Object> root = JSON.std.mapFrom(json);
        SQSEvent event = new SQSEvent();
        List<Map<?, ?>> records = records(root);
        if (records != null) {
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (Map<?, ?> m : records) {
                SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                message.setMessageId(string(m.get("messageId")));
                message.setReceiptHandle(string(m.get("receiptHandle")));
                message.setBody(string(m.get("body")));
                message.setMd5OfBody(string(m.get("md5OfBody")));
                message.setMd5OfMessageAttributes(string(m.get("md5OfMessageAttributes")));
                message.setEventSourceArn(string(m.get("eventSourceARN")));
                message.setEventSource(string(m.get("eventSource")));
                message.setAwsRegion(string(m.get("awsRegion")));
                if (m.get("attributes") instanceof Map<?, ?> attributes) {
                    Map<String, String> values = new LinkedHashMap<>();
                    attributes.forEach((k, v) -> values.put(String.valueOf(k), string(v)));
                    message.setAttributes(values);
                }
                if (m.get("messageAttributes") instanceof Map<?, ?> attributes) {
                    Map<String, SQSEvent.MessageAttribute> values = new LinkedHashMap<>();
                    attributes.forEach((k, v) -> values.put(String.valueOf(k), messageAttribute(v)));
                    message.setMessageAttributes(values);
                }
                messages.add(message);
            }
            event.setRecords(messages);
        }
        return event;
    }

    private static SQSEvent.MessageAttribute messageAttribute(Object value) {
        Map<?, ?> a = value instanceof Map<?, ?> map ? map : Map.of();
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(string(a.get("dataType")));
        attribute.setStringValue(string(a.get("stringValue")));
        if (a.get("binaryValue") != null) {
            attribute.setBinaryValue(
                    java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(string(a.get("binaryValue")))));
        }
        if (a.get("stringListValues") instanceof List<?> list) {
            attribute.setStringListValues(
                    list.stream().map(FunctionSupport::string).toList());
        }
        if (a.get("binaryListValues") instanceof List<?> list) {
            attribute.setBinaryListValues(list.stream()
                    .map(v -> java.nio.ByteBuffer.wrap(
                            java.util.Base64.getDecoder().decode(string(v))))
                    .toList());
        }
        return attribute;
    }

    /** One delivery: the partial batch response, or (on demand, with no Records) the self-check report. */
    public Object handle(SQSEvent event) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
            // {"roleproof": "self-check"} reads as an SQSEvent without Records; a real delivery always has them.
            return selfCheck
                    .run("on demand: no delivery from " + queueArn + " in this invocation, so the"
                            + " mapping's read is not proven by it")
                    .toMap();
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean fifo = false;
        String source = queueArn;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            source = message.getEventSourceArn() != null ? message.getEventSourceArn() : source;
            fifo = source.endsWith(".fifo");
            if (fifo && !failures.isEmpty()) {
                // FIFO order: nothing after a failed message of the group may be handled before it.
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                continue;
            }
            try {
                handle(message);
            } catch (RuntimeException e) {
                // One message's failure is data, never the batch's: only this message is retried (then DLQ'd).
                String error = e instanceof InvalidMessageException ? e.getMessage() : e.toString();
                log(Map.of(
                        "level",
                        "WARN",
                        "event",
                        "message-failed",
                        "messageId",
                        message.getMessageId(),
                        "receiveCount",
                        String.valueOf(receiveCount(message)),
                        "error",
                        String.valueOf(error)));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        selfCheck.runIfDue(
                "invoked by the event source mapping for " + source + ", so the execution role could read it");
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private void handle(SQSEvent.SQSMessage message) {
        synchronized (handled) {
            if (handled.contains(message.getMessageId())) {
                log(Map.of("level", "INFO", "event", "duplicate-skipped", "messageId", message.getMessageId()));
                return;
            }
        }
        Order order = Order.parse(message.getBody());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "INFO");
        line.put("event", "order-accepted");
        line.put("messageId", message.getMessageId());
        line.put("orderId", order.orderId());
        line.put("sku", order.sku());
        line.put("quantity", order.quantity());
        log(line);
        synchronized (handled) {
            handled.add(message.getMessageId());
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        return count == null ? 0 : Integer.parseInt(count);
    }

    /** The order an SQS message carries; anything else is a poison message. */
    record Order(String orderId, String sku, int quantity) {
        static Order parse(String body) {
            Object parsed;
            try {
                parsed = JSON.std.anyFrom(body);
            } catch (IOException | RuntimeException e) {
                throw new InvalidMessageException("body is not valid JSON: " + firstLine(e.getMessage()));
            }
            if (!(parsed instanceof Map)) {
                throw new InvalidMessageException("body is not a JSON object");
            }
            Map<?, ?> map = (Map<?, ?>) parsed;
            Object orderId = map.get("orderId");
            Object quantity = map.get("quantity");
            if (!(orderId instanceof String) || ((String) orderId).isBlank()) {
                throw new InvalidMessageException("orderId is missing or not a string");
            }
            if (!(quantity instanceof Number) || ((Number) quantity).intValue() < 1) {
                throw new InvalidMessageException("quantity must be a positive integer");
            }
            Object sku = map.get("sku");
            return new Order((String) orderId, sku == null ? null : sku.toString(), ((Number) quantity).intValue());
        }
    }

    static final class InvalidMessageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidMessageException(String message) {
            super(message);
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /**
     * The function's one small HTTP client, for the self-check's calls only, so bounded as a probe is (a silent
     * endpoint yields INCONCLUSIVE, not a thread stuck for the default 30 s). Not touched on the init thread, so even
     * its TLS setup is made off the critical path.
     */
    static final class Aws {
        private static final SdkHttpClient HTTP = FunctionSupport.startedInBackground(
                FunctionSupport.URL_CONNECTION,
                () -> UrlConnectionHttpClient.builder()
                        .connectionTimeout(Probe.PROBE_TIMEOUT)
                        .socketTimeout(Probe.PROBE_TIMEOUT)
                        .build());

        private Aws() {}
    }
}
