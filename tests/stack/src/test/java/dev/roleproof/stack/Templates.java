package dev.roleproof.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The templates as CloudFormation will see them: account A's after the SAM transform (samtranslator, run offline by
 * tools/sam_transform.py), account B's as parsed (it has no transform). Cached per JVM.
 */
final class Templates {

    /** samtranslator or cfn-lint missing: the helper's own one-line message, exit code 3. */
    private static final int TOOL_MISSING = 3;

    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> MISSING = new ConcurrentHashMap<>();

    private Templates() {}

    /** template.yaml after the SAM transform. */
    static JsonNode accountA() {
        return cached("A", "template.yaml");
    }

    /** target-account/template.yaml as parsed (plain CloudFormation). */
    static JsonNode accountB() {
        return cached("B", "--parse-only", "target-account/template.yaml");
    }

    /** One python run per template and JVM; a missing tool is remembered too, so every test skips at once. */
    private static JsonNode cached(String key, String... args) {
        String missing = MISSING.get(key);
        if (missing != null) {
            Tools.skip(missing);
        }
        return CACHE.computeIfAbsent(key, k -> python(k, args));
    }

    private static JsonNode python(String key, String... args) {
        Path python = Tools.require("python");
        Path script = Tools.root().resolve("tools/sam_transform.py");
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(List.of(args));
        Tools.Result result =
                Tools.run(command, Tools.root(), Map.of("AWS_DEFAULT_REGION", "us-east-1"), Duration.ofSeconds(60));
        if (result.exitCode() == TOOL_MISSING) {
            MISSING.put(key, result.stderr().strip());
            Tools.skip(result.stderr().strip());
        }
        if (result.exitCode() != 0) {
            throw new AssertionError("the SAM transform failed (exit " + result.exitCode() + "):\n" + result.both());
        }
        try {
            return new ObjectMapper().readTree(result.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("the SAM transform printed no JSON", e);
        }
    }

    /** The resources of a template of the given type, by logical id. */
    static Map<String, JsonNode> resources(JsonNode template, String type) {
        Map<String, JsonNode> found = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> e : template.path("Resources").properties()) {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        }
        return found;
    }

    /** The logical id a {"Fn::GetAtt": [id, attr]} or {"Ref": id} points to, or null. */
    static String target(JsonNode value) {
        if (value.has("Fn::GetAtt")) {
            JsonNode getAtt = value.get("Fn::GetAtt");
            return getAtt.isArray() ? getAtt.get(0).asText() : getAtt.asText().split("\\.")[0];
        }
        if (value.has("Ref")) {
            return value.get("Ref").asText();
        }
        return null;
    }

    /** A node as a list of nodes (IAM allows a single value or an array). */
    static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }
}
