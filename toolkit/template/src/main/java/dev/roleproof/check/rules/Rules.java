package dev.roleproof.check.rules;

import dev.roleproof.check.CheckContext;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.DeclaredCall;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Helpers the rules share: which roles run code, which needs a statement allowed. */
final class Rules {

    private Rules() {}

    /** A role with the template it is declared in. */
    record TemplateRole(SamTemplate template, RoleSpec role) {}

    /** Roles whose needs are known: used by a function of the main template, or assumed by one (As:). */
    static List<TemplateRole> rolesWithNeeds(CheckContext c) {
        Set<String> assumed = new HashSet<>();
        for (FunctionSpec f : c.template().functions()) {
            for (DeclaredCall call : f.calls()) {
                if (call.as() != null) {
                    assumed.add(call.as());
                }
            }
        }
        List<TemplateRole> out = new ArrayList<>();
        for (RoleSpec r : c.template().roles()) {
            if (!r.functions().isEmpty() || r.arn() != null && assumed.contains(r.arn())) {
                out.add(new TemplateRole(c.template(), r));
            }
        }
        if (c.target() != null) {
            for (RoleSpec r : c.target().roles()) {
                if (r.arn() != null && assumed.contains(r.arn())) {
                    out.add(new TemplateRole(c.target(), r));
                }
            }
        }
        return out;
    }

    static List<TemplateRole> allRoles(CheckContext c) {
        List<TemplateRole> out = new ArrayList<>();
        for (SamTemplate t : c.templates()) {
            for (RoleSpec r : t.roles()) {
                out.add(new TemplateRole(t, r));
            }
        }
        return out;
    }

    /** Policies written in the template (inline, SAM policy templates, customer managed), with a document. */
    static boolean authored(AttachedPolicy p) {
        return p.policy() != null && p.kind() != AttachedPolicy.Kind.MANAGED;
    }

    /** A statement the template's author wrote (inline or a SAM policy template), with where it sits. */
    record AuthoredStatement(TemplateRole owner, AttachedPolicy policy, Statement statement) {}

    /** Every statement of the authored policies of these roles, in template order. */
    static List<AuthoredStatement> authoredStatements(List<TemplateRole> roles) {
        List<AuthoredStatement> out = new ArrayList<>();
        for (TemplateRole tr : roles) {
            for (AttachedPolicy p : tr.role().policies()) {
                if (authored(p)) {
                    for (Statement s : p.policy().statements()) {
                        out.add(new AuthoredStatement(tr, p, s));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The needs an Allow statement of {@code policyName} at {@code index} matched (also those another side then
     * denied: the statement is still what the need uses).
     */
    static List<EvaluatedNeed> allowedBy(CheckContext c, String policyName, int index) {
        return c.allowedBy(policyName, index);
    }

    /** The needs whose identity side an Allow of {@code policyName} matched (any statement). */
    static List<EvaluatedNeed> allowedByPolicy(CheckContext c, String policyName) {
        return c.allowedByPolicy(policyName);
    }

    /** "Policy#Sid", or "Policy#index" for a statement without Sid. */
    static String where(dev.roleproof.engine.policy.Policy policy, dev.roleproof.engine.policy.Statement s) {
        return policy.name() + "#" + (s.sid() != null && !s.sid().isEmpty() ? s.sid() : String.valueOf(s.index()));
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
