package dev.roleproof.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.Decision;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.EventSourceMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Pattern sqs-esm, played as Lambda's SQS poller: messages (one poison) are sent as the account admin; the poller
 * receives with the execution role (through the proxy), invokes with the SQSEvent Lambda builds, deletes what
 * succeeded, honours the partial batch response, and lets SQS redrive the poison message to the DLQ after
 * maxReceiveCount (moto implements the redrive; the visibility timeout is shortened for the run).
 */
final class SqsPattern {

    private final LocalRun.Context ctx;

    SqsPattern(LocalRun.Context ctx) {
        this.ctx = ctx;
    }

    void run(LambdaService.Environment env, EventSourceMapping mapping, PatternRun run) {
        String queueArn = mapping.eventSourceArn();
        String queueName = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        String account = LambdaService.accountOf(queueArn);
        try (SqsClient admin = ctx.aws().admin(ctx.moto(), account).sqs();
                SqsClient poller = env.session().sqs()) {
            String url = admin.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
            Map<String, String> attrs = admin.getQueueAttributes(
                            r -> r.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributesAsStrings();
            String dlqUrl = null;
            if (attrs.containsKey("RedrivePolicy")) {
                JsonNode redrive = PolicyJson.MAPPER.readTree(attrs.get("RedrivePolicy"));
                String dlqArn = redrive.path("deadLetterTargetArn").asText();
                dlqUrl = admin.getQueueUrl(r -> r.queueName(dlqArn.substring(dlqArn.lastIndexOf(':') + 1)))
                        .queueUrl();
            }
            // CreateEventSourceMapping validates that the execution role may read the queue before any poll.
            for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")) {
                Decision d = ctx.judge(env.sessionArn(), action, queueArn);
                if (!d.allowed()) {
                    run.fail(
                            "CreateEventSourceMapping: InvalidParameterValueException: The provided execution role does not"
                                    + " have permissions to call " + action.substring(4) + " on SQS (" + d.message()
                                    + ")");
                    return;
                }
            }
            run.step("CreateEventSourceMapping: the execution role may receive, delete and read the attributes of "
                    + queueName + " (judged as Lambda validates a new mapping)");
            List<String> bodies = bodies(ctx.root().resolve("events/sqs-consumer.json"));
            for (String body : bodies) {
                admin.sendMessage(r -> r.queueUrl(url).messageBody(body));
            }
            run.step("sent the " + bodies.size() + " messages of events/sqs-consumer.json to " + queueName
                    + " (as the account admin)");
            boolean report = mapping.reportsBatchItemFailures();
            int batchSize = mapping.batchSize() == null ? 10 : mapping.batchSize();
            Set<String> deleted = new HashSet<>();
            int invocations = 0;
            int failedReports = 0;
            // Generous: the loop ends as soon as the queue is empty; only a stuck run waits this long.
            long deadline = System.currentTimeMillis() + 60_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline) {
                List<Message> messages;
                try {
                    messages = poller.receiveMessage(r -> r.queueUrl(url)
                                    .maxNumberOfMessages(Math.min(10, batchSize))
                                    .waitTimeSeconds(1)
                                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                                    .messageAttributeNames("All"))
                            .messages();
                } catch (SqsException e) {
                    run.fail("the event source mapping cannot poll " + queueName + ": Lambda reports on the mapping"
                            + " \"The provided execution role does not have permissions to call ReceiveMessage on SQS\" ("
                            + awsError(e) + ") and the function is never invoked");
                    return;
                }
                if (messages.isEmpty()) {
                    long left = count(admin, url);
                    if (left == 0 && ++emptyPolls >= 1) {
                        break;
                    }
                    continue;
                }
                FunctionRuntime.Invocation inv =
                        env.invoke(event(messages, queueArn).toString());
                invocations++;
                run.logged(inv);
                Set<String> failed = new HashSet<>();
                if (inv.error()) {
                    messages.forEach(m -> failed.add(m.messageId()));
                } else if (report) {
                    JsonNode response = PolicyJson.MAPPER.readTree(inv.response());
                    for (JsonNode f : response.path("batchItemFailures")) {
                        failed.add(f.path("itemIdentifier").asText());
                    }
                }
                failedReports += failed.size();
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (Message m : messages) {
                    if (!failed.contains(m.messageId())) {
                        entries.add(DeleteMessageBatchRequestEntry.builder()
                                .id(String.valueOf(entries.size()))
                                .receiptHandle(m.receiptHandle())
                                .build());
                        deleted.add(m.messageId());
                    }
                }
                if (!entries.isEmpty()) {
                    try {
                        poller.deleteMessageBatch(r -> r.queueUrl(url).entries(entries));
                    } catch (SqsException e) {
                        run.fail("the event source mapping cannot delete processed messages (" + awsError(e)
                                + "): they come" + " back after the visibility timeout and are processed again");
                        return;
                    }
                }
            }
            run.step(invocations + " invocations; " + deleted.size() + " messages deleted after success; "
                    + failedReports + " batchItemFailures entries over those invocations, their messages left for"
                    + " redelivery after the visibility timeout");
            long inDlq = dlqUrl == null ? 0 : count(admin, dlqUrl);
            long left = count(admin, url);
            if (deleted.size() + inDlq != bodies.size() || left != 0) {
                run.fail(bodies.size() + " messages sent, but " + deleted.size() + " were processed and deleted, "
                        + inDlq + " reached the DLQ and " + left + " are still in the queue");
            } else if (inDlq > 0) {
                run.step(
                        inDlq + " poison message(s) in the DLQ after maxReceiveCount receives (SQS redrive); the others"
                                + " processed once and deleted");
            }
            if (dlqUrl != null && inDlq == 0) {
                run.fail("no message reached the DLQ: the poison message in events/sqs-consumer.json was not failed");
            }
        } catch (IOException e) {
            run.fail("unreadable input: " + e.getMessage());
        }
    }

    private static long count(SqsClient admin, String url) {
        Map<String, String> a = admin.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings();
        return Long.parseLong(a.getOrDefault("ApproximateNumberOfMessages", "0"))
                + Long.parseLong(a.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    }

    /** The message bodies of events/sqs-consumer.json (so the run sends what the handler tests use). */
    static List<String> bodies(Path eventFile) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isRegularFile(eventFile)) {
            for (JsonNode r :
                    PolicyJson.MAPPER.readTree(Files.readString(eventFile)).path("Records")) {
                out.add(r.path("body").asText());
            }
        }
        if (out.isEmpty()) {
            out.add("{\"orderId\":\"order-1\",\"sku\":\"BOOK-42\",\"quantity\":2}");
            out.add("not json");
        }
        return out;
    }

    /** The SQSEvent Lambda builds from received messages. */
    static ObjectNode event(List<Message> messages, String queueArn) {
        ObjectNode event = PolicyJson.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        String region = queueArn.split(":")[3];
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            for (Map.Entry<String, MessageAttributeValue> e :
                    m.messageAttributes().entrySet()) {
                ObjectNode a = messageAttributes.putObject(e.getKey());
                if (e.getValue().stringValue() != null) {
                    a.put("stringValue", e.getValue().stringValue());
                }
                a.putArray("stringListValues");
                a.putArray("binaryListValues");
                a.put("dataType", e.getValue().dataType());
            }
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        return event;
    }

    static String awsError(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        return e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": "
                + e.awsErrorDetails().errorMessage();
    }
}
