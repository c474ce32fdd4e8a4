package dev.roleproof.check;

import java.util.List;

/**
 * One function's pattern (e.g. "sqs-esm") with every need judged, and the verdict (the worst of them).
 * {@code resources} are the logical ids that take part (function, roles, mappings, permissions, sources), so
 * renderers can group findings by pattern.
 */
public record PatternResult(
        String function, String pattern, Verdict verdict, List<EvaluatedNeed> checks, List<String> resources) {

    public PatternResult {
        checks = List.copyOf(checks);
        resources = List.copyOf(resources);
    }
}
