package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * IAM actions that do not exist, which SAM's policy templates (SQSPollerPolicy) and hand-written policies emit. They
 * grant nothing: the batch APIs are authorised by the non-batch actions.
 */
public final class NonexistentActionCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "unknown-action",
            Severity.WARNING,
            "A policy lists an IAM action that does not exist (it grants nothing).",
            "Use {0} instead of {1}.");

    /**
     * Known non-actions, lower case, to the action that authorises the API, and the citation. SQS: "Amazon SQS
     * batch actions" in the SQS Developer Guide (batch APIs are authorised by the single-message actions), and
     * cfn-lint W3037 on SAM's SQSPollerPolicy. DynamoDB Streams' ListShards is not in the Service Authorization
     * Reference for DynamoDB (aws-lambda-developer-guide#237).
     */
    static final Map<String, String[]> NON_ACTIONS = Map.of(
            "sqs:changemessagevisibilitybatch",
                    new String[] {
                        "sqs:ChangeMessageVisibility", "SQS Developer Guide," + " batch actions; cfn-lint W3037"
                    },
            "sqs:deletemessagebatch",
                    new String[] {"sqs:DeleteMessage", "SQS Developer Guide, batch actions;" + " cfn-lint W3037"},
            "sqs:sendmessagebatch",
                    new String[] {"sqs:SendMessage", "SQS Developer Guide, batch actions;" + " cfn-lint W3037"},
            "dynamodb:listshards",
                    new String[] {
                        "dynamodb:DescribeStream",
                        "Service Authorization Reference for"
                                + " DynamoDB (no ListShards action); aws-lambda-developer-guide#237"
                    });

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
            List<String> actions = s.actions() != null ? s.actions() : s.notActions();
            for (String a : actions) {
                String[] known = NON_ACTIONS.get(Rules.lower(a));
                if (known == null) {
                    continue;
                }
                String origin = p.kind() == AttachedPolicy.Kind.POLICY_TEMPLATE
                        ? " (emitted by SAM's " + p.template() + ")"
                        : "";
                out.add(INFO.finding(
                        tr.role().logicalId(),
                        Rules.where(p.policy(), s) + " lists " + a + ", which is not an IAM action"
                                + origin + ": it grants nothing; " + known[0] + " authorises that API (" + known[1]
                                + ").",
                        p.kind() == AttachedPolicy.Kind.POLICY_TEMPLATE
                                ? "nothing to change in the template (" + known[0] + " is already granted); or replace "
                                        + p.template() + " with an inline statement without " + a
                                : "remove " + a + " (" + known[0] + " authorises it)",
                        p.statementLine(s.index()),
                        tr.template().file()));
            }
        }
        return out;
    }
}
