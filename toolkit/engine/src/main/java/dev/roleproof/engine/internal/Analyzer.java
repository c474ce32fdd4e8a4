package dev.roleproof.engine.internal;

import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.explain.ConditionExplain;
import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.Reason;
import dev.roleproof.engine.explain.StatementExplain;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the statements of one policy type against a request: which Allow and Deny statements apply. Without
 * explain it stops at the first failing element of a statement and allocates nothing.
 */
public final class Analyzer {
    private final String lowerAction;
    private final String resource;
    private final Caller caller;
    private final ContextLookup ctx;
    private final boolean explain;
    private final boolean hasBoundary;
    private final ActionFacts facts;

    /**
     * hasBoundary: the caller has a permissions boundary (changes NotPrincipal, see PrincipalMatcher); facts: the
     * action's resource types (Resource/NotResource are matched against {@code facts.matchResource}).
     */
    public Analyzer(
            String lowerAction,
            ActionFacts facts,
            Caller caller,
            ContextLookup ctx,
            boolean explain,
            boolean hasBoundary) {
        this.hasBoundary = hasBoundary;
        this.lowerAction = lowerAction;
        this.facts = facts;
        this.resource = facts.matchResource;
        this.caller = caller;
        this.ctx = ctx;
        this.explain = explain;
    }

    /** The outcome of one policy type. */
    public static final class TypeResult {
        public final PolicyType type;
        public boolean allow;
        public boolean deny;
        /** Strongest principal match among matched Allow statements (resource-based policies and RCPs). */
        public PrincipalMatcher.Match allowMatch = PrincipalMatcher.Match.NONE;
        /** SCP/RCP: every level has a matching Allow. */
        public boolean allLevelsAllow = true;

        final List<StatementExplain> allows;
        final List<StatementExplain> denies;
        final List<StatementExplain> unmatched;

        TypeResult(PolicyType type, boolean explain) {
            this.type = type;
            this.allows = explain ? new ArrayList<>() : null;
            this.denies = explain ? new ArrayList<>() : null;
            this.unmatched = explain ? new ArrayList<>() : null;
        }

        public PolicyTypeAnalysis toAnalysis(Outcome outcome, boolean applies, Reason note) {
            return new PolicyTypeAnalysis(
                    type,
                    outcome,
                    applies,
                    allows == null ? List.of() : List.copyOf(allows),
                    denies == null ? List.of() : List.copyOf(denies),
                    unmatched == null ? List.of() : List.copyOf(unmatched),
                    note);
        }

        /** What this type says on its own. */
        public Outcome ownOutcome(boolean levels) {
            if (deny) {
                return Outcome.EXPLICITLY_DENIED;
            }
            return (levels ? allLevelsAllow && allow : allow) ? Outcome.ALLOWED : Outcome.IMPLICITLY_DENIED;
        }
    }

    /** Analyzes a flat list of policies. withPrincipal: evaluate Principal/NotPrincipal (resource policies, RCPs). */
    public TypeResult analyze(PolicyType type, List<Policy> policies, boolean withPrincipal) {
        TypeResult r = new TypeResult(type, explain);
        for (int i = 0; i < policies.size(); i++) {
            analyzePolicy(r, policies.get(i), i, withPrincipal);
        }
        return r;
    }

    /** Analyzes SCP/RCP levels: each level needs an Allow; a Deny anywhere denies. */
    public TypeResult analyzeLevels(PolicyType type, List<List<Policy>> levels, boolean withPrincipal) {
        TypeResult r = new TypeResult(type, explain);
        int index = 0;
        for (List<Policy> level : levels) {
            boolean before = r.allow;
            r.allow = false;
            for (Policy p : level) {
                analyzePolicy(r, p, index++, withPrincipal);
            }
            if (!r.allow) {
                r.allLevelsAllow = false;
            }
            r.allow |= before;
        }
        return r;
    }

