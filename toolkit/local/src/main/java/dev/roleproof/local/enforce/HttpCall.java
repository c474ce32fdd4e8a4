package dev.roleproof.local.enforce;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incoming request as the mappers see it: method, decoded path, query and form parameters, headers (looked up
 * case-insensitively) and, for the services whose bodies decide the action (everything but S3 uploads), the body.
 */
final class HttpCall {
    final String method;
    /** Percent-decoded path ("+" stays "+": it is literal in a path). */
    final String path;

    final Map<String, List<String>> query;
    final Map<String, List<String>> headers;
    /** null when the body is streamed to moto without being read (S3 uploads). */
    final byte[] body;

    private Map<String, List<String>> form;

    HttpCall(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.path = path == null ? "/" : path;
        this.query = parseForm(rawQuery);
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, v));
        this.headers = h;
        this.body = body;
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Query parameters plus, for a form-encoded body, its fields (the AWS query protocol). */
    Map<String, List<String>> form() {
        if (form == null) {
            Map<String, List<String>> all = new LinkedHashMap<>(query);
            String type = header("Content-Type");
            if (body != null
                    && body.length > 0
                    && type != null
                    && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                parseForm(new String(body, StandardCharsets.UTF_8))
                        .forEach((k, v) ->
                                all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            }
            form = all;
        }
        return form;
    }

    String formParam(String name) {
        List<String> values = form().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
