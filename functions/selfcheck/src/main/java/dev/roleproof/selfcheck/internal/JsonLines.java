package dev.roleproof.selfcheck.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Plain values (maps, collections, strings, numbers, booleans) as one line of JSON, with the SDK's own JsonWriter
 * (json-utils over its shaded jackson-core), which every SDK client already carries: no Jackson databind in a
 * function package.
 */
public final class JsonLines {
    private JsonLines() {}

    public static String toJson(Object value) {
        try (JsonWriter w = JsonWriter.create()) {
            write(w, value);
            return new String(w.getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(JsonWriter w, Object value) {
        if (value == null) {
            w.writeNull();
        } else if (value instanceof Map) {
            w.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                w.writeFieldName(String.valueOf(e.getKey()));
                write(w, e.getValue());
            }
            w.writeEndObject();
        } else if (value instanceof Collection) {
            w.writeStartArray();
            for (Object o : (Collection<?>) value) {
                write(w, o);
            }
            w.writeEndArray();
        } else if (value instanceof Boolean) {
            w.writeValue((Boolean) value);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof BigInteger
                || value instanceof BigDecimal) {
            w.writeNumber(value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            w.writeValue(((Number) value).doubleValue());
        } else {
            w.writeValue(value.toString());
        }
    }
}
