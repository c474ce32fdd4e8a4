package dev.roleproof.engine.vocabulary;

import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a policy's Allow statements grant, by access level, as IAM's policy summaries count it: each statement's
 * actions expanded through the Service Authorization Reference ("s3:*" → every s3 action).
 *
 * @param grants one per Allow statement, in order
 */
public record GrantSummary(List<Grant> grants) {

    /**
     * One Allow statement.
     *
     * @param actions the Action (or NotAction) entries as written
     * @param notAction the statement uses NotAction: every action but those
     * @param resources the Resource (or NotResource) entries as written; empty when the statement has neither
     * @param notResource the statement uses NotResource
     * @param conditional the statement has a Condition
     * @param count how many actions it grants
     * @param levels those actions by access level
     * @param scopable how many of them have a resource type (could be granted on specific ARNs instead of "*")
     * @param unknown entries that name no action the data knows
     */
    public record Grant(
            List<String> actions,
            boolean notAction,
            List<String> resources,
            boolean notResource,
            boolean conditional,
            int count,
            Map<AccessLevel, Integer> levels,
            int scopable,
            List<String> unknown) {

        /** On every resource: Resource "*" or a NotResource. */
        public boolean allResources() {
            return notResource || resources.contains("*");
        }

        /** The most sensitive level granted; null when nothing known is granted. */
        public AccessLevel highest() {
            AccessLevel h = null;
            for (AccessLevel l : levels.keySet()) {
                h = l;
            }
            return h;
        }

        /** e.g. {@code s3:*, s3-object-lambda:* on "*": 186 actions, incl. Permissions management}. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            if (notAction) {
                sb.append("every action but ");
            }
            sb.append(String.join(", ", actions));
            sb.append(" on ");
            if (notResource) {
                sb.append("every resource but ");
            }
            sb.append(resources.isEmpty() ? "the resource" : quoteAll(resources));
            sb.append(": ").append(count).append(count == 1 ? " action" : " actions");
            AccessLevel h = highest();
            if (h != null && count > 1) {
                if (h == AccessLevel.PERMISSIONS_MANAGEMENT || h == AccessLevel.WRITE) {
                    sb.append(", incl. ").append(h.label());
                } else {
                    sb.append(" (").append(h.label()).append(" at most)");
                }
            } else if (h != null) {
                sb.append(" (").append(h.label()).append(')');
            }
            if (conditional) {
                sb.append(", with conditions");
            }
            if (!unknown.isEmpty()) {
                sb.append("; not in the Service Authorization Reference: ").append(String.join(", ", unknown));
            }
            return sb.toString();
        }

        private static String quoteAll(List<String> values) {
            List<String> q = new ArrayList<>(values.size());
            values.forEach(v -> q.add(v.equals("*") ? "\"*\"" : v));
            return String.join(", ", q);
        }
    }

    public GrantSummary {
        grants = List.copyOf(grants);
    }

    /** Summarises the Allow statements of a policy with the bundled vocabulary. */
    public static GrantSummary of(Policy policy) {
        return of(policy, IamVocabulary.get());
    }

    public static GrantSummary of(Policy policy, IamVocabulary vocabulary) {
        List<Grant> out = new ArrayList<>();
        for (Statement s : policy.statements()) {
            if (s.effect() != Effect.ALLOW) {
                continue;
            }
            boolean notAction = s.actions() == null;
            List<String> written = notAction ? s.notActions() : s.actions();
            Set<IamAction> named = new LinkedHashSet<>();
            List<String> unknown = new ArrayList<>();
            for (String a : written) {
                List<IamAction> expanded = vocabulary.expand(a);
                if (expanded.isEmpty()) {
                    unknown.add(a);
                }
                named.addAll(expanded);
            }
            Set<IamAction> granted = named;
            if (notAction) {
                granted = new LinkedHashSet<>(vocabulary.allActions());
                granted.removeAll(named);
                unknown = List.of();
            }
            Map<AccessLevel, Integer> levels = new EnumMap<>(AccessLevel.class);
            int scopable = 0;
            for (IamAction a : granted) {
                levels.merge(a.accessLevel(), 1, Integer::sum);
                if (!a.wildcardOnly()) {
                    scopable++;
                }
            }
            boolean notResource = s.notResources() != null;
            List<String> resources = notResource ? s.notResources() : s.resources() == null ? List.of() : s.resources();
            out.add(new Grant(
                    written,
                    notAction,
                    resources,
                    notResource,
                    !s.conditions().isEmpty(),
                    granted.size(),
                    levels,
                    scopable,
                    unknown));
        }
        return new GrantSummary(out);
    }

    /** Every grant's text, joined by "; ". */
    public String text() {
        List<String> parts = new ArrayList<>(grants.size());
        grants.forEach(g -> parts.add(g.text()));
        return parts.isEmpty() ? "no Allow statement" : String.join("; ", parts);
    }

    /** Actions granted on every resource that have a resource type: what scoping to ARNs would narrow. */
    public int scopableOnAllResources() {
        int n = 0;
        for (Grant g : grants) {
            if (g.allResources()) {
                n += g.scopable();
            }
        }
        return n;
    }
}
