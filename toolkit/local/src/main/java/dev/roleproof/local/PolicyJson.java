package dev.roleproof.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import java.util.List;

/**
 * A model policy written back as an IAM JSON document, so what RoleProof deploys into moto (and prints as a
 * minimal policy) is the model as edited, breaks included.
 */
final class PolicyJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyJson() {}

    static ObjectNode toNode(Policy p) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("Version", p.version() == null ? Policy.V2012 : p.version());
        ArrayNode statements = doc.putArray("Statement");
        for (Statement s : p.statements()) {
            ObjectNode n = statements.addObject();
            if (s.sid() != null) {
                n.put("Sid", s.sid());
            }
            n.put("Effect", s.effect() == Effect.ALLOW ? "Allow" : "Deny");
            principals(n, "Principal", s.principal());
            principals(n, "NotPrincipal", s.notPrincipal());
            list(n, "Action", s.actions());
            list(n, "NotAction", s.notActions());
            list(n, "Resource", s.resources());
            list(n, "NotResource", s.notResources());
            if (!s.conditions().isEmpty()) {
                ObjectNode c = n.putObject("Condition");
                for (Condition cond : s.conditions()) {
                    ObjectNode op = c.has(cond.operatorText())
                            ? (ObjectNode) c.get(cond.operatorText())
                            : c.putObject(cond.operatorText());
                    list(op, cond.key(), cond.values());
                }
            }
        }
        return doc;
    }

    static String toJson(Policy p) {
        return toNode(p).toString();
    }

    private static void principals(ObjectNode n, String field, Principals p) {
        if (p == null) {
            return;
        }
        if (p.any()) {
            n.put(field, "*");
            return;
        }
        ObjectNode o = n.putObject(field);
        list(o, "AWS", p.aws());
        list(o, "Service", p.service());
        list(o, "Federated", p.federated());
        list(o, "CanonicalUser", p.canonicalUser());
    }

    private static void list(ObjectNode n, String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        if (values.size() == 1) {
            n.put(field, values.get(0));
        } else {
            ArrayNode a = n.putArray(field);
            values.forEach(a::add);
        }
    }
}
