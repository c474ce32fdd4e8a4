package dev.roleproof.local.enforce;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which stream each DynamoDB Streams shard iterator reads: GetRecords carries only the iterator, but AWS authorises it
 * on the stream ARN that issued it. Learnt from GetShardIterator and GetRecords (NextShardIterator) responses.
 */
final class StreamIterators {
    private static final int MAX = 100_000;

    private final Map<String, String> streamByIterator =
            Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX;
                }
            });

    void remember(String iterator, String streamArn) {
        if (iterator != null && streamArn != null) {
            streamByIterator.put(iterator, streamArn);
        }
    }

    /** The stream ARN, or null if this iterator was never seen. */
    String streamOf(String iterator) {
        String stream = streamByIterator.get(iterator);
        if (stream != null) {
            return stream;
        }
        // Iterators issued before the proxy saw them (e.g. to RoleProof's own setup straight from moto): moto's
        // iterators
        // start with the stream ARN ("arn:...:table/T/stream/LABEL|1|id"). AWS's are opaque, so this is moto-only.
        int bar = iterator.indexOf('|');
        if (bar > 0 && iterator.startsWith("arn:") && iterator.substring(0, bar).contains("/stream/")) {
            return iterator.substring(0, bar);
        }
        return null;
    }
}
