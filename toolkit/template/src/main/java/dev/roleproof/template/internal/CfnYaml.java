package dev.roleproof.template.internal;

import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads CloudFormation YAML with the short-form tags, or a JSON template (text whose first character is '{') strictly
 * through {@link CfnJson}. We construct values from the composed node graph ourselves, rather than through
 * snakeyaml's Constructor, because findings need each node's line, which constructed objects no longer carry; the
 * same walk enforces the {@link Limits} snakeyaml-engine has no setting for (nesting depth, alias expansion by size)
 * and refuses tags CloudFormation does not know ({@code !!python/object}...).
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

    private static final String STANDARD_PREFIX = "tag:yaml.org,2002:";
    /** The core schema's scalar tags; any other global tag (!!binary, !!python/object...) is refused. */
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL);

    private final String fileName;
    private final Limits limits;
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    /** Anchored nodes constructed once: meeting one again is an alias, whose repetition counts against the limit. */
    private final Set<Node> anchored = Collections.newSetFromMap(new IdentityHashMap<>());

    private int aliasDepth;
    private long expansion;
    private Node expandedAnchor;

    private CfnYaml(String fileName, Limits limits) {
        this.fileName = fileName;
        this.limits = limits;
    }

    public static SourceDocument parse(String fileName, String text) {
        return parse(fileName, text, Limits.DEFAULT);
    }

    /** @throws TemplateException one line "file:line: what is wrong" for unusable text or a limit passed */
    public static SourceDocument parse(String fileName, String text, Limits limits) {
        if (text.length() > limits.maxTemplateBytes()) {
            throw new TemplateException(
                    fileName,
                    0,
                    "template is larger than " + Limits.number(limits.maxTemplateBytes())
                            + " characters (limit maxTemplateBytes; CloudFormation accepts at most 1 MB)");
        }
        // A byte order mark is not part of the text (Jackson only skips one in bytes).
        String body = text.startsWith("\uFEFF") ? " " + text.substring(1) : text;
        int first = 0;
        while (first < body.length() && Character.isWhitespace(body.charAt(first))) {
            first++;
        }
        if (first < body.length() && body.charAt(first) == '{') {
            return CfnJson.parse(fileName, body, limits);
        }
        CfnYaml reader = new CfnYaml(fileName, limits);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                // Aliases are bounded by what they expand to (maxAliasExpansion), not by how many there are.
                .setMaxAliasesForCollections(Integer.MAX_VALUE)
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxTemplateBytes()))
                // The reader copies its window at every refill and a scalar stays in the window until it ends: one
                // window for the whole text reads a long scalar in linear time, not quadratic.
                .setBufferSize(text.length() + 1)
                .build();
        Node node;
        try {
            Parser parser = new DepthLimitedParser(
                    new ParserImpl(settings, new StreamReader(settings, text)), fileName, limits.maxDepth());
            Optional<Node> single = new Composer(settings, parser).getSingleNode();
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
        Object root = reader.construct(node, "", 1);
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

    private Object construct(Node node, String pointer, int depth) {
        if (depth > limits.maxDepth()) {
            // Only aliases can get here: the parser already bounds the depth of the text itself.
            throw new TemplateException(
                    fileName,
                    line(node),
                    "nesting deeper than " + limits.maxDepth()
                            + " levels once YAML aliases are expanded (limit maxDepth)");
        }
        boolean alias = false;
        if (node.getAnchor().isPresent()) {
            if (node.isRecursive()) {
                throw new TemplateException(
                        fileName,
                        line(node),
                        "recursive YAML alias: anchor &"
                                + node.getAnchor().get().getValue() + " contains an alias of itself");
            }
            alias = !anchored.add(node);
        }
        if (alias) {
            if (aliasDepth == 0) {
                expandedAnchor = node;
            }
            aliasDepth++;
        }
        try {
            if (aliasDepth > 0) {
                expansion += Limits.NODE_WEIGHT
                        + (node instanceof ScalarNode s ? s.getValue().length() : 0);
                if (expansion > limits.maxAliasExpansion()) {
                    throw new TemplateException(
                            fileName,
                            line(expandedAnchor),
                            "YAML aliases of anchor &"
                                    + expandedAnchor.getAnchor().get().getValue()
                                    + " (and others) expand the template by more than "
                                    + Limits.number(limits.maxAliasExpansion())
                                    + " characters (limit maxAliasExpansion)");
                }
            }
            return constructTagged(node, pointer, depth);
        } finally {
            if (alias) {
                aliasDepth--;
            }
        }
    }

    private Object constructTagged(Node node, String pointer, int depth) {
        lines.putIfAbsent(pointer, line(node));
        String tag = node.getTag().getValue();
        if (tag.startsWith("!")) {
            String key = TAGS.get(tag);
            if (key == null) {
                throw new TemplateException(fileName, line(node), "unknown intrinsic '" + tag + "'");
            }
            Object inner = constructPlain(node, pointer + "/" + escape(key), true, depth);
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
        return constructPlain(node, pointer, false, depth);
    }

    private Object constructPlain(Node node, String pointer, boolean tagged, int depth) {
        lines.putIfAbsent(pointer, line(node));
        if (node instanceof ScalarNode scalar) {
            return tagged ? scalar.getValue() : scalar(scalar);
        }
        if (node instanceof SequenceNode seq) {
            requireTag(node, tagged, Tag.SEQ);
            List<Object> list = new ArrayList<>();
            for (Node item : seq.getValue()) {
                list.add(construct(item, pointer + "/" + list.size(), depth + 1));
            }
            return list;
        }
        requireTag(node, tagged, Tag.MAP);
        MappingNode mapping = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                Object merged = construct(tuple.getValueNode(), pointer, depth);
                if (merged instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> map.putIfAbsent(String.valueOf(k), v));
                }
                continue;
            }
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw new TemplateException(fileName, line(keyNode), "bad template: mapping keys must be strings");
            }
            requireScalarTag(keyScalar);
            String key = keyScalar.getValue();
            if (map.containsKey(key)) {
                throw new TemplateException(fileName, line(keyNode), "duplicate key '" + key + "'");
            }
            String child = pointer + "/" + escape(key);
            lines.put(child, line(keyNode));
            map.put(key, construct(tuple.getValueNode(), child, depth + 1));
            lines.put(child, line(keyNode));
        }
        return map;
    }

    private void requireTag(Node node, boolean tagged, Tag expected) {
        if (!tagged && !node.getTag().equals(expected)) {
            throw unsupportedTag(node);
        }
    }

    private void requireScalarTag(ScalarNode node) {
        if (!SCALAR_TAGS.contains(node.getTag())) {
            throw unsupportedTag(node);
        }
    }

    private TemplateException unsupportedTag(Node node) {
        String tag = node.getTag().getValue();
        String shown = tag.startsWith(STANDARD_PREFIX) ? "!!" + tag.substring(STANDARD_PREFIX.length()) : tag;
        return new TemplateException(
                fileName,
                line(node),
                "unsupported YAML tag '" + shown + "': CloudFormation templates use plain YAML and the short-form"
                        + " intrinsics (!Ref, !Sub, ...)");
    }

    private Object scalar(ScalarNode node) {
        requireScalarTag(node);
        String value = node.getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return Boolean.valueOf(value.toLowerCase(Locale.ROOT));
        }
        // Numbers keep their text: CloudFormation treats them as strings ("012345678901" is an account, not
        // 12345678901).
        return value;
    }

    /** RFC 6901 escaping of one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Counts nesting as the parser emits it. Hand-written because snakeyaml-engine has no depth setting and its
     * Composer recurses once per level, so a deeply nested text would overflow the stack before we saw a node.
     */
    private static final class DepthLimitedParser implements Parser {
        private final Parser delegate;
        private final String fileName;
        private final int max;
        private int depth;

        DepthLimitedParser(Parser delegate, String fileName, int max) {
            this.delegate = delegate;
            this.fileName = fileName;
            this.max = max;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return delegate.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public Event next() {
            Event event = delegate.next();
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > max) {
                        throw new TemplateException(
                                fileName,
                                event.getStartMark().map(Mark::getLine).orElse(-1) + 1,
                                "nesting deeper than " + max + " levels (limit maxDepth)");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {}
            }
            return event;
        }
    }
}
