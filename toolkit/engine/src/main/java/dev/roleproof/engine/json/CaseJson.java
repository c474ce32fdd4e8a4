package dev.roleproof.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Explanation;
import dev.roleproof.engine.ManagedPolicies;
import dev.roleproof.engine.ManagedPolicy;
import dev.roleproof.engine.PolicyRules;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.PolicyParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The case format shared by the engine's test cases and {@code ./roleproof eval} lines:
 * <pre>
 * {"id" | "name", "doc", "skip", "expected",                       (ignored here)
 *  "request": {"principal", "action", "resource", "resourceAccount"?, "context"?: {key: value | [values]}},
 *  "identityPolicies": [policy, …], "resourcePolicy": policy|null, "permissionsBoundary": policy|null,
 *  "sessionPolicy": policy|null, "scps": [[policy, …] per level, root first]|null, "rcps": same}
 * </pre>
 * A policy is a document, {"name": …, "policy": document}, or the ARN of a known AWS managed policy. Errors are one
 * line: {@link InvalidPolicyException} (with the pointer inside the case) or {@link IllegalArgumentException}.
 */
public final class CaseJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    private static final Set<String> KEYS = Set.of(
            "id",
            "name",
            "doc",
            "skip",
            "expected",
            "comment",
            "request",
            "identityPolicies",
            "resourcePolicy",
            "permissionsBoundary",
            "sessionPolicy",
            "scps",
            "rcps");
    private static final Set<String> REQUEST_KEYS =
            Set.of("principal", "action", "resource", "resourceAccount", "context");

    private CaseJson() {}

    /** Reads a case (or an eval line) into an AuthorizationInput. */
    public static AuthorizationInput toInput(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("A case must be a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("Unknown field '" + k + "' in case (expected one of request, "
                        + "identityPolicies, resourcePolicy, permissionsBoundary, sessionPolicy, scps, rcps)");
            }
        }
        Request request = request(node.get("request"));
        AuthorizationInput.Builder b = AuthorizationInput.builder(request);
        JsonNode ids = node.get("identityPolicies");
        if (present(ids)) {
            if (!ids.isArray()) {
                throw new IllegalArgumentException("identityPolicies must be an array of policies");
            }
            for (int i = 0; i < ids.size(); i++) {
                b.identityPolicy(typed(PolicyType.IDENTITY, ids.get(i), "/identityPolicies/" + i, "identity-" + i));
            }
        }
        if (present(node.get("resourcePolicy"))) {
            b.resourcePolicy(typed(PolicyType.RESOURCE, node.get("resourcePolicy"), "/resourcePolicy", "resource"));
        }
        if (present(node.get("permissionsBoundary"))) {
            b.permissionsBoundary(typed(
                    PolicyType.PERMISSIONS_BOUNDARY,
                    node.get("permissionsBoundary"),
                    "/permissionsBoundary",
                    "boundary"));
        }
        if (present(node.get("sessionPolicy"))) {
            b.sessionPolicy(typed(PolicyType.SESSION, node.get("sessionPolicy"), "/sessionPolicy", "session"));
        }
        for (List<Policy> level : levels(node.get("scps"), "scps", PolicyType.SCP)) {
            b.scpLevel(level);
        }
        for (List<Policy> level : levels(node.get("rcps"), "rcps", PolicyType.RCP)) {
            b.rcpLevel(level);
        }
        return b.build();
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull();
    }

    private static List<List<Policy>> levels(JsonNode n, String field, PolicyType type) {
        List<List<Policy>> out = new ArrayList<>();
        if (!present(n)) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of levels, each an array of policies");
        }
        for (int l = 0; l < n.size(); l++) {
            JsonNode level = n.get(l);
            if (!level.isArray()) {
                throw new IllegalArgumentException(
                        field + "[" + l + "] must be an array of policies (one array per level)");
            }
            List<Policy> ps = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                String at = "/" + field + "/" + l + "/" + i;
                ps.add(typed(type, level.get(i), at, field.substring(0, 3) + "-" + l + "-" + i));
            }
            out.add(ps);
        }
        return out;
    }

    /** {@link #policy} checked against what its type allows ({@link PolicyRules}). */
    public static Policy typed(PolicyType type, JsonNode n, String pointer, String defaultName) {
        Policy p = policy(n, pointer, defaultName);
        PolicyRules.check(
                type, p, n.isObject() && n.has("policy") && !n.has("Statement") ? pointer + "/policy" : pointer);
        return p;
    }

    /** A document, {"name", "policy"}, or a managed policy ARN. Parser errors get the case's pointer prefix. */
    public static Policy policy(JsonNode n, String pointer, String defaultName) {
        String at = pointer;
        if (n.isTextual() && n.textValue().startsWith("arn:") && n.textValue().contains(":iam::aws:policy/")) {
            ManagedPolicy mp = ManagedPolicies.byArn(n.textValue())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Unknown AWS managed policy '" + n.textValue() + "' at " + pointer));
            return mp.policy();
        }
        String name = defaultName;
        JsonNode doc = n;
        if (n.isObject() && n.has("policy") && !n.has("Statement")) {
            JsonNode nm = n.get("name");
            if (nm != null && nm.isTextual()) {
                name = nm.textValue();
            }
            doc = n.get("policy");
            at = at + "/policy";
        }
        try {
            return PolicyParser.parse(name, doc);
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(
                    e.getMessage().substring(0, e.getMessage().lastIndexOf(" at ")), at + e.pointer());
        }
    }

    private static Request request(JsonNode r) {
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("Missing request object {principal, action, resource}");
        }
        Iterator<String> names = r.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!REQUEST_KEYS.contains(k)) {
                throw new IllegalArgumentException("Unknown field '" + k + "' in request (expected principal, action, "
                        + "resource, resourceAccount, context)");
            }
        }
        String principal = requiredText(r, "principal");
        String action = requiredText(r, "action");
        if (action.indexOf(':') <= 0) {
            throw new IllegalArgumentException("request.action must be service:Action, not '" + action + "'");
        }
        String resource = requiredText(r, "resource");
        String account = null;
        JsonNode ra = r.get("resourceAccount");
        if (present(ra)) {
            if (!ra.isTextual() && !ra.isIntegralNumber()) {
                throw new IllegalArgumentException("request.resourceAccount must be a 12-digit account id string");
            }
            account = ra.asText();
        }
        Map<String, List<String>> context = new LinkedHashMap<>();
        JsonNode c = r.get("context");
        if (present(c)) {
            if (!c.isObject()) {
                throw new IllegalArgumentException("request.context must be an object of key: value or [values]");
            }
            Iterator<Map.Entry<String, JsonNode>> it = c.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                context.put(e.getKey(), values(e.getKey(), e.getValue()));
            }
        }
        return new Request(principal, action, resource, account, context);
    }

    private static List<String> values(String key, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode x : v) {
                out.add(scalar(key, x));
            }
        } else {
            out.add(scalar(key, v));
        }
        return out;
    }

    private static String scalar(String key, JsonNode x) {
        if (x.isTextual()) {
            return x.textValue();
        }
        if (x.isNumber() || x.isBoolean()) {
            return x.asText();
        }
        throw new IllegalArgumentException(
                "Context key '" + key + "' must be a string, number, boolean or array of them");
    }

    private static String requiredText(JsonNode r, String field) {
        JsonNode n = r.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw new IllegalArgumentException("request." + field + " must be a non-empty string");
        }
        return n.textValue();
    }

    /** An explanation as a JSON tree (records serialised field by field). */
    public static JsonNode toJson(Explanation explanation) {
        return MAPPER.valueToTree(explanation);
    }

    /** {"decision", "deniedBy"?, "message"?, "explain"?} for a decision. */
    public static ObjectNode toJson(Decision d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("decision", d.outcome().awsName());
        if (d.deniedBy() != null) {
            o.put("deniedBy", d.deniedBy().name());
        }
        if (d.message() != null) {
            o.put("message", d.message());
        }
        if (d.explanation() != null) {
            o.set("explain", toJson(d.explanation()));
        }
        return o;
    }
}
