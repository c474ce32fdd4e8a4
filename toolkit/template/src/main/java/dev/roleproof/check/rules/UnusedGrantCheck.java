package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Least privilege: an Allow statement (or one action of it) that no need uses. Whether a need uses an action is the
 * engine's answer for a one-action copy of the statement, not a match of our own.
 */
public final class UnusedGrantCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "unused-grant",
            Severity.WARNING,
            "A role grants a statement or action that no need of its functions (mappings, sources, logs, declared calls)"
                    + " uses.",
            "Remove {0} from statement {1}, or declare the call that needs it in Metadata.RoleProof.Calls.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (Rules.AuthoredStatement as : Rules.authoredStatements(Rules.rolesWithNeeds(c))) {
            AttachedPolicy p = as.policy();
            Statement s = as.statement();
            Rules.TemplateRole tr = as.owner();
            Policy policy = p.policy();
            if (s.effect() != Effect.ALLOW || s.actions() == null) {
                continue;
            }
            List<EvaluatedNeed> users = Rules.allowedBy(c, policy.name(), s.index());
            String where = Rules.where(policy, s);
            if (users.isEmpty()) {
                out.add(INFO.finding(
                        tr.role().logicalId(),
                        where + " grants " + s.actions() + " on "
                                + (s.resources() != null ? s.resources() : "NotResource " + s.notResources())
                                + ", which no need of "
                                + tr.role().logicalId() + " uses.",
                        "remove statement " + where + ", or declare the call that needs it in"
                                + " Metadata.RoleProof.Calls",
                        p.statementLine(s.index()),
                        tr.template().file()));
                continue;
            }
            if (s.actions().size() < 2) {
                continue;
            }
            for (String action : s.actions()) {
                if (!usedByAny(c, policy, s, action, users)) {
                    out.add(INFO.finding(
                            tr.role().logicalId(),
                            where + " grants " + action + ", which no need of "
                                    + tr.role().logicalId() + " uses.",
                            "remove \"" + action + "\" from statement " + where,
                            p.statementLine(s.index()),
                            tr.template().file()));
                }
            }
        }
        return out;
    }

    /** The identity side allowed even though another side denied (a need that fails elsewhere still uses it). */
    private static boolean identityAllows(dev.roleproof.engine.Decision d) {
        if (d.explanation() == null) {
            return false;
        }
        return d.explanation().analyses().stream()
                .anyMatch(a -> a.type() == dev.roleproof.engine.PolicyType.IDENTITY
                        && a.outcome() == dev.roleproof.engine.Outcome.ALLOWED);
    }

    /** Does a copy of the statement with only {@code action} still allow one of the needs it allowed? */
    private static boolean usedByAny(
            CheckContext c, Policy policy, Statement s, String action, List<EvaluatedNeed> users) {
        Statement one = new Statement(
                0,
                s.sid(),
                s.effect(),
                List.of(action),
                null,
                s.resources(),
                s.notResources(),
                null,
                null,
                s.conditions(),
                policy.variablesEnabled());
        Policy single = new Policy(policy.name(), policy.version(), List.of(one));
        for (EvaluatedNeed e : users) {
            AuthorizationInput in = e.need().input();
            AuthorizationInput only = new AuthorizationInput(
                    in.request(), List.of(single), in.resourcePolicy(), null, null, List.of(), List.of());
            dev.roleproof.engine.Decision d = c.evaluator().evaluate(only, true);
            if (d.allowed() || identityAllows(d)) {
                return true;
            }
        }
        return false;
    }
}
