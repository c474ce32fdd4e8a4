package dev.roleproof.ddbstream;

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
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.roleproof.selfcheck.AwsJsonApi;
import dev.roleproof.selfcheck.FunctionSupport;
import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SnapStartPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Pattern dynamodb-stream-esm: Lambda's event source mapping reads the table's stream with this function's execution
 * role and invokes it with a batch of INSERT, MODIFY and REMOVE records, in order per item.
 *
 * <p>Checkpointing: records are handled in order; at the first record that fails, the handler stops and returns that
 * record's sequence number in the {@link StreamsEventResponse}. Lambda then checkpoints just before it and retries
 * from it, so the records after it were not handled in this invocation and are not handled twice. After
 * MaximumRetryAttempts (or with bisection on a thrown error), the mapping sends the failed range to its on-failure
 * destination.
 *
 * <p>What it does with a record: logs an audit line (item created, the attributes changed, item removed). A record
 * whose {@code quantity} is not a number, without a key, or of an unknown kind fails.
 */
public class DdbStreamProcessorHandler implements RequestStreamHandler {

    static final String PATTERN = "dynamodb-stream-esm";

    private final SelfCheck selfCheck;
    private final SnapStartPriming priming;
    private final String streamArn;

    /**
     * Used by the Lambda runtime. Handling a batch makes no AWS call (Lambda's poller reads the stream), so this
     * package has no DynamoDB client: the self-check signs the poller's own read calls with the execution role
     * ({@link AwsJsonApi}), set up on first use, on the self-check's own threads, which start at the end of init and
     * overlap the runtime reading the first batch.
     */
    public DdbStreamProcessorHandler() {
        this(
                lazy(() -> jsonApi(AwsJsonApi.Service.DYNAMODB_STREAMS, Aws.HTTP)),
                lazy(() -> jsonApi(AwsJsonApi.Service.DYNAMODB, Aws.HTTP)),
                lazyCallerIdentity(() -> Aws.HTTP),
                System.getenv());
    }

