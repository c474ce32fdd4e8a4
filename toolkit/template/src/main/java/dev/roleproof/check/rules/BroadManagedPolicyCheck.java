package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.ManagedPolicies;
import dev.roleproof.engine.ManagedPolicy;
import dev.roleproof.engine.vocabulary.GrantSummary;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An AWS managed policy judged by its real document (every AWS managed policy ships with the engine): one that grants
 * actions with a resource type on every resource ("*", or an ARN with wildcards), where statements scoped to the ARNs
 * the function uses would do. What it grants is summarised by access level from the Service Authorization Reference;
 * the needs it satisfies, with their ARNs, are the replacement. A policy whose actions all lack a resource type (the
 * X-Ray write policies SAM attaches for {@code Tracing: Active}) cannot be scoped and is not reported. An AWS
 * managed policy name or ARN the data does not know (deprecated, misspelt) is reported: it cannot be attached.
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
                unknown(tr, p).ifPresent(out::add);
                if (p.kind() != AttachedPolicy.Kind.MANAGED || p.policy() == null) {
                    continue;
                }
                Optional<ManagedPolicy> known = ManagedPolicies.byArn(p.arn());
                if (known.isEmpty()) {
                    continue;
                }
                ManagedPolicy m = known.get();
                GrantSummary grants = m.grants();
                if (!broad(grants)) {
                    continue;
                }
                Map<String, Set<String>> byAction = new LinkedHashMap<>();
                for (EvaluatedNeed e : Rules.allowedByPolicy(c, p.policy().name())) {
                    // A log stream need is granted on its group's streams ("group:*"), as the fix should be.
                    String resource = e.resource().replaceFirst(":log-stream:.*$", ":*");
                    byAction.computeIfAbsent(e.action(), k -> new LinkedHashSet<>())
                            .add(resource);
                }
                List<String> statements = new ArrayList<>();
                byAction.forEach((action, resources) -> statements.add("{\"Effect\":\"Allow\",\"Action\":\""
                        + action + "\",\"Resource\":"
                        + (resources.size() == 1
                                ? "\"" + resources.iterator().next() + "\""
                                : "[\"" + String.join("\",\"", resources) + "\"]")
                        + "}"));
                String summary = m.explained()
                        ? m.summary()
                        : "grants " + grants.text() + " (AWS managed, " + m.versionId() + " of "
                                + String.valueOf(m.updateDate()).substring(0, 10) + ").";
                String fix;
                if (!statements.isEmpty()) {
                    fix = "replace " + m.name() + " with the scoped statements " + String.join(", ", statements);
                } else if (m.explained()) {
                    fix = "remove " + m.name() + " (no need of this role uses it)";
                } else {
                    fix = "declare what the handler calls (Metadata.RoleProof.Calls) and replace " + m.name()
                            + " with statements scoped to those ARNs";
                }
                out.add(INFO.finding(
                        tr.role().logicalId(),
                        tr.role().logicalId() + " uses managed policy " + m.name() + ": " + summary,
                        fix,
                        p.line(),
                        tr.template().file()));
            }
        }
        return out;
    }

    /**
     * Grants actions that have a resource type on every resource, or on ARNs with wildcards: statements naming the
     * function's own ARNs would be narrower.
     */
    static boolean broad(GrantSummary grants) {
        for (GrantSummary.Grant g : grants.grants()) {
            boolean wide = g.allResources() || g.resources().stream().anyMatch(r -> r.indexOf('*') >= 0);
            if (wide && g.scopable() > 0) {
                return true;
            }
        }
        return false;
    }

    /** A Policies / ManagedPolicyArns entry that names no AWS managed policy the data knows. */
    private static Optional<Finding> unknown(Rules.TemplateRole tr, AttachedPolicy p) {
        if (p.policy() != null || p.arn() == null) {
            return Optional.empty();
        }
        boolean awsArn = p.arn().contains(":iam::aws:policy/");
        boolean bareName = !p.arn().startsWith("arn:")
                && !p.arn().startsWith("{{")
                && p.arn().matches("[\\w+=,.@-]+");
        if (!awsArn && !bareName) {
            return Optional.empty();
        }
        String name = p.arn().substring(p.arn().lastIndexOf('/') + 1);
        return Optional.of(INFO.finding(
                tr.role().logicalId(),
                tr.role().logicalId() + " attaches " + p.arn() + ", which is not an AWS managed policy in "
                        + ManagedPolicies.source() + ": a deprecated or misspelt name cannot be attached, so the"
                        + " deploy fails" + (bareName ? " (SAM passes an unknown name on as it is)" : "") + ".",
                "use an existing AWS managed policy instead of " + name + ", or inline statements scoped to the"
                        + " function's ARNs",
                p.line(),
                tr.template().file()));
    }
}
