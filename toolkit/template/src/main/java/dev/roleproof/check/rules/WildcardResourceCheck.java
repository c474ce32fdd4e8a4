package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.engine.vocabulary.IamAction;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Resource: "*"} on actions that have a resource type. Only actions the Service Authorization Reference lists
 * without a resource type need "*" (and a few whose ARN a function cannot know in advance); everything else can be
 * scoped to an ARN.
 */
public final class WildcardResourceCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "wildcard-resource",
            Severity.WARNING,
            "An Allow statement uses Resource \"*\" for actions that can be scoped to a resource ARN.",
            "Scope {0} to {1}; keep only wildcard-only actions on \"*\".");

    /**
     * Actions the Service Authorization Reference gives a resource type, yet whose resource a Lambda function cannot
     * name before the call: the network interfaces Lambda creates in a VPC (AWSLambdaVPCAccessExecutionRole grants
     * them on "*"), and cloudwatch:PutMetricData, whose only type (dataset) is optional. Lower case.
     */
    static final Set<String> UNKNOWABLE_ARN = Set.of(
            "ec2:createnetworkinterface",
            "ec2:deletenetworkinterface",
            "ec2:assignprivateipaddresses",
            "ec2:unassignprivateipaddresses",
            "cloudwatch:putmetricdata");

    /** Only "*" grants it: no resource type in the Service Authorization Reference, or an ARN unknowable in advance. */
    static boolean needsWildcard(String action) {
        return UNKNOWABLE_ARN.contains(Rules.lower(action))
                || IamVocabulary.get()
                        .action(action)
                        .map(IamAction::wildcardOnly)
                        .orElse(false);
    }

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (Rules.AuthoredStatement as : Rules.authoredStatements(Rules.allRoles(c))) {
            AttachedPolicy p = as.policy();
            Statement s = as.statement();
            Rules.TemplateRole tr = as.owner();
            if (s.effect() != Effect.ALLOW
                    || s.resources() == null
                    || !s.resources().contains("*")) {
                continue;
            }
            List<String> broad = s.actions() == null
                    ? List.of("NotAction " + s.notActions())
                    : s.actions().stream().filter(a -> !needsWildcard(a)).toList();
            if (broad.isEmpty()) {
                continue;
            }
            Set<String> used = new LinkedHashSet<>();
            for (EvaluatedNeed e : Rules.allowedBy(c, p.policy().name(), s.index())) {
                if (!"*".equals(e.resource())) {
                    used.add(e.resource());
                }
            }
            String where = Rules.where(p.policy(), s);
            String scope = used.isEmpty() ? "the ARNs the function uses" : String.join(", ", used);
            out.add(INFO.finding(
                    tr.role().logicalId(),
                    where + " allows " + broad + " on Resource \"*\": every resource of the account (and other"
                            + " accounts' resources that allow it).",
                    "scope " + broad + " to " + scope + "; keep only wildcard-only actions on \"*\"",
                    p.statementLine(s.index()),
                    tr.template().file()));
        }
        return out;
    }
}
