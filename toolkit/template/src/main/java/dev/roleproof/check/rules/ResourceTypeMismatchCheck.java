package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.engine.vocabulary.ActionResourceType;
import dev.roleproof.engine.vocabulary.IamAction;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import dev.roleproof.engine.vocabulary.ResourceType;
import dev.roleproof.engine.vocabulary.ServiceReference;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Allow statement whose Resource can never name a resource of an action's type, so it grants nothing for that
 * action: s3:GetObject on the bucket ARN instead of {@code bucket/*}, s3:ListBucket on {@code bucket/*},
 * dynamodb:GetRecords on the table instead of its stream, logs:PutLogEvents on the log group instead of its streams,
 * an action without resource type (dynamodb:ListStreams) on an ARN. Resource types and ARN formats from the Service
 * Authorization Reference ("Actions, resources, and condition keys for AWS services"). The fix names the ARN of the
 * right type where the statement points; the engine checks it grants the action before it is printed.
 */
public final class ResourceTypeMismatchCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "resource-type-mismatch",
            Severity.WARNING,
            "An Allow statement names resources of a type the action never acts on: it grants nothing for that action.",
            "Grant {0} on {1}.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        IamVocabulary vocabulary = IamVocabulary.get();
        List<Finding> out = new ArrayList<>();
        for (Rules.AuthoredStatement as : Rules.authoredStatements(Rules.allRoles(c))) {
            Statement s = as.statement();
            AttachedPolicy p = as.policy();
            // SAM's own policy templates are SAM's choice (DynamoDBStreamReadPolicy scopes ListStreams to the stream).
            if (s.effect() != Effect.ALLOW
                    || s.actions() == null
                    || s.resources() == null
                    || p.kind() == AttachedPolicy.Kind.POLICY_TEMPLATE) {
                continue;
            }
            // Mismatched actions grouped by the fix, so one statement gives one finding per replacement.
            Map<String, Set<String>> byFix = new LinkedHashMap<>();
            List<String> why = new ArrayList<>();
            for (String a : s.actions()) {
                if (a.indexOf('*') >= 0 || a.indexOf('?') >= 0) {
                    continue; // a pattern names actions of several types: those of other types are not a mistake
                }
                IamAction action = vocabulary.action(a).orElse(null);
                if (action == null || s.resources().stream().anyMatch(action::grantableBy)) {
                    continue;
                }
                String fix = action.wildcardOnly() ? "\"*\"" : scoped(action, s.resources(), vocabulary);
                byFix.computeIfAbsent(fix, k -> new LinkedHashSet<>()).add(action.fullName());
                why.add(
                        action.wildcardOnly()
                                ? action.fullName() + " has no resource type, so only Resource \"*\" grants it"
                                : action.fullName() + " acts on " + typesOf(action));
            }
            if (byFix.isEmpty()) {
                continue;
            }
            List<String> fixes = new ArrayList<>();
            byFix.forEach((fix, actions) -> fixes.add(
                    fix == null
                            ? "scope " + String.join(", ", actions) + " to ARNs of the types above"
                            : "grant " + String.join(", ", actions) + " on " + fix + " (a statement of its own)"));
            Set<String> all = new LinkedHashSet<>();
            byFix.values().forEach(all::addAll);
            out.add(INFO.finding(
                    as.owner().role().logicalId(),
                    Rules.where(p.policy(), s) + " allows " + String.join(", ", all) + " on " + s.resources()
                            + ", which names no resource of the type it acts on: it grants nothing for "
                            + (all.size() == 1 ? "it" : "them") + " (" + String.join("; ", why) + ").",
                    String.join("; ", fixes),
                    p.statementLine(s.index()),
                    as.owner().template().file()));
        }
        return out;
    }

    private static String typesOf(IamAction action) {
        List<String> types = new ArrayList<>();
        for (ActionResourceType rt : action.resourceTypes()) {
            types.add(rt.type().name() + " (" + rt.type().arnFormat() + ")");
        }
        return String.join(" or ", types);
    }

    /**
     * The ARN of the action's type where the statement's resources point (the bucket's objects for a bucket ARN,
     * the table's streams for a table ARN), read by binding the resource to the format of its own type and filling
     * the action's type with those values; null when there is none, or the engine does not confirm it grants the
     * action while the original resources do not.
     */
    static String scoped(IamAction action, List<String> resources, IamVocabulary vocabulary) {
        ServiceReference service = vocabulary.service(action.service()).orElse(null);
        if (service == null) {
            return null;
        }
        for (String r : resources) {
            Map<String, String> vars = null;
            for (ResourceType t : service.resourceTypes()) {
                Optional<Map<String, String>> b = t.bind(r);
                if (b.isPresent() && (vars == null || b.get().size() > vars.size())) {
                    vars = b.get();
                }
            }
            if (vars == null) {
                continue;
            }
            String best = null;
            int bestUnbound = Integer.MAX_VALUE;
            for (ActionResourceType rt : action.resourceTypes()) {
                String filled = rt.type().fill(vars);
                int unbound = filled.length() - filled.replace("*", "").length();
                if (action.grantableBy(filled) && unbound < bestUnbound) {
                    best = filled;
                    bestUnbound = unbound;
                }
            }
            if (best != null && verified(action, best, resources)) {
                return best;
            }
        }
        return null;
    }

    /** The engine allows the action on an instance of the fix and not with the statement's own resources. */
    private static boolean verified(IamAction action, String fix, List<String> resources) {
        String instance = fix.replace("*", "x");
        Request req = Request.of("arn:aws:sts::111111111111:assumed-role/r/s", action.fullName(), instance);
        Evaluator e = Evaluator.create();
        boolean fixed = e.evaluate(
                        AuthorizationInput.builder(req)
                                .identityPolicy(policy(action.fullName(), List.of(fix)))
                                .build(),
                        false)
                .allowed();
        boolean before = e.evaluate(
                        AuthorizationInput.builder(req)
                                .identityPolicy(policy(action.fullName(), resources))
                                .build(),
                        false)
                .allowed();
        return fixed && !before;
    }

    private static dev.roleproof.engine.policy.Policy policy(String action, List<String> resources) {
        StringBuilder r = new StringBuilder("[");
        for (String s : resources) {
            r.append(r.length() > 1 ? "," : "")
                    .append('"')
                    .append(s.replace("\"", "\\\""))
                    .append('"');
        }
        r.append(']');
        return PolicyParser.parse(
                "fix",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                        + "\",\"Resource\":" + r + "}]}");
    }
}
