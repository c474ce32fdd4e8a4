package dev.roleproof.engine.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict policy parser. Everything AWS's grammar does not allow is an error naming the place as a JSON pointer;
 * nothing is silently dropped. Pure: reads a string or a Jackson tree, nothing else.
 */
public final class PolicyParser {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> TOP_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of(
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition");
    private static final Set<String> PRINCIPAL_KEYS = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern UNIQUE_ID = Pattern.compile("A[A-Z0-9]{15,127}");

    private PolicyParser() {}

    public static Policy parse(String json) {
        return parse(null, json);
    }

    public static Policy parse(String name, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            throw new InvalidPolicyException(
                    "Malformed JSON (" + (nl < 0 ? msg : msg.substring(0, nl)) + ", line "
                            + e.getLocation().getLineNr() + " column "
                            + e.getLocation().getColumnNr() + ")",
                    "");
        }
        if (node == null) {
            throw new InvalidPolicyException("Empty policy document", "");
        }
        return parse(name, node);
    }

    /** Parses a policy already read as a Jackson tree (for case files and CLI lines). */
    public static Policy parse(String name, JsonNode node) {
        if (node.isTextual()) { // IAM APIs and CloudFormation sometimes carry the document as a string
            return parse(name, node.textValue());
        }
        if (!node.isObject()) {
            throw new InvalidPolicyException("A policy must be a JSON object", "");
        }
        checkKeys(node, TOP_KEYS, "");
        String version = null;
        if (node.has("Version")) {
            version = text(node.get("Version"), "/Version");
            if (!version.equals(Policy.V2012) && !version.equals(Policy.V2008)) {
                throw new InvalidPolicyException("Unsupported Version '" + version + "' (use 2012-10-17)", "/Version");
            }
        }
        String id = node.has("Id") ? text(node.get("Id"), "/Id") : null;
        JsonNode st = node.get("Statement");
        if (st == null) {
            throw new InvalidPolicyException("Missing Statement", "");
        }
        boolean variables = Policy.V2012.equals(version);
        List<Statement> statements = new ArrayList<>();
        if (st.isObject()) {
            statements.add(statement(st, 0, "/Statement", variables));
        } else if (st.isArray()) {
            if (st.isEmpty()) {
                throw new InvalidPolicyException("Statement must not be empty", "/Statement");
            }
            for (int i = 0; i < st.size(); i++) {
                statements.add(statement(st.get(i), i, "/Statement/" + i, variables));
            }
        } else {
            throw new InvalidPolicyException("Statement must be an object or an array of objects", "/Statement");
        }
        return new Policy(name, version, id, statements);
    }

    private static Statement statement(JsonNode s, int index, String at, boolean variables) {
        if (!s.isObject()) {
            throw new InvalidPolicyException("A statement must be a JSON object", at);
        }
        checkKeys(s, STATEMENT_KEYS, at);
        String sid = s.has("Sid") ? text(s.get("Sid"), at + "/Sid") : null;
        JsonNode e = s.get("Effect");
        if (e == null) {
            throw new InvalidPolicyException("Missing Effect", at);
        }
        String effectText = text(e, at + "/Effect");
        Effect effect;
        if (effectText.equals("Allow")) {
            effect = Effect.ALLOW;
        } else if (effectText.equals("Deny")) {
            effect = Effect.DENY;
        } else {
            throw new InvalidPolicyException("Effect must be Allow or Deny, not '" + effectText + "'", at + "/Effect");
        }
        if (s.has("Action") && s.has("NotAction")) {
            throw new InvalidPolicyException("A statement cannot have both Action and NotAction", at);
        }
        if (!s.has("Action") && !s.has("NotAction")) {
            throw new InvalidPolicyException("Missing Action or NotAction", at);
        }
        if (s.has("Resource") && s.has("NotResource")) {
            throw new InvalidPolicyException("A statement cannot have both Resource and NotResource", at);
        }
        if (s.has("Principal") && s.has("NotPrincipal")) {
            throw new InvalidPolicyException("A statement cannot have both Principal and NotPrincipal", at);
        }
        if (s.has("NotPrincipal") && effect == Effect.ALLOW) {
            throw new InvalidPolicyException(
                    "NotPrincipal must be used with \"Effect\": \"Deny\"", at + "/NotPrincipal");
        }
        List<String> actions = s.has("Action") ? actions(s.get("Action"), at + "/Action") : null;
        List<String> notActions = s.has("NotAction") ? actions(s.get("NotAction"), at + "/NotAction") : null;
        List<String> resources = s.has("Resource") ? strings(s.get("Resource"), at + "/Resource") : null;
        List<String> notResources = s.has("NotResource") ? strings(s.get("NotResource"), at + "/NotResource") : null;
        Principals principal = s.has("Principal") ? principals(s.get("Principal"), at + "/Principal") : null;
        Principals notPrincipal =
                s.has("NotPrincipal") ? principals(s.get("NotPrincipal"), at + "/NotPrincipal") : null;
        List<Condition> conditions =
                s.has("Condition") ? conditions(s.get("Condition"), at + "/Condition", variables) : List.of();
        return new Statement(
                index,
                sid,
                effect,
                actions,
                notActions,
                resources,
                notResources,
                principal,
                notPrincipal,
                conditions,
                variables);
    }

