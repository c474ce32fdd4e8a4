package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.ManagedPolicies;
import dev.roleproof.engine.ManagedPolicy;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An AWS managed policy (the ones SAM attaches per event type) where a scoped inline statement would do: the needs it
 * satisfies, listed with their ARNs, are the replacement.
 */
public final class BroadManagedPolicyCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "broad-managed-policy",
            Severity.WARNING,
            "A managed policy grants more than the function needs (e.g. SQS or stream reads on every resource).",
            "Replace {0} with the inline statements {1}.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (Rules.TemplateRole tr : Rules.rolesWithNeeds(c)) {
            for (AttachedPolicy p : tr.role().policies()) {
                if (p.kind() != AttachedPolicy.Kind.MANAGED) {
                    continue;
                }
                Optional<ManagedPolicy> known = ManagedPolicies.byArn(p.arn());
                String summary = known.map(ManagedPolicy::summary)
                        .orElse("an AWS managed policy RoleProof does not" + " ship; its scope is unknown");
                Map<String, Set<String>> byAction = new LinkedHashMap<>();
                if (p.policy() != null) {
                    for (EvaluatedNeed e : Rules.allowedByPolicy(c, p.policy().name())) {
                        // A log stream need is granted on its group's streams ("group:*"), as the fix should be.
                        String resource = e.resource().replaceFirst(":log-stream:.*$", ":*");
                        byAction.computeIfAbsent(e.action(), k -> new LinkedHashSet<>())
                                .add(resource);
                    }
                }
                List<String> statements = new ArrayList<>();
                byAction.forEach((action, resources) -> statements.add("{\"Effect\":\"Allow\",\"Action\":\""
                        + action + "\",\"Resource\":"
                        + (resources.size() == 1
                                ? "\"" + resources.iterator().next() + "\""
                                : "[\"" + String.join("\",\"", resources) + "\"]")
                        + "}"));
                String name = known.map(ManagedPolicy::name).orElse(p.arn());
                out.add(INFO.finding(
                        tr.role().logicalId(),
                        tr.role().logicalId() + " uses managed policy " + name + ": " + summary,
                        statements.isEmpty()
                                ? "remove " + name + " (no need of this role uses it)"
                                : "replace " + name + " with the scoped statements " + String.join(", ", statements),
                        p.line(),
                        tr.template().file()));
            }
        }
        return out;
    }
}
