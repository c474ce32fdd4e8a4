package dev.roleproof.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.local.enforce.CallRecord;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.RoleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Observed least privilege for one role: from the calls the proxy judged for its sessions, the minimal policy that
 * would have sufficed (allowed calls, one statement per resource) and its diff with the role as deployed: what it
 * grants that no call used, and what was used but denied.
 */
final class Observed {

    /** Calls that need no permission (AWS answers them for any valid credentials). */
    private static final Set<String> FREE = Set.of("sts:getcalleridentity");

    private Observed() {}

    /**
     * @param expectedDenied actions the self-check expected to be denied (its forbidden probes), marked as such
     */
    static ObjectNode of(RoleSpec role, List<CallRecord> calls, Set<String> expectedDenied) {
        ObjectNode o = PolicyJson.MAPPER.createObjectNode();
        o.put("role", role.arn());
        o.put("calls", calls.size());
        Map<String, Set<String>> byResource = new TreeMap<>();
        List<CallRecord> judged = new ArrayList<>();
        Map<String, CallRecord> denied = new TreeMap<>();
        for (CallRecord c : calls) {
            if (FREE.contains(c.action().toLowerCase(Locale.ROOT))) {
                continue;
            }
            judged.add(c);
            if (c.allowed()) {
                byResource.computeIfAbsent(c.resource(), k -> new TreeSet<>()).add(c.action());
            } else {
                denied.putIfAbsent(c.action() + " " + c.resource(), c);
            }
        }
        ObjectNode minimal = o.putObject("minimalPolicy");
        minimal.put("Version", "2012-10-17");
        ArrayNode statements = minimal.putArray("Statement");
        byResource.forEach((resource, actions) -> {
            ObjectNode s = statements.addObject();
            s.put("Effect", "Allow");
            ArrayNode a = s.putArray("Action");
            actions.forEach(a::add);
            s.put("Resource", resource);
        });
        ArrayNode unused = o.putArray("grantedUnused");
        for (AttachedPolicy p : role.policies()) {
            if (p.policy() == null) {
                continue;
            }
            for (Statement s : p.policy().statements()) {
                if (s.effect() != Effect.ALLOW || s.actions() == null) {
                    continue;
                }
                List<String> resources = s.resources() == null ? List.of("*") : s.resources();
                for (String action : s.actions()) {
                    for (String resource : resources) {
                        // A grant is used when a call exercised it, even if another policy (a trust policy) then
                        // refused it.
                        boolean used = judged.stream()
                                .anyMatch(c -> glob(action, c.action(), true) && glob(resource, c.resource(), false));
                        if (!used) {
                            ObjectNode u = unused.addObject();
                            u.put("action", action);
                            u.put("resource", resource);
                            u.put("statement", p.policy().name() + "/" + s.label());
                        }
                    }
                }
            }
        }
        ArrayNode usedDenied = o.putArray("usedDenied");
        for (CallRecord c : denied.values()) {
            ObjectNode d = usedDenied.addObject();
            d.put("action", c.action());
            d.put("resource", c.resource());
            d.put("expected", expectedDenied.contains(c.action().toLowerCase(Locale.ROOT)));
            if (c.message() != null) {
                d.put("message", c.message());
            }
        }
        return o;
    }

    /** IAM wildcard match: '*' any run (across '/'), '?' one character; actions case-insensitively. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        if (value == null) {
            return false;
        }
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL)
                .matcher(value)
                .matches();
    }
}
