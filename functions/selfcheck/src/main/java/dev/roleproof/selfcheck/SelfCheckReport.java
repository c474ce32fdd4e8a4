package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.JsonLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-check's result: one JSON log line and the answer to the on-demand event. The schema is stable and
 * documented in functions/selfcheck/README.md; {@code warning} is omitted when null, every other key is always there.
 */
public record SelfCheckReport(
        String function,
        String pattern,
        String identity,
        String expectedRole,
        boolean identityMatches,
        String proof,
        String verdict,
        boolean localCredentials,
        String warning,
        List<ProbeResult> probes,
        long durationMs) {

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String INCONCLUSIVE = "INCONCLUSIVE";

    public SelfCheckReport {
        probes = List.copyOf(probes);
    }

    /**
     * The report as plain maps, lists, strings, booleans and numbers, in schema order: what a handler returns so the
     * Lambda runtime serializes it (it does not serialize records reliably).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roleproof", "self-check");
        m.put("function", function);
        m.put("pattern", pattern);
        m.put("identity", identity);
        m.put("expectedRole", expectedRole);
        m.put("identityMatches", identityMatches);
        m.put("proof", proof);
        m.put("verdict", verdict);
        m.put("localCredentials", localCredentials);
        if (warning != null) {
            m.put("warning", warning);
        }
        List<Object> list = new ArrayList<>();
        for (ProbeResult p : probes) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("action", p.action());
            pm.put("resource", p.resource());
            pm.put("expected", p.expected().name());
            pm.put("observed", p.observed().name());
            pm.put("detail", p.detail());
            pm.put("hint", p.hint());
            list.add(pm);
        }
        m.put("probes", list);
        m.put("durationMs", durationMs);
        return m;
    }

    /** One line of JSON, written without Jackson databind (see JsonLines). */
    public String toJson() {
        return JsonLines.toJson(toMap());
    }
}
