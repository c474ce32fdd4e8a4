package dev.roleproof.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, order-keeping, unmodifiable copies of resolved template values (Map.copyOf loses order and rejects null). */
final class Values {

    private Values() {}

    static Map<String, Object> immutableMap(Map<String, Object> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, immutable(v)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    static Object immutable(Object value) {
        if (value instanceof Map) {
            return immutableMap((Map<String, Object>) value);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object o : (List<Object>) value) {
                copy.add(immutable(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
