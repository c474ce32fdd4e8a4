package dev.roleproof.engine.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import java.util.List;

/** Writes a parsed policy back as an AWS policy document (what {@link Policy} serialises to with Jackson). */
public final class PolicyJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PolicyJson() {}

    public static ObjectNode write(Policy p) {
        ObjectNode o = F.objectNode();
        if (p.version() != null) {
            o.put("Version", p.version());
        }
        if (p.id() != null) {
            o.put("Id", p.id());
        }
        ArrayNode st = o.putArray("Statement");
        for (Statement s : p.statements()) {
            st.add(write(s));
        }
        return o;
    }

    public static ObjectNode write(Statement s) {
        ObjectNode o = F.objectNode();
        if (s.sid() != null) {
            o.put("Sid", s.sid());
        }
        o.put("Effect", s.effect().awsName());
        if (s.principal() != null) {
            principals(o, "Principal", s.principal());
        }
        if (s.notPrincipal() != null) {
            principals(o, "NotPrincipal", s.notPrincipal());
        }
        list(o, "Action", s.actions());
        list(o, "NotAction", s.notActions());
        list(o, "Resource", s.resources());
        list(o, "NotResource", s.notResources());
        if (!s.conditions().isEmpty()) {
            ObjectNode c = o.putObject("Condition");
            for (Condition k : s.conditions()) {
                ObjectNode op =
                        c.has(k.operatorText()) ? (ObjectNode) c.get(k.operatorText()) : c.putObject(k.operatorText());
                list(op, k.key(), k.values());
            }
        }
        return o;
    }

    private static void principals(ObjectNode parent, String field, Principals p) {
        if (p.any()) {
            parent.put(field, "*");
            return;
        }
        ObjectNode o = parent.putObject(field);
        list(o, "AWS", p.aws());
        list(o, "Service", p.service());
        list(o, "Federated", p.federated());
        list(o, "CanonicalUser", p.canonicalUser());
    }

    private static void list(ObjectNode o, String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        if (values.size() == 1) {
            o.put(field, values.get(0));
        } else {
            ArrayNode a = o.putArray(field);
            values.forEach(a::add);
        }
    }
}
