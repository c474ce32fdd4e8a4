package dev.roleproof.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.Decision;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.EventSourceMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Pattern dynamodb-stream-esm, played as Lambda's stream poller: items are written as the account admin (insert,
 * modify, remove, then one record the handler rejects); the poller reads the stream with the execution role
 * (DescribeStream, GetShardIterator, GetRecords through the proxy), invokes with the DynamodbEvent, honours the
 * StreamsEventResponse (checkpoint before the first reported failure, retry from it), bisects a batch on a function
 * error when configured, and after MaximumRetryAttempts sends the failed range to the on-failure destination with
 * the execution role (sqs:SendMessage judged as Lambda's own call).
 */
final class StreamPattern {

    private final LocalRun.Context ctx;

    StreamPattern(LocalRun.Context ctx) {
        this.ctx = ctx;
    }

    void run(LambdaService.Environment env, EventSourceMapping mapping, PatternRun run) {
        String streamArn = mapping.eventSourceArn();
        String table = streamArn.split(":table/")[1].split("/")[0];
        String account = LambdaService.accountOf(streamArn);
        int batchSize = mapping.batchSize() == null ? 100 : mapping.batchSize();
        int maxRetries = mapping.maximumRetryAttempts() == null ? 2 : mapping.maximumRetryAttempts();
        boolean bisect = Boolean.TRUE.equals(mapping.bisectBatchOnFunctionError());
        try (DynamoDbClient admin = ctx.aws().admin(ctx.moto(), account).dynamodb();
                DynamoDbStreamsClient streams = env.session().streams()) {
            // CreateEventSourceMapping validates the execution role's stream permissions (the four its error names).
            for (String action : List.of(
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams")) {
                Decision d = ctx.judge(env.sessionArn(), action, action.endsWith("ListStreams") ? "*" : streamArn);
                if (!d.allowed()) {
                    run.fail("CreateEventSourceMapping: InvalidParameterValueException: Cannot access stream "
                            + streamArn
                            + ". Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and"
                            + " ListStreams Actions on your stream in IAM. (" + d.message() + ")");
                    return;
                }
            }
            run.step("CreateEventSourceMapping: the execution role may describe and read the stream (judged as Lambda"
                    + " validates a new mapping)");
            try {
                // What the mapping does with the execution role when it starts reading.
                streams.listStreams(r -> r.tableName(table));
                streams.describeStream(r -> r.streamArn(streamArn));
            } catch (DynamoDbException e) {
                run.fail(cannotAccess(streamArn, e));
                return;
            }
            write(admin, table);
            run.step("wrote items to " + table + " as the account admin: INSERT, MODIFY, INSERT, REMOVE, and one INSERT"
                    + " the handler rejects (quantity not a number)");
            List<Record> records = new ArrayList<>();
            try {
                read(streams, streamArn, records);
            } catch (DynamoDbException e) {
                run.fail(cannotAccess(streamArn, e));
                return;
            }
            run.step("read " + records.size() + " stream records with the execution role");
            Map<String, Record> bySequence = new LinkedHashMap<>();
            records.forEach(r -> bySequence.put(r.dynamodb().sequenceNumber(), r));
            StreamBatcher.Result result =
                    StreamBatcher.run(new ArrayList<>(bySequence.keySet()), batchSize, maxRetries, bisect, batch -> {
                        FunctionRuntime.Invocation inv = env.invoke(
                                event(batch.stream().map(bySequence::get).toList(), streamArn)
                                        .toString());
                        run.logged(inv);
                        if (inv.error()) {
                            return new StreamBatcher.Outcome(true, Set.of());
                        }
                        Set<String> failed = new HashSet<>();
                        if (mapping.reportsBatchItemFailures()) {
                            for (JsonNode f :
                                    PolicyJson.MAPPER.readTree(inv.response()).path("batchItemFailures")) {
                                failed.add(f.path("itemIdentifier").asText());
                            }
                        }
                        return new StreamBatcher.Outcome(false, failed);
                    });
            int sentToDestination = 0;
            for (List<String> range : result.exhausted()) {
                sentToDestination += destination(
                                env,
                                mapping,
                                range.stream().map(bySequence::get).toList(),
                                run,
                                maxRetries + 1)
                        ? 1
                        : 0;
            }
            int invocations = result.invocations();
            List<String> done = result.processed();
            run.step(invocations + " invocations; " + done.size() + " of " + records.size()
                    + " records checkpointed as processed; retries up to MaximumRetryAttempts=" + maxRetries);
            if (mapping.onFailureDestinationArn() != null && run.failures.isEmpty()) {
                if (sentToDestination == 0) {
                    run.fail(
                            "no failed batch reached the on-failure destination: the rejected record was not reported");
                }
            }
            if (done.size() + 1 != records.size() && run.failures.isEmpty()) {
                run.fail("expected every record but the rejected one to be processed; " + done.size() + " of "
                        + records.size() + " were");
            }
        } catch (Exception e) {
            run.fail("the stream delivery failed: " + e);
        }
    }

    private static void read(DynamoDbStreamsClient streams, String streamArn, List<Record> records) {
        List<Shard> shards = streams.describeStream(r -> r.streamArn(streamArn))
                .streamDescription()
                .shards();
        for (Shard shard : shards) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            for (int i = 0; i < 20 && iterator != null; i++) {
                String it = iterator;
                var page = streams.getRecords(r -> r.shardIterator(it).limit(1000));
                records.addAll(page.records());
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
    }

    /** What Lambda answers when the execution role cannot read the stream. */
    private static String cannotAccess(String streamArn, DynamoDbException e) {
        return "the event source mapping cannot read the stream: Lambda reports \"Cannot access stream " + streamArn
                + ". Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams"
                + " Actions on your stream in IAM.\" (" + SqsPattern.awsError(e)
                + ") and the function is never invoked";
    }

    /** Sends the failed range's metadata to the on-failure destination with the execution role, as Lambda does. */
    private boolean destination(
            LambdaService.Environment env,
            EventSourceMapping mapping,
            List<Record> failed,
            PatternRun run,
            int invokeCount) {
        String dest = mapping.onFailureDestinationArn();
        if (dest == null) {
            run.step("retries exhausted for " + failed.size() + " record(s); no on-failure destination: discarded");
            return false;
        }
        ObjectNode body = PolicyJson.MAPPER.createObjectNode();
        ObjectNode rc = body.putObject("requestContext");
        rc.put("requestId", java.util.UUID.randomUUID().toString());
        rc.put("functionArn", env.function().functionArn());
        rc.put("condition", "RetryAttemptsExhausted");
        rc.put("approximateInvokeCount", invokeCount);
        ObjectNode resp = body.putObject("responseContext");
        resp.put("statusCode", 200);
        resp.put("executedVersion", "$LATEST");
        resp.put("functionError", "");
        body.put("version", "1.0");
        body.put("timestamp", Instant.now().toString());
        ObjectNode info = body.putObject("DDBStreamBatchInfo");
        info.put("shardId", "shardId-local");
        info.put("startSequenceNumber", failed.get(0).dynamodb().sequenceNumber());
        info.put("endSequenceNumber", failed.get(failed.size() - 1).dynamodb().sequenceNumber());
        info.put("batchSize", failed.size());
        info.put("streamArn", mapping.eventSourceArn());
        String queueName = dest.substring(dest.lastIndexOf(':') + 1);
        String queueUrl = ctx.moto() + "/" + LambdaService.accountOf(dest) + "/" + queueName;
        try (SqsClient sqs = env.session().sqs()) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body.toString()));
            run.step("retries exhausted for " + failed.size() + " record(s): their range sent to the on-failure"
                    + " destination " + queueName + " with the execution role");
            return true;
        } catch (SqsException e) {
            run.fail("Lambda could not deliver the failed batch to the on-failure destination " + dest + " ("
                    + SqsPattern.awsError(e) + "): in AWS the records are dropped and the mapping's"
                    + " DestinationDeliveryFailures metric rises");
            return false;
        }
    }

    private static void write(DynamoDbClient admin, String table) {
        admin.putItem(r -> r.tableName(table)
                .item(Map.of(
                        "pk",
                        AttributeValue.fromS("order-1"),
                        "quantity",
                        AttributeValue.fromN("2"),
                        "sku",
                        AttributeValue.fromS("BOOK-42"))));
        admin.updateItem(r -> r.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("order-1")))
                .updateExpression("SET quantity = :q")
                .expressionAttributeValues(Map.of(":q", AttributeValue.fromN("3"))));
        admin.putItem(r -> r.tableName(table)
                .item(Map.of("pk", AttributeValue.fromS("order-2"), "quantity", AttributeValue.fromN("1"))));
        admin.deleteItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("order-2"))));
        admin.putItem(r -> r.tableName(table)
                .item(Map.of("pk", AttributeValue.fromS("order-poison"), "quantity", AttributeValue.fromS("many"))));
    }

    /** The DynamodbEvent Lambda builds from stream records. */
    static ObjectNode event(List<Record> batch, String streamArn) {
        ObjectNode event = PolicyJson.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Record rec : batch) {
            ObjectNode r = records.addObject();
            r.put("eventID", rec.eventID());
            r.put("eventName", rec.eventNameAsString());
            r.put("eventVersion", rec.eventVersion());
            r.put("eventSource", "aws:dynamodb");
            r.put("awsRegion", rec.awsRegion());
            ObjectNode d = r.putObject("dynamodb");
            var s = rec.dynamodb();
            if (s.approximateCreationDateTime() != null) {
                d.put(
                        "ApproximateCreationDateTime",
                        s.approximateCreationDateTime().getEpochSecond());
            }
            if (s.hasKeys()) {
                d.set("Keys", image(s.keys()));
            }
            if (s.hasNewImage()) {
                d.set("NewImage", image(s.newImage()));
            }
            if (s.hasOldImage()) {
                d.set("OldImage", image(s.oldImage()));
            }
            d.put("SequenceNumber", s.sequenceNumber());
            if (s.sizeBytes() != null) {
                d.put("SizeBytes", s.sizeBytes());
            }
            d.put("StreamViewType", s.streamViewTypeAsString());
            r.put("eventSourceARN", streamArn);
        }
        return event;
    }

    static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode o = PolicyJson.MAPPER.createObjectNode();
        item.forEach((k, v) -> o.set(k, value(v)));
        return o;
    }

    /** DynamoDB JSON ({"S": ...}, {"N": ...}, ...), as the stream and Lambda's event carry it. */
    static ObjectNode value(AttributeValue v) {
        ObjectNode o = PolicyJson.MAPPER.createObjectNode();
        if (v.s() != null) {
            o.put("S", v.s());
        } else if (v.n() != null) {
            o.put("N", v.n());
        } else if (v.b() != null) {
            o.put("B", v.b().asByteArray());
        } else if (v.bool() != null) {
            o.put("BOOL", v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            o.put("NULL", true);
        } else if (v.hasM()) {
            o.set("M", image(v.m()));
        } else if (v.hasL()) {
            ArrayNode a = o.putArray("L");
            v.l().forEach(x -> a.add(value(x)));
        } else if (v.hasSs()) {
            ArrayNode a = o.putArray("SS");
            v.ss().forEach(a::add);
        } else if (v.hasNs()) {
            ArrayNode a = o.putArray("NS");
            v.ns().forEach(a::add);
        } else if (v.hasBs()) {
            ArrayNode a = o.putArray("BS");
            for (SdkBytes b : v.bs()) {
                a.add(b.asByteArray());
            }
        }
        return o;
    }
}
