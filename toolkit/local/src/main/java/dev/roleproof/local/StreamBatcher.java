package dev.roleproof.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * How a stream event source mapping walks a shard: batches of BatchSize in order; a reported failure (the first
 * failed sequence number of a StreamsEventResponse) checkpoints before it and retries from it; a function error
 * retries the whole batch, split in two first when BisectBatchOnFunctionError is on; after MaximumRetryAttempts
 * retries the failed range is given up (sent to the on-failure destination) and the shard moves on.
 */
final class StreamBatcher {

    /** What one invocation returned: a function error, or the sequence numbers it reported failed. */
    record Outcome(boolean error, Set<String> failed) {
        static Outcome ok() {
            return new Outcome(false, Set.of());
        }
    }

    @FunctionalInterface
    interface Invoker {
        Outcome invoke(List<String> batch) throws Exception;
    }

    /** Records processed in order, the ranges given up after their retries, and the number of invocations. */
    record Result(List<String> processed, List<List<String>> exhausted, int invocations) {}

    private record Work(List<String> batch, int attempt) {}

    private StreamBatcher() {}

    static Result run(List<String> records, int batchSize, int maxRetries, boolean bisect, Invoker invoker)
            throws Exception {
        Deque<Work> work = new ArrayDeque<>();
        for (int i = 0; i < records.size(); i += batchSize) {
            work.addLast(new Work(records.subList(i, Math.min(records.size(), i + batchSize)), 0));
        }
        List<String> processed = new ArrayList<>();
        List<List<String>> exhausted = new ArrayList<>();
        int invocations = 0;
        while (!work.isEmpty()) {
            Work w = work.removeFirst();
            Outcome out = invoker.invoke(w.batch());
            invocations++;
            int failedAt = -1;
            if (out.error()) {
                failedAt = 0;
            } else {
                for (int i = 0; i < w.batch().size() && failedAt < 0; i++) {
                    if (out.failed().contains(w.batch().get(i))) {
                        failedAt = i;
                    }
                }
            }
            processed.addAll(w.batch().subList(0, failedAt < 0 ? w.batch().size() : failedAt));
            if (failedAt < 0) {
                continue;
            }
            List<String> rest = w.batch().subList(failedAt, w.batch().size());
            if (w.attempt() >= maxRetries) {
                exhausted.add(List.copyOf(rest));
            } else if (out.error() && bisect && rest.size() > 1) {
                int half = rest.size() / 2;
                work.addFirst(new Work(rest.subList(half, rest.size()), w.attempt() + 1));
                work.addFirst(new Work(rest.subList(0, half), w.attempt() + 1));
            } else {
                // Checkpoint before the failed record; retry from it.
                work.addFirst(new Work(rest, w.attempt() + 1));
            }
        }
        return new Result(processed, exhausted, invocations);
    }
}
