package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.EvaluatedNeed;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Resource: "*"} on actions that have a resource type. Only actions the Service Authorization Reference lists
 * without a resource type (below) need "*"; everything else can be scoped to an ARN.
 */
public final class WildcardResourceCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "wildcard-resource",
            Severity.WARNING,
            "An Allow statement uses Resource \"*\" for actions that can be scoped to a resource ARN.",
            "Scope {0} to {1}; keep only wildcard-only actions on \"*\".");

    /**
     * Actions without a resource type in the Service Authorization Reference (only "*" grants them), among those
     * Lambda functions commonly need. Lower case.
     */
    static final Set<String> WILDCARD_ONLY = Set.of(
            "dynamodb:liststreams",
            "dynamodb:listtables",
            "dynamodb:describelimits",
            "sqs:listqueues",
            "s3:listallmybuckets",
            "sns:listtopics",
            "kinesis:liststreams",
            "kinesis:describelimits",
            "logs:describeloggroups",
            "sts:getcalleridentity",
            "xray:puttracesegments",
            "xray:puttelemetryrecords",
            "xray:getsamplingrules",
            "xray:getsamplingtargets",
            "xray:getsamplingstatisticsummaries",
            "cloudwatch:putmetricdata",
            "ec2:createnetworkinterface",
            "ec2:describenetworkinterfaces",
            "ec2:deletenetworkinterface",
            "ec2:assignprivateipaddresses",
            "ec2:unassignprivateipaddresses",
            "ec2:describesubnets",
            "ec2:describesecuritygroups",
            "ec2:describevpcs",
            "kms:listkeys",
            "kms:listaliases",
            "secretsmanager:getrandompassword",
            "ssm:describeparameters",
            "lambda:listfunctions",
            "iam:listroles",
            "events:putpermission");

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
                    : s.actions().stream()
                            .filter(a -> !WILDCARD_ONLY.contains(Rules.lower(a)))
                            .toList();
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
