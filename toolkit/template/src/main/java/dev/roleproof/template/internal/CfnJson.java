package dev.roleproof.template.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON template as strictly as the JSON grammar (RFC 8259) and CloudFormation's JSON format ask: duplicate
 * keys, trailing commas, comments, single quotes and anything after the closing brace are errors, not YAML leniency.
 * Jackson's streaming parser enforces the {@link Limits} (StreamReadConstraints) and gives each value's line.
 */
final class CfnJson {

    private final Map<String, Integer> lines = new LinkedHashMap<>();

    private CfnJson() {}

    static SourceDocument parse(String fileName, String text, Limits limits) {
        int maxLength = (int) Math.min(Integer.MAX_VALUE, limits.maxTemplateBytes());
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxTemplateBytes())
                        .maxStringLength(maxLength)
                        .maxNameLength(maxLength)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        CfnJson reader = new CfnJson();
        try (JsonParser p = factory.createParser(text)) {
            try {
                return reader.document(fileName, p);
            } catch (StreamConstraintsException e) {
                // Jackson's constraint errors carry no location: the parser's position is where it stopped.
                String what = e.getOriginalMessage();
                String problem = what.contains("nesting depth")
                        ? "nesting deeper than " + limits.maxDepth() + " levels (limit maxDepth)"
                        : "a limit is exceeded: " + firstLine(what);
                throw new TemplateException(fileName, line(p.currentLocation()), problem, e);
            }
        } catch (JsonProcessingException e) {
            throw new TemplateException(
                    fileName, line(e.getLocation()), "bad JSON: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new TemplateException(fileName, 0, "bad JSON: " + firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private SourceDocument document(String fileName, JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new TemplateException(fileName, 0, "the template is empty");
        }
        Object root = value(p, first, "");
        if (p.nextToken() != null) {
            throw new TemplateException(
                    fileName, line(p.currentTokenLocation()), "bad JSON: more text after the template's last '}'");
        }
        if (!(root instanceof Map)) {
            throw new TemplateException(fileName, 1, "bad template: the top level must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return new SourceDocument(fileName, map, lines);
    }

    private Object value(JsonParser p, JsonToken t, String pointer) throws IOException {
        lines.putIfAbsent(pointer, line(p.currentTokenLocation()));
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                    String key = p.currentName();
                    String child = pointer + "/" + CfnYaml.escape(key);
                    int keyLine = line(p.currentTokenLocation());
                    lines.put(child, keyLine);
                    map.put(key, value(p, p.nextToken(), child));
                    lines.put(child, keyLine);
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    list.add(value(p, v, pointer + "/" + list.size()));
                }
                return list;
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                // Strings, and numbers as written: CloudFormation passes numbers on as strings.
                return p.getText();
            }
        }
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : Math.max(0, location.getLineNr());
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
