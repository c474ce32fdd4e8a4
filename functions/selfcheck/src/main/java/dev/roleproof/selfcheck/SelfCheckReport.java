package dev.roleproof.selfcheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * The self-check's result: one JSON log line and the answer to the on-demand event. The schema is stable and
 * documented in functions/selfcheck/README.md; {@code warning} is omitted when null, every other key is always there.
 */
public record SelfCheckReport(String function, String pattern, String identity, String expectedRole,
                              boolean identityMatches, String proof, String verdict, boolean localCredentials,
                              String warning, List<ProbeResult> probes, long durationMs) {

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

    /**
     * One line of JSON. Written with the SDK's own JsonWriter (json-utils over its shaded jackson-core), which every
     * SDK client already carries: no Jackson databind and nothing added to the function package.
     */
    public String toJson() {
        try (JsonWriter w = JsonWriter.create()) {
            write(w, toMap());
            return new String(w.getBytes(), StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonWriter w, Object value) {
        if (value == null) {
            w.writeNull();
        } else if (value instanceof Map) {
            w.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                w.writeFieldName(e.getKey());
                write(w, e.getValue());
            }
            w.writeEndObject();
        } else if (value instanceof List) {
            w.writeStartArray();
            for (Object o : (List<Object>) value) {
                write(w, o);
            }
            w.writeEndArray();
        } else if (value instanceof Boolean) {
            w.writeValue((Boolean) value);
        } else if (value instanceof Long) {
            w.writeValue((long) (Long) value);
        } else {
            w.writeValue(value.toString());
        }
    }
}
