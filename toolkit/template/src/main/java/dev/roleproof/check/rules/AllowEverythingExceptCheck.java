package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.RoleSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An Allow statement that names what it does <em>not</em> grant: {@code NotAction} (every action of every service
 * but those listed, including services and actions added later), or {@code NotResource} with wildcard actions (those
 * actions on every resource but those listed). The IAM guide ("IAM JSON policy elements: NotAction") warns that Allow
 * with NotAction grants everything not listed; it is meant for Deny. RoleProof's engine evaluates such statements as
 * AWS does, so every need passes and nothing else would point at them.
 *
 * <p>The fix is concrete only when the engine proves it: the actions and resources of the needs the statement
 * serves, as an Action/Resource statement that still allows each of them. Without such needs, removing the statement
 * is proposed for a role whose needs are known; otherwise only the direction is given.
 */
public final class AllowEverythingExceptCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "allow-everything-except",
            Severity.ERROR,
            "An Allow statement uses NotAction (or NotResource with wildcard actions): it grants everything except"
                    + " what it lists, including services and resources added later.",
            "Replace {0} with a statement that lists the actions and resources the functions need: {1}.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        Set<RoleSpec> withNeeds = Collections.newSetFromMap(new IdentityHashMap<>());
        Rules.rolesWithNeeds(c).forEach(tr -> withNeeds.add(tr.role()));
        for (Rules.AuthoredStatement as : Rules.authoredStatements(Rules.allRoles(c))) {
            Statement s = as.statement();
            if (s.effect() != Effect.ALLOW) {
                continue;
            }
            boolean notAction = s.notActions() != null;
            boolean broadNotResource = s.notResources() != null
                    && s.actions() != null
                    && s.actions().stream().anyMatch(a -> a.contains("*"));
            if (!notAction && !broadNotResource) {
                continue;
            }
            AttachedPolicy p = as.policy();
            Policy policy = p.policy();
            String where = Rules.where(policy, s);
            String actions = notAction ? "every action except " + s.notActions() : "actions " + s.actions();
            String resources =
                    s.resources() != null ? "on " + s.resources() : "on every resource except " + s.notResources();
            String message = where + " allows " + actions + " " + resources + ": Allow with "
                    + (notAction
                            ? "NotAction grants every other service's actions"
                            : "NotResource grants them on" + " every other resource")
                    + ", including ones added later (NotAction and"
                    + " NotResource are meant for Deny).";
            List<EvaluatedNeed> matched = Rules.allowedBy(c, policy.name(), s.index());
            // The needs that rely on it: those the role's other statements do not allow anyway.
            List<EvaluatedNeed> users = matched.stream()
                    .filter(e -> !allowedWithout(c, e, policy, s))
                    .toList();
            String fix;
            if (users.isEmpty() && !matched.isEmpty()) {
                fix = "remove statement " + where + ": the role's other statements allow every need it matches";
            } else if (!users.isEmpty()) {
                Statement replacement = replacement(s, users, policy);
                fix = allowsEvery(c, policy, replacement, users)
                        ? "replace statement " + where + " with " + replacement.toJson()
                                + " (what its functions need; the engine allows each need with it)"
                        : "replace statement " + where + " with Action and Resource lists of what the functions"
                                + " need";
            } else if (withNeeds.contains(as.owner().role())) {
                fix = "remove statement " + where + " (no need of "
                        + as.owner().role().logicalId()
                        + " uses it), or declare the calls that need it in Metadata.RoleProof.Calls";
            } else {
                fix = "replace statement " + where + " with Action and Resource lists of what the role needs";
            }
            out.add(INFO.finding(
                    as.owner().role().logicalId(),
                    message,
                    fix,
                    p.statementLine(s.index()),
                    as.owner().template().file()));
        }
        return out;
    }

    /** An Action/Resource statement granting exactly the needs' actions on their resources (same conditions). */
    private static Statement replacement(Statement s, List<EvaluatedNeed> users, Policy policy) {
        Set<String> actions = new LinkedHashSet<>();
        Set<String> resources = new LinkedHashSet<>();
        for (EvaluatedNeed e : users) {
            actions.add(e.action());
            resources.add(e.resource());
        }
        return new Statement(
                0,
                s.sid(),
                Effect.ALLOW,
                List.copyOf(actions),
                null,
                List.copyOf(resources),
                null,
                null,
                null,
                s.conditions(),
                policy.variablesEnabled());
    }

    /** Is the need still allowed on the identity side with the statement taken out of its policy? */
    private static boolean allowedWithout(CheckContext c, EvaluatedNeed e, Policy policy, Statement s) {
        AuthorizationInput in = e.need().input();
        List<Policy> identity = new ArrayList<>();
        for (Policy p : in.identityPolicies()) {
            if (p.name() != null && p.name().equals(policy.name())) {
                List<Statement> rest = p.statements().stream()
                        .filter(x -> x.index() != s.index())
                        .toList();
                if (!rest.isEmpty()) {
                    identity.add(new Policy(p.name(), p.version(), p.id(), rest));
                }
            } else {
                identity.add(p);
            }
        }
        return identityAllows(c.evaluator()
                .evaluate(
                        new AuthorizationInput(
                                in.request(),
                                identity,
                                in.resourcePolicy(),
                                in.permissionsBoundary(),
                                in.sessionPolicy(),
                                in.scps(),
                                in.rcps()),
                        true));
    }

    private static boolean identityAllows(Decision d) {
        return d.allowed()
                || d.explanation() != null
                        && d.explanation().analyses().stream()
                                .anyMatch(a -> a.type() == PolicyType.IDENTITY && a.outcome() == Outcome.ALLOWED);
    }

    /** Does the replacement alone (with each need's resource policy) still allow every need on the identity side? */
    private static boolean allowsEvery(
            CheckContext c, Policy policy, Statement replacement, List<EvaluatedNeed> users) {
        Policy single = new Policy(policy.name(), policy.version(), List.of(replacement));
        for (EvaluatedNeed e : users) {
            AuthorizationInput in = e.need().input();
            AuthorizationInput only = new AuthorizationInput(
                    in.request(), List.of(single), in.resourcePolicy(), null, null, List.of(), List.of());
            if (!identityAllows(c.evaluator().evaluate(only, true))) {
                return false;
            }
        }
        return true;
    }
}
