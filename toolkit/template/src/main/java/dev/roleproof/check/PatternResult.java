package dev.roleproof.check;

import java.util.List;

/** One function's pattern (e.g. "sqs-esm") with every need judged, and the verdict (the worst of them). */
public record PatternResult(String function, String pattern, Verdict verdict, List<EvaluatedNeed> checks) {

    public PatternResult {
        checks = List.copyOf(checks);
    }
}
