package dev.roleproof.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the samtranslator comparison compares, as sorted text lines: per role its trust policy, managed policy ARNs,
 * inline statements (normalised: a single value and a one-element list are the same, keys sorted), boundary;
 * per function its role and settings; every permission (principal, SourceArn, SourceAccount) and mapping.
 */
final class ExpansionDigest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpansionDigest() {}

    static List<String> of(SamTemplate t) {
        TreeSet<String> lines = new TreeSet<>();
        for (RoleSpec r : t.roles()) {
            String p = "role " + r.logicalId() + " ";
            lines.add(p + "arn " + r.arn());
            lines.add(p + "boundary " + r.permissionsBoundaryArn());
            lines.add(p + "functions " + new TreeSet<>(r.functions()));
            // The engine's parsed statements: both sides go through the same parser, so equal documents give equal
            // text.
            if (r.trustPolicy() != null) {
                r.trustPolicy()
                        .statements()
                        .forEach(s -> lines.add(p + "trust " + s.effect() + " " + s.actions() + " " + s.principal()
                                + " " + s.conditions()));
            }
            lines.add(p + "path " + r.path());
            for (AttachedPolicy a : r.policies()) {
                if (a.kind() == AttachedPolicy.Kind.MANAGED || a.kind() == AttachedPolicy.Kind.CUSTOMER_MANAGED) {
                    lines.add(p + "managed " + a.arn());
                } else {
                    for (String s : statements(a.json())) {
                        lines.add(p + "inline " + a.name() + " " + s);
                    }
                }
            }
        }
        for (FunctionSpec f : t.functions()) {
            lines.add("function " + f.logicalId() + " name=" + f.functionName() + " role=" + f.roleArn()
                    + " handler=" + f.handler() + " runtime=" + f.runtime() + " timeout=" + f.timeoutSeconds()
                    + " memory=" + f.memoryMb() + " env=" + new java.util.TreeMap<>(f.environment()));
        }
        for (FunctionPermission p : t.permissions()) {
            lines.add("permission " + p.logicalId() + " function=" + p.functionLogicalId() + " as=" + p.functionName()
                    + " action=" + p.action()
                    + " principal=" + p.principal() + " sourceArn=" + p.sourceArn() + " sourceAccount="
                    + p.sourceAccount());
        }
        for (EventSourceMapping m : t.mappings()) {
            lines.add("mapping " + m.logicalId() + " function=" + m.functionLogicalId() + " as=" + m.functionName()
                    + " type=" + m.sourceType()
                    + " source=" + m.eventSourceArn() + " batch=" + m.batchSize() + " responses="
                    + m.functionResponseTypes()
                    + " bisect=" + m.bisectBatchOnFunctionError() + " retries=" + m.maximumRetryAttempts()
                    + " age=" + m.maximumRecordAgeInSeconds() + " onFailure=" + m.onFailureDestinationArn()
                    + " start=" + m.startingPosition() + " window=" + m.maximumBatchingWindowInSeconds()
                    + " enabled=" + m.enabled());
        }
        for (ResourceSpec r : t.resources()) {
            Object notif = r.properties().get("NotificationConfiguration");
            if (notif != null) {
                lines.add("notifications " + r.logicalId() + " " + canonical(JSON.valueToTree(notif)));
            }
        }
        return new ArrayList<>(lines);
    }

    private static List<String> statements(String json) {
        List<String> out = new ArrayList<>();
        try {
            JsonNode doc = JSON.readTree(json);
            JsonNode st = doc.get("Statement");
            if (st != null && st.isArray()) {
                st.forEach(s -> out.add(canonical(s)));
            } else if (st != null) {
                out.add(canonical(st));
            }
        } catch (Exception e) {
            out.add("unparsable " + json);
        }
        return out;
    }

    /** Sorted keys; one-element arrays as their element (IAM treats "a" and ["a"] alike); numbers as text. */
    static String canonical(JsonNode node) {
        return JSON.valueToTree(normalise(node)).toString();
    }

    private static Object normalise(JsonNode node) {
        if (node.isObject()) {
            java.util.TreeMap<String, Object> m = new java.util.TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it =
                    ((ObjectNode) node).properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), normalise(e.getValue()));
            }
            return m;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            if (a.size() == 1) {
                return normalise(a.get(0));
            }
            List<Object> l = new ArrayList<>();
            a.forEach(n -> l.add(normalise(n)));
            return l;
        }
        return node.isNull() ? null : node.asText();
    }
}
