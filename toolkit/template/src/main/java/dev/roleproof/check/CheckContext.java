package dev.roleproof.check;

import dev.roleproof.engine.Evaluator;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a check may read: the main template, account B's template (null without --target), the needs as the engine
 * decided them, and the evaluator (for checks that ask the engine a question of their own).
 */
public record CheckContext(SamTemplate template, SamTemplate target, List<EvaluatedNeed> needs, Evaluator evaluator) {

    public CheckContext {
        needs = List.copyOf(needs);
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
        for (SamTemplate t : templates()) {
            for (RoleSpec r : t.roles()) {
                for (AttachedPolicy p : r.policies()) {
                    if (p.policy() != null && policyName.equals(p.policy().name())) {
                        return Optional.of(new Owned(t, r, p));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A role's attached policy with the template it is in. */
    public record Owned(SamTemplate template, RoleSpec role, AttachedPolicy policy) {}
}
