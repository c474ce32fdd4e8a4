package dev.roleproof.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SAM's policy templates (SQSPollerPolicy, DynamoDBCrudPolicy, ...), read from samtranslator's own
 * policy_templates.json (Apache-2.0, copied into our jar; see its "_Notice"), so the statements are exactly SAM's.
 */
public final class PolicyTemplates {

    private static final Map<String, Map<String, Object>> TEMPLATES = load();

    private PolicyTemplates() {}

    public static boolean isTemplate(String name) {
        return TEMPLATES.containsKey(name);
    }

    public static Set<String> names() {
        return TEMPLATES.keySet();
    }

    /** Parameter names the template needs, in its order. */
    @SuppressWarnings("unchecked")
    public static List<String> parameters(String name) {
        Map<String, Object> t = TEMPLATES.get(name);
        if (t == null) {
            return List.of();
        }
        Object params = t.get("Parameters");
        return params instanceof Map ? List.copyOf(((Map<String, Object>) params).keySet()) : List.of();
    }

    /**
     * The policy document ({"Statement": [...]}) with each {"Ref": Parameter} replaced by its value, as samtranslator
     * does; other intrinsics (AWS::Partition...) stay for the resolver. Empty when the template is unknown.
     *
     * @throws IllegalArgumentException naming the first missing parameter
     */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> expand(String name, Map<String, Object> values) {
        Map<String, Object> t = TEMPLATES.get(name);
        if (t == null) {
            return Optional.empty();
        }
        for (String p : parameters(name)) {
            if (values == null || !values.containsKey(p)) {
                throw new IllegalArgumentException("policy template " + name + " needs parameter '" + p + "'");
            }
        }
        Map<String, Object> definition = (Map<String, Object>) t.get("Definition");
        return Optional.of((Map<String, Object>) substitute(definition, values == null ? Map.of() : values));
    }

    @SuppressWarnings("unchecked")
    private static Object substitute(Object node, Map<String, Object> values) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Ref") instanceof String ref && values.containsKey(ref)) {
                return deepCopy(values.get(ref));
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, substitute(v, values)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(substitute(v, values)));
            return copy;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Object deepCopy(Object node) {
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

    private static Map<String, Map<String, Object>> load() {
        try (InputStream in = PolicyTemplates.class.getResourceAsStream("policy_templates.json")) {
            if (in == null) {
                throw new IllegalStateException("policy_templates.json is missing from the roleproof-template jar");
            }
            Map<String, Object> root = new ObjectMapper().readValue(in, new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> templates = (Map<String, Map<String, Object>>) root.get("Templates");
            return Map.copyOf(templates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
