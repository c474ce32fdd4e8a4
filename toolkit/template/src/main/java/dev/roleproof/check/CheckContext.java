package dev.roleproof.check;

import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.StatementExplain;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.DerivedIndex;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a check may read: the main template, account B's template (null without --target), the needs as the engine
 * decided them, and the evaluator (for checks that ask the engine a question of their own). {@code index} is derived
 * (which needs each statement allowed, which role holds each policy), so that rules stay linear in the template's
 * size; it never takes part in equality.
 */
public record CheckContext(
        SamTemplate template, SamTemplate target, List<EvaluatedNeed> needs, Evaluator evaluator, Index index) {

    public CheckContext {
        needs = List.copyOf(needs);
        index = new Index(template, target, needs);
    }

    public CheckContext(SamTemplate template, SamTemplate target, List<EvaluatedNeed> needs, Evaluator evaluator) {
        this(template, target, needs, evaluator, null);
    }

    /** The loaded templates: the main one, then B's. */
    public List<SamTemplate> templates() {
        List<SamTemplate> all = new ArrayList<>();
        all.add(template);
        if (target != null) {
            all.add(target);
        }
        return all;
    }

    /** The template file a role belongs to. */
    public Path fileOf(RoleSpec role) {
        if (target != null && target.roles().contains(role)) {
            return target.file();
        }
        return template.file();
    }

    /** The role and attached policy whose engine name is {@code policyName} ("Role/name"), in either template. */
    public Optional<Owned> policyNamed(String policyName) {
        return Optional.ofNullable(index.owners.get(policyName));
    }

    /**
     * The needs an Allow statement of {@code policyName} at {@code statementIndex} matched, in need order (also those
     * another side then denied: the statement is still what the need uses).
     */
    public List<EvaluatedNeed> allowedBy(String policyName, int statementIndex) {
        return index.byStatement.getOrDefault(policyName + "#" + statementIndex, List.of());
    }

    /** The needs an Allow of {@code policyName} matched (any statement), in need order. */
    public List<EvaluatedNeed> allowedByPolicy(String policyName) {
        return index.byPolicy.getOrDefault(policyName, List.of());
    }

    /** A role's attached policy with the template it is in. */
    public record Owned(SamTemplate template, RoleSpec role, AttachedPolicy policy) {}

    /** Lookups derived from the templates and needs; every index equals every other. */
    public static final class Index extends DerivedIndex {
        private final Map<String, Owned> owners = new HashMap<>();
        private final Map<String, List<EvaluatedNeed>> byStatement = new HashMap<>();
        private final Map<String, List<EvaluatedNeed>> byPolicy = new HashMap<>();

        private Index(SamTemplate template, SamTemplate target, List<EvaluatedNeed> needs) {
            for (SamTemplate t : target == null ? List.of(template) : List.of(template, target)) {
                for (RoleSpec r : t.roles()) {
                    for (AttachedPolicy p : r.policies()) {
                        if (p.policy() != null && p.policy().name() != null) {
                            owners.putIfAbsent(p.policy().name(), new Owned(t, r, p));
                        }
                    }
                }
            }
            for (EvaluatedNeed e : needs) {
                if (e.decision().explanation() == null) {
                    continue;
                }
                Set<String> statements = new LinkedHashSet<>();
                Set<String> policies = new LinkedHashSet<>();
                for (PolicyTypeAnalysis a : e.decision().explanation().analyses()) {
                    for (StatementExplain s : a.allows()) {
                        if (s.policyName() != null) {
                            statements.add(s.policyName() + "#" + s.statementIndex());
                            policies.add(s.policyName());
                        }
                    }
                }
                statements.forEach(k ->
                        byStatement.computeIfAbsent(k, x -> new ArrayList<>()).add(e));
                policies.forEach(
                        k -> byPolicy.computeIfAbsent(k, x -> new ArrayList<>()).add(e));
            }
        }
    }
}