    private static List<String> actions(JsonNode n, String at) {
        List<String> list = strings(n, at);
        for (int i = 0; i < list.size(); i++) {
            if (!validAction(list.get(i))) {
                throw new InvalidPolicyException(
                        "Invalid action '" + list.get(i) + "' (expected service:Action)",
                        n.isArray() ? at + "/" + i : at);
            }
        }
        return list;
    }

    /** "*" or service:Action with letters, digits, '-', '_', '.', and the wildcards (hand-checked: hot on eval lines). */
    static boolean validAction(String a) {
        if (a.equals("*")) {
            return true;
        }
        int colon = a.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '*'
                    || c == '?'
                    || c == '-'
                    || i == colon
                    || i > colon && (c == '_' || c == '.');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Principals principals(JsonNode n, String at) {
        if (n.isTextual()) {
            if (!n.textValue().equals("*")) {
                throw new InvalidPolicyException(
                        "A principal string must be \"*\"; use {\"AWS\": …} or {\"Service\": …}", at);
            }
            return Principals.ANY;
        }
        if (!n.isObject()) {
            throw new InvalidPolicyException("A principal must be \"*\" or an object", at);
        }
        if (n.isEmpty()) {
            throw new InvalidPolicyException("A principal object must not be empty", at);
        }
        checkKeys(n, PRINCIPAL_KEYS, at);
        List<String> aws = n.has("AWS") ? strings(n.get("AWS"), at + "/AWS") : List.of();
        for (int i = 0; i < aws.size(); i++) {
            String a = aws.get(i);
            if (!(a.equals("*")
                    || ACCOUNT.matcher(a).matches()
                    || UNIQUE_ID.matcher(a).matches()
                    || validArn(a))) {
                throw new InvalidPolicyException(
                        "Invalid AWS principal '" + a + "'", n.get("AWS").isArray() ? at + "/AWS/" + i : at + "/AWS");
            }
        }
        List<String> service = n.has("Service") ? strings(n.get("Service"), at + "/Service") : List.of();
        List<String> federated = n.has("Federated") ? strings(n.get("Federated"), at + "/Federated") : List.of();
        List<String> canonical =
                n.has("CanonicalUser") ? strings(n.get("CanonicalUser"), at + "/CanonicalUser") : List.of();
        return new Principals(false, aws, service, federated, canonical);
    }

    /** arn:partition:iam::account:root|user/..|role/..  or arn:partition:sts::account:assumed-role/r/s|federated-user/u. */
    private static boolean validArn(String a) {
        String[] p = a.split(":", 6);
        if (p.length != 6
                || !p[0].equals("arn")
                || p[1].isEmpty()
                || !p[3].isEmpty()
                || !ACCOUNT.matcher(p[4]).matches()
                || a.indexOf('*') >= 0
                || a.indexOf('?') >= 0) {
            return false;
        }
        String r = p[5];
        if (p[2].equals("iam")) {
            return r.equals("root") || r.startsWith("user/") || r.startsWith("role/");
        }
        if (p[2].equals("sts")) {
            return r.startsWith("assumed-role/") && r.indexOf('/', "assumed-role/".length()) > 0
                    || r.startsWith("federated-user/");
        }
        return false;
    }

    private static List<Condition> conditions(JsonNode n, String at, boolean variables) {
        if (!n.isObject()) {
            throw new InvalidPolicyException("Condition must be an object of operators", at);
        }
        List<Condition> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> ops = n.properties().iterator();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> op = ops.next();
            String opAt = at + "/" + escape(op.getKey());
            parseOperator(op.getKey(), at); // fail on the operator before its keys
            if (!op.getValue().isObject()) {
                throw new InvalidPolicyException(
                        "Operator '" + op.getKey() + "' must map condition keys to values", opAt);
            }
            Iterator<Map.Entry<String, JsonNode>> keys =
                    op.getValue().properties().iterator();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                String keyAt = opAt + "/" + escape(k.getKey());
                if (k.getKey().isEmpty()) {
                    throw new InvalidPolicyException("Empty condition key", keyAt);
                }
                out.add(condition(op.getKey(), k.getKey(), scalars(k.getValue(), keyAt), variables, at));
            }
        }
        return out;
    }

    /** Parses operator text and builds the condition (also used by {@link Condition#of}). */
    static Condition condition(String operatorText, String key, List<String> values, boolean variables, String at) {
        Object[] parsed = parseOperator(operatorText, at);
        String keyAt = at + "/" + escape(operatorText) + "/" + escape(key);
        if (values.isEmpty()) {
            throw new InvalidPolicyException("A condition needs at least one value", keyAt);
        }
        return Condition.build(
                operatorText,
                (SetQualifier) parsed[0],
                (ConditionOperator) parsed[1],
                (Boolean) parsed[2],
                key,
                values,
                variables,
                keyAt);
    }

    private static Object[] parseOperator(String text, String at) {
        String rest = text;
        SetQualifier q = SetQualifier.NONE;
        if (rest.startsWith(SetQualifier.FOR_ALL_VALUES.prefix())) {
            q = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring(q.prefix().length());
        } else if (rest.startsWith(SetQualifier.FOR_ANY_VALUE.prefix())) {
            q = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring(q.prefix().length());
        }
        boolean ifExists = false;
        if (rest.endsWith("IfExists")) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        ConditionOperator op = ConditionOperator.byAwsName(rest).orElse(null);
        if (op == null || (op == ConditionOperator.NULL && (ifExists || q != SetQualifier.NONE))) {
            throw new InvalidPolicyException("Unknown operator '" + text + "'", at);
        }
        return new Object[] {q, op, ifExists};
    }

    private static String text(JsonNode n, String at) {
        if (!n.isTextual()) {
            throw new InvalidPolicyException("Expected a string", at);
        }
        return n.textValue();
    }

    /** A string or a non-empty array of strings. */
    private static List<String> strings(JsonNode n, String at) {
        if (n.isTextual()) {
            if (n.textValue().isEmpty()) {
                throw new InvalidPolicyException("Empty string", at);
            }
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw new InvalidPolicyException("Expected a string or an array of strings", at);
        }
        if (n.isEmpty()) {
            throw new InvalidPolicyException("Empty array", at);
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode v = n.get(i);
            if (!v.isTextual() || v.textValue().isEmpty()) {
                throw new InvalidPolicyException("Expected a non-empty string", at + "/" + i);
            }
            out.add(v.textValue());
        }
        return List.copyOf(out);
    }

    /** Condition values: strings, numbers or booleans, single or in an array (JSON text kept as written). */
    private static List<String> scalars(JsonNode n, String at) {
        if (n.isArray()) {
            List<String> out = new ArrayList<>(n.size());
            for (int i = 0; i < n.size(); i++) {
                out.add(scalar(n.get(i), at + "/" + i));
            }
            return out;
        }
        return List.of(scalar(n, at));
    }

    private static String scalar(JsonNode v, String at) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw new InvalidPolicyException("A condition value must be a string, number or boolean", at);
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String at) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new InvalidPolicyException("Unknown key '" + k + "'", at + "/" + escape(k));
            }
        }
    }

    /** JSON pointer escaping (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
