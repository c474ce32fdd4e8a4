package dev.roleproof.template.internal;

import dev.roleproof.template.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads CloudFormation YAML (and JSON, a YAML subset) with the short-form tags. We construct values from the composed
 * node graph ourselves, rather than through snakeyaml's Constructor, because findings need each node's line, which
 * constructed objects no longer carry.
 */
public final class CfnYaml {

    /** Short-form tags CloudFormation accepts, mapped to their long form key. */
    private static final Map<String, String> TAGS = new HashMap<>();

    static {
        for (String fn : List.of(
                "GetAtt",
                "Sub",
                "Join",
                "Select",
                "Split",
                "If",
                "FindInMap",
                "ImportValue",
                "Base64",
                "GetAZs",
                "Cidr",
                "Equals",
                "And",
                "Or",
                "Not",
                "Transform",
                "Length",
                "ToJsonString")) {
            TAGS.put("!" + fn, "Fn::" + fn);
        }
        TAGS.put("!Ref", "Ref");
        TAGS.put("!Condition", "Condition");
    }

    private static final Set<String> STANDARD_PREFIX = Set.of("tag:yaml.org,2002:");

    private final String fileName;
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    private CfnYaml(String fileName) {
        this.fileName = fileName;
    }

    public static SourceDocument parse(String fileName, String text) {
        CfnYaml reader = new CfnYaml(fileName);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(50 * 1024 * 1024)
                .build();
        Node node;
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            Optional<Node> single = composer.getSingleNode();
            if (single.isEmpty()) {
                throw new TemplateException(fileName, 0, "the template is empty");
            }
            node = single.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
            throw new TemplateException(fileName, line, "bad YAML: " + problem, e);
        } catch (YamlEngineException e) {
            throw new TemplateException(fileName, 0, "bad YAML: " + e.getMessage(), e);
        }
        Object root = reader.construct(node, "");
        if (!(root instanceof Map)) {
            throw new TemplateException(fileName, line(node), "bad template: the top level must be a mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return new SourceDocument(fileName, map, reader.lines);
    }

    private static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }

    private Object construct(Node node, String pointer) {
        lines.putIfAbsent(pointer, line(node));
        String tag = node.getTag().getValue();
        if (tag.startsWith("!")) {
            String key = TAGS.get(tag);
            if (key == null) {
                throw new TemplateException(fileName, line(node), "unknown intrinsic '" + tag + "'");
            }
            Object inner = constructPlain(node, pointer + "/" + escape(key), true);
            if (tag.equals("!GetAtt") && inner instanceof String s) {
                int dot = s.indexOf('.');
                inner = dot < 0
                        ? new ArrayList<>(List.of(s))
                        : new ArrayList<>(List.of(s.substring(0, dot), s.substring(dot + 1)));
            }
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put(key, inner);
            return fn;
        }
        return constructPlain(node, pointer, false);
    }

    private Object constructPlain(Node node, String pointer, boolean tagged) {
        lines.putIfAbsent(pointer, line(node));
        if (node instanceof ScalarNode scalar) {
            return tagged ? scalar.getValue() : scalar(scalar);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node item : seq.getValue()) {
                list.add(construct(item, pointer + "/" + list.size()));
            }
            return list;
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                Object merged = construct(tuple.getValueNode(), pointer);
                if (merged instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> map.putIfAbsent(String.valueOf(k), v));
                }
                continue;
            }
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw new TemplateException(fileName, line(keyNode), "bad template: mapping keys must be strings");
            }
            String key = keyScalar.getValue();
            if (map.containsKey(key)) {
                throw new TemplateException(fileName, line(keyNode), "duplicate key '" + key + "'");
            }
            String child = pointer + "/" + escape(key);
            lines.put(child, line(keyNode));
            map.put(key, construct(tuple.getValueNode(), child));
            lines.put(child, line(keyNode));
        }
        return map;
    }

    private static Object scalar(ScalarNode node) {
        String value = node.getValue();
        String tag = node.getTag().getValue();
        if (!tag.startsWith(STANDARD_PREFIX.iterator().next())) {
            return value;
        }
        if (tag.equals(Tag.NULL.getValue())) {
            return null;
        }
        if (tag.equals(Tag.BOOL.getValue())) {
            return Boolean.valueOf(value.toLowerCase());
        }
        // Numbers keep their text: CloudFormation treats them as strings ("012345678901" is an account, not
        // 12345678901).
        return value;
    }

    /** RFC 6901 escaping of one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
