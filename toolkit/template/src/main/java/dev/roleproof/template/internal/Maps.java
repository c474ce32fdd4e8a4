package dev.roleproof.template.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers over the plain-value tree (LinkedHashMap / ArrayList / scalars). */
public final class Maps {

    private Maps() {}

    /** The map, or an empty (detached) map when the value is not a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : new ArrayList<>();
    }

    /** An ordered, mutable map from alternating keys and values; null values are skipped. */
    public static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    public static boolean isIntrinsic(Map<?, ?> m) {
        if (m.size() != 1) {
            return false;
        }
        Object key = m.keySet().iterator().next();
        return key instanceof String s && (s.equals("Ref") || s.startsWith("Fn::"));
    }

    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> deepCopyMap(Map<String, Object> map) {
        return (Map<String, Object>) deepCopy(map);
    }

    /** The line of a JSON pointer into the source, or of its nearest ancestor that has one; 0 when unknown. */
    public static int lineOf(Map<String, Integer> lines, String pointer) {
        String p = pointer;
        while (p != null && !p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = p.lastIndexOf('/');
            p = cut <= 0 ? null : p.substring(0, cut);
        }
        return 0;
    }
}
