package dev.roleproof.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint semantics of the stream poller, with the function played by a lambda that fails chosen records (the
 * end-to-end run proves the same path with the real handler; these cases cover what the reference handler never
 * does: throwing, bisecting, several failures).
 */
class StreamBatcherTest {

    static final List<String> RECORDS = List.of("1", "2", "3", "4", "5", "6");

    @Test
    void aReportedFailureCheckpointsBeforeItRetriesFromItThenGivesUpTheRange() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        StreamBatcher.Result r = StreamBatcher.run(RECORDS, 10, 2, true, batch -> {
            calls.add(List.copyOf(batch));
            return new StreamBatcher.Outcome(false, batch.contains("4") ? Set.of("4") : Set.of());
        });
        // 1..3 are checkpointed at the first attempt; 4..6 are retried twice, then given up together.
        assertThat(calls).containsExactly(RECORDS, List.of("4", "5", "6"), List.of("4", "5", "6"));
        assertThat(r.processed()).containsExactly("1", "2", "3");
        assertThat(r.exhausted()).containsExactly(List.of("4", "5", "6"));
        assertThat(r.invocations()).isEqualTo(3);
    }

    @Test
    void aFunctionErrorBisectsUntilTheBadRecordIsAlone() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        StreamBatcher.Result r = StreamBatcher.run(RECORDS, 10, 3, true, batch -> {
            calls.add(List.copyOf(batch));
            return new StreamBatcher.Outcome(batch.contains("5"), Set.of());
        });
        assertThat(calls.get(1)).containsExactly("1", "2", "3");
        assertThat(calls.get(2)).containsExactly("4", "5", "6");
        assertThat(r.processed()).containsExactly("1", "2", "3", "4", "6");
        assertThat(r.exhausted()).containsExactly(List.of("5"));
    }

    @Test
    void withoutBisectAFunctionErrorRetriesTheWholeBatchAndGivesItUp() throws Exception {
        StreamBatcher.Result r = StreamBatcher.run(
                RECORDS, 3, 1, false, batch -> new StreamBatcher.Outcome(batch.contains("2"), Set.of()));
        assertThat(r.processed()).containsExactly("4", "5", "6");
        assertThat(r.exhausted()).containsExactly(List.of("1", "2", "3"));
        assertThat(r.invocations()).isEqualTo(3);
    }

    @Test
    void batchesFollowBatchSizeAndOrder() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        StreamBatcher.Result r = StreamBatcher.run(RECORDS, 4, 0, false, batch -> {
            calls.add(List.copyOf(batch));
            return StreamBatcher.Outcome.ok();
        });
        assertThat(calls).containsExactly(List.of("1", "2", "3", "4"), List.of("5", "6"));
        assertThat(r.processed()).isEqualTo(RECORDS);
        assertThat(r.exhausted()).isEmpty();
    }
}