    /** For tests: the APIs (e.g. at moto), the identity call and the environment the template would set. */
    DdbStreamProcessorHandler(
            Supplier<AwsJsonApi> streams,
            Supplier<AwsJsonApi> dynamodb,
            Callable<String> identity,
            Map<String, String> env) {
        this.streamArn = required(env, "STREAM_ARN");
        String tableName = required(env, "TABLE_NAME");
        int streamPart = streamArn.indexOf("/stream/");
        if (streamPart < 0) {
            throw new IllegalStateException("STREAM_ARN is not a DynamoDB stream ARN: " + streamArn);
        }
        String tableArn = streamArn.substring(0, streamPart);
        this.selfCheck = SelfCheck.builder(
                        env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "ddb-stream-processor"), PATTERN)
                .identity(identity)
                .expectedRoleArn(env.get("ROLEPROOF_EXPECTED_ROLE_ARN"))
                .environment(env::get)
                // Required: the mapping needs DescribeStream on this stream, so the role must have it.
                .probe(Probe.require(
                        "dynamodb:DescribeStream",
                        streamArn,
                        () -> streams.get().call("DescribeStream", Map.of("StreamArn", streamArn, "Limit", 1))))
                // Required: the mapping reads with GetShardIterator + GetRecords; a LATEST iterator reads no record
                // that exists, so these only prove the grant (the DescribeStream step is preparation, not the probe).
                .probe(Probe.require(
                        "dynamodb:GetShardIterator", streamArn, () -> latestIterator(streams.get(), streamArn)))
                .probe(Probe.require("dynamodb:GetRecords", streamArn, () -> {
                    String iterator =
                            prepared("dynamodb:GetShardIterator", () -> latestIterator(streams.get(), streamArn));
                    streams.get().call("GetRecords", Map.of("ShardIterator", iterator, "Limit", 1));
                }))
                // Forbidden: the function only reads the stream, never the table itself (a harmless metadata read).
                .probe(Probe.forbid(
                        "dynamodb:DescribeTable",
                        tableArn,
                        () -> dynamodb.get().call("DescribeTable", Map.of("TableName", tableName))))
                .build();
        // SnapStart: prove and warm before the snapshot; the audit path is warmed on a sample record (nothing logged).
        this.priming = SnapStartPriming.register(selfCheck, () -> audit(primingRecord()));
        selfCheck.startEarly();
    }

    private static DynamodbEvent.DynamodbStreamRecord primingRecord() {
        AttributeValue id = new AttributeValue().withS("priming");
        StreamRecord data = new StreamRecord()
                .withKeys(Map.of("pk", id))
                .withSequenceNumber("0")
                .withNewImage(Map.of("pk", id, "quantity", new AttributeValue().withN("1")));
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(data);
        return record;
    }

    /** A LATEST iterator on the stream's first shard; listing the shard is preparation, so its refusal is not. */
    private static String latestIterator(AwsJsonApi streams, String streamArn) throws Exception {
        String shardId = prepared(
                "dynamodb:DescribeStream",
                () -> member(
                        JSON.std.mapFrom(streams.call("DescribeStream", Map.of("StreamArn", streamArn, "Limit", 1))),
                        "StreamDescription",
                        "Shards",
                        0,
                        "ShardId"));
        return member(
                JSON.std.mapFrom(streams.call(
                        "GetShardIterator",
                        Map.of("StreamArn", streamArn, "ShardId", shardId, "ShardIteratorType", "LATEST"))),
                "ShardIterator");
    }

    /** A string member of an API's answer by its path of names and list indexes; a missing one is an error. */
    static String member(Object answer, Object... path) {
        Object at = answer;
        for (Object step : path) {
            at = step instanceof Integer i
                    ? (at instanceof List<?> l && l.size() > i ? l.get(i) : null)
                    : (at instanceof Map<?, ?> m ? m.get(step) : null);
            if (at == null) {
                throw new IllegalStateException("the answer has no " + java.util.Arrays.toString(path) + ": " + answer);
            }
        }
        return at.toString();
    }

    /**
     * Runs a probe's preparation step: its failure is reported as "could not prepare" (INCONCLUSIVE for the
     * self-check), so a refused DescribeStream is not taken for a refused GetRecords.
     */
    private static <T> T prepared(String step, java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not prepare the probe: " + step + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Lambda's entry point: the batch as the mapping sent it in, the partial batch response out. A stream handler,
     * so the Java runtime's reflection-based event mapping (~290 ms of a cold JVM to set up, measured) is not on the
     * cold path; the batch is read into the usual {@link DynamodbEvent} by {@link #readEvent}.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        respond(input, output, selfCheck, event -> {
            Object response = handle(readEvent(event));
            return response instanceof StreamsEventResponse batch
                    ? batchItemFailures(batch.getBatchItemFailures().stream()
                            .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                            .toList())
                    : response;
        });
    }

    /**
     * A DynamoDB stream event (or the on-demand {"roleproof": "self-check"}, which has no Records) as the
     * {@link DynamodbEvent} the Java runtime would build: every field of the documented event, read with jackson-jr.
     * Hand-written because the runtime's own mapping is the reflection-heavy step this handler avoids; a test
     * compares both on events/.
     */
    public static DynamodbEvent readEvent(byte[] json) throws IOException {
        Map<String, Object> root = JSON.std.mapFrom(json);
        DynamodbEvent event = new DynamodbEvent();
        List<Map<?, ?>> records = records(root);
        if (records != null) {
            List<DynamodbEvent.DynamodbStreamRecord> out = new ArrayList<>();
            for (Map<?, ?> m : records) {
                DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
                record.setEventID(string(m.get("eventID")));
                record.setEventName(string(m.get("eventName")));
                record.setEventVersion(string(m.get("eventVersion")));
                record.setEventSource(string(m.get("eventSource")));
                record.setAwsRegion(string(m.get("awsRegion")));
                record.setEventSourceARN(string(m.get("eventSourceARN")));
                if (m.get("dynamodb") instanceof Map<?, ?> d) {
                    StreamRecord data = new StreamRecord();
                    if (d.get("ApproximateCreationDateTime") instanceof Number seconds) {
                        data.setApproximateCreationDateTime(new Date(Math.round(seconds.doubleValue() * 1000)));
                    }
                    data.setKeys(image(d.get("Keys")));
                    data.setNewImage(image(d.get("NewImage")));
                    data.setOldImage(image(d.get("OldImage")));
                    data.setSequenceNumber(string(d.get("SequenceNumber")));
                    if (d.get("SizeBytes") instanceof Number size) {
                        data.setSizeBytes(size.longValue());
                    }
                    if (d.get("StreamViewType") != null) {
                        data.setStreamViewType(StreamViewType.fromValue(string(d.get("StreamViewType"))));
                    }
                    record.setDynamodb(data);
                }
                if (m.get("userIdentity") instanceof Map<?, ?> u) {
                    Identity identity = new Identity();
                    identity.setType(string(u.get("type")));
                    identity.setPrincipalId(string(u.get("principalId")));
                    record.setUserIdentity(identity);
                }
                out.add(record);
            }
            event.setRecords(out);
        }
        return event;
    }

    private static Map<String, AttributeValue> image(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), attribute(v)));
        return out;
    }

    /** One DynamoDB JSON value: {"S": ...}, {"N": ...}, {"B": base64}, sets, {"M": ...}, {"L": ...}, NULL, BOOL. */
    private static AttributeValue attribute(Object value) {
        Map<?, ?> a = value instanceof Map<?, ?> map ? map : Map.of();
        AttributeValue v = new AttributeValue();
        if (a.containsKey("S")) {
            v.setS(string(a.get("S")));
        }
        if (a.containsKey("N")) {
            v.setN(string(a.get("N")));
        }
        if (a.containsKey("B")) {
            v.setB(ByteBuffer.wrap(Base64.getDecoder().decode(string(a.get("B")))));
        }
        if (a.get("SS") instanceof Collection<?> ss) {
            v.setSS(ss.stream().map(FunctionSupport::string).toList());
        }
        if (a.get("NS") instanceof Collection<?> ns) {
            v.setNS(ns.stream().map(FunctionSupport::string).toList());
        }
        if (a.get("BS") instanceof Collection<?> bs) {
            v.setBS(bs.stream()
                    .map(b -> ByteBuffer.wrap(Base64.getDecoder().decode(string(b))))
                    .toList());
        }
        if (a.get("M") instanceof Map<?, ?>) {
            v.setM(image(a.get("M")));
        }
        if (a.get("L") instanceof Collection<?> l) {
            v.setL(l.stream().map(DdbStreamProcessorHandler::attribute).toList());
        }
        if (a.get("NULL") instanceof Boolean b) {
            v.setNULL(b);
        }
        if (a.get("BOOL") instanceof Boolean b) {
            v.setBOOL(b);
        }
        return v;
    }

    /** One delivery: the partial batch response, or (on demand, with no Records) the self-check report. */
    public Object handle(DynamodbEvent event) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
            // {"roleproof": "self-check"} reads as a DynamodbEvent without Records; a real delivery has them.
            return selfCheck
                    .run("on demand: no delivery from " + streamArn + " in this invocation, so the"
                            + " mapping's read is not proven by it")
                    .toMap();
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        String source = streamArn;
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            source = record.getEventSourceARN() != null ? record.getEventSourceARN() : source;
            String sequenceNumber =
                    record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
            try {
                log(audit(record));
            } catch (RuntimeException e) {
                // A failed record is data: report it rather than fail the batch (bisection stays a safety net for
                // what cannot be caught, e.g. a timeout).
                String error = e instanceof InvalidRecordException ? e.getMessage() : e.toString();
                log(Map.of(
                        "level",
                        "WARN",
                        "event",
                        "record-failed",
                        "eventID",
                        String.valueOf(record.getEventID()),
                        "sequenceNumber",
                        String.valueOf(sequenceNumber),
                        "error",
                        String.valueOf(error)));
                // Lambda checkpoints before the lowest reported sequence number and retries from there: stop here.
                failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
                break;
            }
        }
        selfCheck.runIfDue(
                "invoked by the event source mapping for " + source + ", so the execution role could read it");
        return new StreamsEventResponse(failures);
    }

    /** The audit line for one record; throws {@link InvalidRecordException} for a record it cannot accept. */
    static Map<String, Object> audit(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord data = record.getDynamodb();
        if (data == null || data.getKeys() == null || data.getKeys().isEmpty()) {
            throw new InvalidRecordException("record has no Keys");
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "INFO");
        line.put("eventID", record.getEventID());
        line.put("sequenceNumber", data.getSequenceNumber());
        line.put("key", plain(data.getKeys()));
        String kind = String.valueOf(record.getEventName());
        switch (kind) {
            case "INSERT" -> {
                checkQuantity(data.getNewImage());
                line.put("event", "item-created");
                line.put("item", plain(data.getNewImage()));
            }
            case "MODIFY" -> {
                checkQuantity(data.getNewImage());
                line.put("event", "item-changed");
                line.put("changed", changedAttributes(data.getOldImage(), data.getNewImage()));
            }
            case "REMOVE" -> {
                // REMOVE carries no NewImage; with NEW_AND_OLD_IMAGES the OldImage says what was removed.
                line.put("event", "item-removed");
                if (data.getOldImage() != null) {
                    line.put("removed", plain(data.getOldImage()));
                }
            }
            default -> throw new InvalidRecordException("unknown eventName " + kind);
        }
        return line;
    }

    private static void checkQuantity(Map<String, AttributeValue> image) {
        if (image == null) {
            throw new InvalidRecordException("record has no NewImage (is the stream view NEW_AND_OLD_IMAGES?)");
        }
        AttributeValue quantity = image.get("quantity");
        if (quantity != null && quantity.getN() == null) {
            throw new InvalidRecordException("quantity is not a number");
        }
    }

    static List<String> changedAttributes(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, AttributeValue> old = before == null ? Map.of() : before;
        Map<String, AttributeValue> now = after == null ? Map.of() : after;
        TreeSet<String> names = new TreeSet<>(old.keySet());
        names.addAll(now.keySet());
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            if (!Objects.equals(old.get(name), now.get(name))) {
                changed.add(name);
            }
        }
        return changed;
    }

    /** Attribute values as plain strings, for a readable log line. */
    static Map<String, String> plain(Map<String, AttributeValue> image) {
        Map<String, String> out = new LinkedHashMap<>();
        if (image != null) {
            image.forEach((name, value) -> out.put(name, plain(value)));
        }
        return out;
    }

    private static String plain(AttributeValue value) {
        if (value.getS() != null) {
            return value.getS();
        }
        if (value.getN() != null) {
            return value.getN();
        }
        if (value.getBOOL() != null) {
            return value.getBOOL().toString();
        }
        return value.toString();
    }

    static final class InvalidRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRecordException(String message) {
            super(message);
        }
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
