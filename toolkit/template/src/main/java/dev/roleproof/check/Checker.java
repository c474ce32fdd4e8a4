package dev.roleproof.check;

import dev.roleproof.check.rules.AllowEverythingExceptCheck;
import dev.roleproof.check.rules.BatchItemFailuresCheck;
import dev.roleproof.check.rules.BroadManagedPolicyCheck;
import dev.roleproof.check.rules.FailureHandlingCheck;
import dev.roleproof.check.rules.NonexistentActionCheck;
import dev.roleproof.check.rules.ResourceTypeMismatchCheck;
import dev.roleproof.check.rules.ServicePermissionGuardCheck;
import dev.roleproof.check.rules.SharedRoleCheck;
import dev.roleproof.check.rules.TrustAccountRootCheck;
import dev.roleproof.check.rules.UnusedGrantCheck;
import dev.roleproof.check.rules.UnwiredPushSourceCheck;
import dev.roleproof.check.rules.VisibilityTimeoutCheck;
import dev.roleproof.check.rules.WildcardResourceCheck;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Explanation;
import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.StatementExplain;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code roleproof check}'s judgement: derives the needs ({@link Needs}), lets the engine decide each one, turns
 * failures into findings with the deciding statement and a fix, then runs every lint. The one door:
 * {@link #check(SamTemplate, SamTemplate)}.
 */
public final class Checker {

    /** Every lint, in report order. One class per rule (package rules), each with its metadata. */
    public static List<Check> lints() {
        return List.of(
                new AllowEverythingExceptCheck(),
                new UnusedGrantCheck(),
                new WildcardResourceCheck(),
                new BroadManagedPolicyCheck(),
                new SharedRoleCheck(),
                new ServicePermissionGuardCheck(),
                new TrustAccountRootCheck(),
                new BatchItemFailuresCheck(),
                new VisibilityTimeoutCheck(),
                new FailureHandlingCheck(),
                new NonexistentActionCheck(),
                new ResourceTypeMismatchCheck(),
                new UnwiredPushSourceCheck());
    }

    /** Something RoleProof could not judge (a function whose needs could not be derived, a rule that failed). */
    public static final CheckInfo NOT_JUDGED = new CheckInfo(
            "not-judged",
            Severity.NOTE,
            "Part of the template could not be judged offline; the message says which and why.",
            "Make {0} resolvable offline (a literal or a parameter instead of an import), or report the template.");

    /** Metadata of every rule a finding can carry: the need kinds, then the lints. */
    public static List<CheckInfo> rules() {
        List<CheckInfo> rules = new ArrayList<>();
        rules.add(NOT_JUDGED);
        for (NeedKind k : NeedKind.values()) {
            rules.add(k.info());
        }
        lints().forEach(c -> rules.add(c.info()));
        return rules;
    }

    private final Evaluator evaluator;

    public Checker(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    public static Checker create() {
        return new Checker(Evaluator.create());
    }

    /** Judges {@code template}; {@code target} is account B's template (null without --target). */
    public Report check(SamTemplate template, SamTemplate target) {
        Needs.Derived derived = Needs.derive(template, target);
        List<Need> needs = derived.needs();
        CheckContext base = new CheckContext(template, target, List.of(), evaluator);
        List<EvaluatedNeed> evaluated = new ArrayList<>(needs.size());
        List<Finding> findings = new ArrayList<>(derived.problems());
        for (Need need : needs) {
            EvaluatedNeed e = judge(need, base);
            evaluated.add(e);
            finding(e, base).ifPresent(findings::add);
        }
        CheckContext context = new CheckContext(template, target, evaluated, evaluator);
        for (Check lint : lints()) {
            try {
                findings.addAll(lint.run(context));
            } catch (RuntimeException e) {
                // A lint tripping over an unusual template must not hide the other findings.
                findings.add(new Finding(
                        NOT_JUDGED.id(),
                        Severity.NOTE,
                        template.file().getFileName().toString(),
                        "rule " + lint.info().id() + " could not run on this template: " + e,
                        "",
                        0,
                        template.file()));
            }
        }
        return new Report(
                template.file(),
                target == null ? null : target.file(),
                patterns(template, target, evaluated),
                findings,
                rules());
    }

    private static List<PatternResult> patterns(
            SamTemplate template, SamTemplate target, List<EvaluatedNeed> evaluated) {
        Map<String, List<EvaluatedNeed>> byFunction = new LinkedHashMap<>();
        for (FunctionSpec f : template.functions()) {
            byFunction.put(f.logicalId(), new ArrayList<>());
        }
        evaluated.forEach(e -> byFunction
                .computeIfAbsent(e.need().function(), k -> new ArrayList<>())
                .add(e));
        List<PatternResult> out = new ArrayList<>();
        for (FunctionSpec f : template.functions()) {
            List<EvaluatedNeed> checks = byFunction.get(f.logicalId());
            Verdict v = Verdict.PASS;
            for (EvaluatedNeed e : checks) {
                v = v.worst(e.verdict());
            }
            java.util.Set<String> ids = new java.util.LinkedHashSet<>();
            ids.add(f.logicalId());
            if (f.roleLogicalId() != null) {
                ids.add(f.roleLogicalId());
            }
            for (EvaluatedNeed e : checks) {
                ids.add(e.need().identityBlame().resource());
                ids.add(e.need().otherBlame().resource());
                template.resourceByArn(e.resource()).ifPresent(r -> ids.add(r.logicalId()));
                if (target != null) {
                    // Account B's side of a cross-account pattern: the assumed role and what it reads.
                    target.resourceByArn(e.resource()).ifPresent(r -> ids.add(r.logicalId()));
                    target.roleByArn(e.resource()).ifPresent(r -> ids.add(r.logicalId()));
                    String session = e.principal();
                    target.roles().stream()
                            .filter(r ->
                                    r.roleName() != null && session.contains(":assumed-role/" + r.roleName() + "/"))
                            .forEach(r -> ids.add(r.logicalId()));
                }
            }
            template.mappingsOf(f.logicalId()).forEach(m -> {
                ids.add(m.logicalId());
                template.resourceByArn(m.eventSourceArn()).ifPresent(r -> ids.add(r.logicalId()));
            });
            template.permissionsOf(f.logicalId()).forEach(p -> ids.add(p.logicalId()));
            Needs.pushSources(template, f).forEach(s -> ids.add(s.sourceLogicalId()));
            out.add(new PatternResult(f.logicalId(), Needs.pattern(template, target, f), v, checks, List.copyOf(ids)));
        }
        return out;
    }

    private EvaluatedNeed judge(Need need, CheckContext context) {
        Decision d = evaluator.evaluate(need.input(), true);
        if (d.allowed()) {
            return new EvaluatedNeed(need, d, Verdict.PASS, deciding(d, true), "");
        }
        Verdict v;
        if (d.outcome() == Outcome.IMPLICITLY_DENIED && !need.unknownPolicies().isEmpty()) {
            v = Verdict.UNKNOWN;
        } else {
            v = need.severity() == Severity.ERROR ? Verdict.FAIL : Verdict.WARN;
        }
        return new EvaluatedNeed(need, d, v, deciding(d, false), fixFor(need, d));
    }

    /** "Policy#Sid" of the statement that decided, or which policy type left the request denied. */
    static String deciding(Decision d, boolean allowed) {
        Explanation x = d.explanation();
        if (x == null) {
            return allowed ? "allowed" : String.valueOf(d.message());
        }
        if (allowed) {
            // Identity first, then the resource side; both when both took part (cross-account, trust).
            List<String> parts = new ArrayList<>();
            for (PolicyType type : List.of(PolicyType.IDENTITY, PolicyType.RESOURCE)) {
                for (PolicyTypeAnalysis a : x.analyses()) {
                    if (a.type() == type && !a.allows().isEmpty()) {
                        parts.add(label(a.allows().get(0)));
                    }
                }
            }
            return parts.isEmpty() ? "allowed" : String.join(" + ", parts);
        }
        for (PolicyTypeAnalysis a : x.analyses()) {
            if (!a.denies().isEmpty() && a.outcome() == Outcome.EXPLICITLY_DENIED) {
                return "denied by " + label(a.denies().get(0));
            }
        }
        PolicyType by = d.deniedBy() != null ? d.deniedBy() : x.deniedBy();
        String why = by == null ? "no statement allows it" : "no statement of " + by.withArticle() + " allows it";
        String conditions = failedConditions(x, by);
        // WILDCARD_ONLY_ACTION, RESOURCE_TYPE_MISMATCH, UNKNOWN_ACTION: the Service Authorization Reference decided.
        String action = x.actionNote() != null ? "; " + x.actionNote() : "";
        return why + (x.deniedReason() != null ? "; " + x.deniedReason() : "") + action + conditions;
    }

    /**
     * For statements that named the caller and the action but whose conditions failed: which condition, what the
     * policy expects and what the request had (e.g. a wrong sts:ExternalId). Empty when there are none.
     */
    static String failedConditions(Explanation x, PolicyType by) {
        StringBuilder sb = new StringBuilder();
        for (PolicyTypeAnalysis a : x.analyses()) {
            if (by != null && a.type() != by) {
                continue;
            }
            for (StatementExplain s : a.unmatched()) {
                if (!s.actionMatched()
                        || !s.resourceMatched()
                        || Boolean.FALSE.equals(s.principalMatched())
                        || s.conditionsMatched()) {
                    continue;
                }
                for (var c : s.conditions()) {
                    if (!c.result()) {
                        sb.append("; ")
                                .append(label(s))
                                .append(" requires ")
                                .append(c.operator())
                                .append(' ')
                                .append(c.key())
                                .append(' ')
                                .append(c.policyValues())
                                .append(", the request has ")
                                .append(c.requestValues() == null ? "no " + c.key() : c.requestValues());
                    }
                }
            }
        }
        return sb.toString();
    }

    static String label(StatementExplain s) {
        String name = s.policyName() == null ? "policy " + s.policyIndex() : s.policyName();
        return name + "#" + (s.sid() != null && !s.sid().isEmpty() ? s.sid() : String.valueOf(s.statementIndex()));
    }

    private static String fixFor(Need need, Decision d) {
        StatementExplain deny = explicitDeny(d);
        if (deny != null) {
            return "remove or narrow the Deny statement " + label(deny) + " for "
                    + need.input().request().action() + " on "
                    + need.input().request().resource();
        }
        String conditions = d.explanation() == null ? "" : failedConditions(d.explanation(), d.deniedBy());
        if (!conditions.isEmpty()) {
            // A statement would apply but for its conditions: the fix is to make request and condition agree.
            return "make the request meet the condition or change the condition" + conditions
                    + (identitySide(d.deniedBy()) ? "" : "; or " + need.otherFix());
        }
        return identitySide(d.deniedBy()) ? need.identityFix() : need.otherFix();
    }

    private static boolean identitySide(PolicyType t) {
        return t == null || t == PolicyType.IDENTITY || t == PolicyType.PERMISSIONS_BOUNDARY || t == PolicyType.SESSION;
    }

    private static StatementExplain explicitDeny(Decision d) {
        if (d.outcome() != Outcome.EXPLICITLY_DENIED || d.explanation() == null) {
            return null;
        }
        for (PolicyTypeAnalysis a : d.explanation().analyses()) {
            if (!a.denies().isEmpty()) {
                return a.denies().get(0);
            }
        }
        return null;
    }

    private static Optional<Finding> finding(EvaluatedNeed e, CheckContext context) {
        if (e.verdict() == Verdict.PASS) {
            return Optional.empty();
        }
        Need need = e.need();
        Decision d = e.decision();
        Blame blame = identitySide(d.deniedBy()) ? need.identityBlame() : need.otherBlame();
        int line = blame.line();
        StatementExplain deny = explicitDeny(d);
        if (deny != null && deny.policyName() != null) {
            Optional<CheckContext.Owned> owned = context.policyNamed(deny.policyName());
            // A Deny in the function's own role (account A): point at the statement itself.
            if (owned.isPresent() && owned.get().template() == context.template()) {
                blame = new Blame(
                        owned.get().role().logicalId(),
                        owned.get().policy().statementLine(deny.statementIndex()),
                        context.template().file());
                line = blame.line();
            }
        }
        Severity severity = e.verdict() == Verdict.UNKNOWN ? Severity.NOTE : need.severity();
        String message = need.function() + ": " + need.description() + ": " + e.principal() + " cannot " + e.action()
                + " on " + e.resource() + " (" + e.decidedBy() + ")";
        if (e.verdict() == Verdict.UNKNOWN) {
            message = need.function() + ": " + need.description() + ": not judged, the engine lacks "
                    + String.join(", ", need.unknownPolicies()) + " (" + e.decidedBy() + ")";
        }
        return Optional.of(
                new Finding(need.kind().id(), severity, blame.resource(), message, e.fix(), line, blame.file()));
    }
}
