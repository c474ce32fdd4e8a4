package dev.roleproof.ddbstream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pattern dynamodb-stream-esm: Lambda's event source mapping reads the table's stream with this function's execution
 * role and invokes it with a batch of INSERT, MODIFY and REMOVE records, in order per item.
 *
 * <p>Checkpointing: records are handled in order; at the first one that fails the handler stops and returns its
 * sequence number in the StreamsEventResponse. Lambda checkpoints just before it and retries from it, so nothing after
 * it is handled twice. After MaximumRetryAttempts the mapping sends the failed range to its on-failure destination.
 *
 * <p>A record is audited in one log line (item created, attributes changed, item removed). A record without Keys,
 * of an unknown kind, or whose {@code quantity} is not a number fails.
 */
public class DdbStreamProcessorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        for (DynamodbStreamRecord record : event.getRecords()) {
            String sequenceNumber =
                    record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
            try {
                context.getLogger().log(audit(record));
            } catch (RuntimeException e) {
                context.getLogger()
                        .log("record-failed " + record.getEventID() + " at " + sequenceNumber + ": " + e.getMessage());
                // A failed record is data, not the batch's error; Lambda retries from it, so stop here.
                return new StreamsEventResponse(List.of(new BatchItemFailure(sequenceNumber)));
            }
        }
        return new StreamsEventResponse(List.of());
    }

    /** The audit line of one record; an IllegalArgumentException for a record it cannot accept. */
    static String audit(DynamodbStreamRecord record) {
        StreamRecord data = record.getDynamodb();
        if (data == null || data.getKeys() == null || data.getKeys().isEmpty()) {
            throw new IllegalArgumentException("the record has no Keys");
        }
        String item = record.getEventID() + " " + plain(data.getKeys());
        return switch (String.valueOf(record.getEventName())) {
            case "INSERT" -> "item-created " + item + " " + plain(checked(data.getNewImage()));
            case "MODIFY" -> "item-changed " + item + " " + changed(data.getOldImage(), checked(data.getNewImage()));
            // REMOVE has no NewImage; with NEW_AND_OLD_IMAGES its OldImage says what was removed.
            case "REMOVE" -> "item-removed " + item + " " + plain(data.getOldImage());
            default -> throw new IllegalArgumentException("unknown eventName " + record.getEventName());
        };
    }

    private static Map<String, AttributeValue> checked(Map<String, AttributeValue> image) {
        if (image == null) {
            throw new IllegalArgumentException("the record has no NewImage (is the stream view NEW_AND_OLD_IMAGES?)");
        }
        AttributeValue quantity = image.get("quantity");
        if (quantity != null && quantity.getN() == null) {
            throw new IllegalArgumentException("quantity is not a number");
        }
        return image;
    }

    /** The names of the attributes that differ between the two images. */
    static TreeSet<String> changed(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, AttributeValue> old = before == null ? Map.of() : before;
        TreeSet<String> names = new TreeSet<>(old.keySet());
        names.addAll(after.keySet());
        names.removeIf(name -> Objects.equals(old.get(name), after.get(name)));
        return names;
    }

    /** Attribute values as plain strings, for a readable log line. */
    static Map<String, String> plain(Map<String, AttributeValue> image) {
        Map<String, String> out = new TreeMap<>();
        if (image != null) {
            image.forEach(
                    (name, v) -> out.put(name, v.getS() != null ? v.getS() : v.getN() != null ? v.getN() : "" + v));
        }
        return out;
    }
}