    private void analyzePolicy(TypeResult r, Policy p, int policyIndex, boolean withPrincipal) {
        List<Statement> statements = p.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (explain) {
                explainStatement(r, p, policyIndex, s, withPrincipal);
                continue;
            }
            PrincipalMatcher.Match m = quickMatch(s, withPrincipal);
            if (m == PrincipalMatcher.Match.NONE) {
                continue;
            }
            record(r, s.effect(), m);
        }
    }

    private static void record(TypeResult r, Effect effect, PrincipalMatcher.Match m) {
        if (effect == Effect.DENY) {
            r.deny = true;
        } else {
            r.allow = true;
            if (m.ordinal() > r.allowMatch.ordinal()) {
                r.allowMatch = m;
            }
        }
    }

    private boolean actionMatches(Statement s) {
        boolean any = s.compiled().anyActionMatches(lowerAction);
        return s.notActions() == null ? any : !any;
    }

    private boolean resourceMatches(Statement s) {
        if (s.resources() == null && s.notResources() == null) {
            return true; // trust policies have no Resource: they apply to the role itself
        }
        if (facts.typeMismatch && s.effect() == Effect.ALLOW) {
            return false; // the action does not act on resources of this type: nothing grants it
        }
        return patternMatches(s);
    }

    private boolean patternMatches(Statement s) {
        boolean any = s.compiled().anyResourceMatches(resource, ctx);
        return s.notResources() == null ? any : !any;
    }

    /** Why a statement's Resource did not match: the type rules when they decided, else a plain mismatch. */
    private Reason resourceReason(Statement s, boolean actionMatched) {
        if (facts.typeMismatch && s.effect() == Effect.ALLOW && patternMatches(s)) {
            return Reason.RESOURCE_TYPE_MISMATCH;
        }
        if (s.resources() != null && facts.wildcardOnly()) {
            return Reason.WILDCARD_ONLY_ACTION;
        }
        if (s.resources() != null && actionMatched && facts.known() && !facts.typeMismatch) {
            for (String r : s.resources()) {
                if (facts.action.grantableBy(r)) {
                    return Reason.RESOURCE_MISMATCH;
                }
            }
            return Reason.RESOURCE_TYPE_MISMATCH;
        }
        return Reason.RESOURCE_MISMATCH;
    }

    private PrincipalMatcher.Match principalMatch(Statement s) {
        if (s.principal() != null) {
            return PrincipalMatcher.match(s.principal(), caller);
        }
        if (s.notPrincipal() != null) {
            return PrincipalMatcher.excluded(s.notPrincipal(), caller, hasBoundary)
                    ? PrincipalMatcher.Match.NONE
                    : PrincipalMatcher.Match.DIRECT_NOT_PRINCIPAL;
        }
        return PrincipalMatcher.Match.NONE;
    }

    /** NONE when the statement does not apply; otherwise how the principal matched (DIRECT_WILDCARD if no principal). */
    private PrincipalMatcher.Match quickMatch(Statement s, boolean withPrincipal) {
        if (!actionMatches(s) || !resourceMatches(s)) {
            return PrincipalMatcher.Match.NONE;
        }
        PrincipalMatcher.Match m = PrincipalMatcher.Match.DIRECT_WILDCARD;
        if (withPrincipal) {
            m = principalMatch(s);
            if (m == PrincipalMatcher.Match.NONE) {
                return m;
            }
        }
        List<Condition> conditions = s.conditions();
        for (int i = 0; i < conditions.size(); i++) {
            if (!Conditions.evaluate(conditions.get(i), ctx)) {
                return PrincipalMatcher.Match.NONE;
            }
        }
        return m;
    }

    private void explainStatement(TypeResult r, Policy p, int policyIndex, Statement s, boolean withPrincipal) {
        List<Reason> reasons = new ArrayList<>();
        boolean action = actionMatches(s);
        if (!action) {
            reasons.add(Reason.ACTION_MISMATCH);
        }
        boolean res = resourceMatches(s);
        if (!res) {
            reasons.add(resourceReason(s, action));
        }
        Boolean principalMatched = null;
        PrincipalMatcher.Match m = PrincipalMatcher.Match.DIRECT_WILDCARD;
        if (withPrincipal) {
            m = principalMatch(s);
            principalMatched = m != PrincipalMatcher.Match.NONE;
            if (s.principal() == null && s.notPrincipal() == null) {
                reasons.add(Reason.NO_PRINCIPAL);
            } else if (m == PrincipalMatcher.Match.NONE) {
                reasons.add(accountMismatch(s) ? Reason.ACCOUNT_MISMATCH : Reason.PRINCIPAL_MISMATCH);
            }
        }
        List<ConditionExplain> conds = new ArrayList<>(s.conditions().size());
        boolean condOk = true;
        for (Condition c : s.conditions()) {
            ConditionExplain ce = Conditions.explain(c, ctx);
            conds.add(ce);
            condOk &= ce.result();
        }
        if (!condOk) {
            reasons.add(Reason.CONDITION_FAILED);
        }
        boolean matched = action && res && condOk && m != PrincipalMatcher.Match.NONE;
        if (matched && s.effect() == Effect.ALLOW && m == PrincipalMatcher.Match.ACCOUNT) {
            reasons.add(Reason.ACCOUNT_PRINCIPAL_DELEGATES);
        } else if (matched && s.effect() == Effect.ALLOW && m == PrincipalMatcher.Match.ROLE) {
            reasons.add(Reason.ROLE_ARN_LIMITED);
        }
        StatementExplain se = new StatementExplain(
                p.name(),
                policyIndex,
                s.index(),
                s.sid(),
                s.effect(),
                action,
                res,
                principalMatched,
                withPrincipal && matched ? m.label() : null,
                condOk,
                matched,
                List.copyOf(conds),
                List.copyOf(reasons));
        if (!matched) {
            r.unmatched.add(se);
            return;
        }
        record(r, s.effect(), m);
        (s.effect() == Effect.DENY ? r.denies : r.allows).add(se);
    }

    /** Whether the statement names principals only of other accounts than the caller's. */
    private boolean accountMismatch(Statement s) {
        if (s.principal() == null || caller.account == null || s.principal().any()) {
            return false;
        }
        List<String> aws = s.principal().aws();
        if (aws.isEmpty()) {
            return false;
        }
        for (String a : aws) {
            String acct = a.startsWith("arn:") ? a.split(":", 6).length == 6 ? a.split(":", 6)[4] : "" : a;
            if (acct.equals(caller.account)) {
                return false;
            }
        }
        return true;
    }
}
