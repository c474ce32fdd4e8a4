package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import dev.roleproof.template.AttachedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Actions (and Action patterns) that name nothing in the Service Authorization Reference: misspellings, actions that
 * do not exist (SAM's SQSPollerPolicy emits sqs:DeleteMessageBatch), services that do not exist. They grant
 * nothing. The finding names the nearest real action.
 */
public final class NonexistentActionCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "unknown-action",
            Severity.WARNING,
            "A policy lists an IAM action that does not exist (it grants nothing).",
            "Use {0} instead of {1}.");

    /**
     * Non-actions whose API is authorised by another action, lower case, with the citation: SQS "Amazon SQS batch
     * actions" (batch APIs are authorised by the single-message actions; cfn-lint W3037 on SAM's SQSPollerPolicy),
     * and DynamoDB Streams' ListShards, which the Service Authorization Reference for DynamoDB does not list
     * (aws-lambda-developer-guide#237).
     */
    static final Map<String, String[]> AUTHORISED_BY = Map.of(
            "sqs:changemessagevisibilitybatch",
            new String[] {"sqs:ChangeMessageVisibility", "SQS Developer Guide, batch actions; cfn-lint W3037"},
            "sqs:deletemessagebatch",
            new String[] {"sqs:DeleteMessage", "SQS Developer Guide, batch actions; cfn-lint W3037"},
            "sqs:sendmessagebatch",
            new String[] {"sqs:SendMessage", "SQS Developer Guide, batch actions; cfn-lint W3037"},
            "dynamodb:listshards",
            new String[] {"dynamodb:DescribeStream", "aws-lambda-developer-guide#237"});

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        IamVocabulary vocabulary = IamVocabulary.get();
        String data = "the Service Authorization Reference (" + vocabulary.source() + ")";
        List<Finding> out = new ArrayList<>();
        for (Rules.AuthoredStatement as : Rules.authoredStatements(Rules.allRoles(c))) {
            AttachedPolicy p = as.policy();
            Statement s = as.statement();
            Rules.TemplateRole tr = as.owner();
            List<String> actions = s.actions() != null ? s.actions() : s.notActions();
            for (String a : actions) {
                if (a.equals("*") || !vocabulary.expand(a).isEmpty()) {
                    continue;
                }
                boolean pattern = a.indexOf('*') >= 0 || a.indexOf('?') >= 0;
                int colon = a.indexOf(':');
                boolean knownService = colon > 0 && vocabulary.isServicePrefix(a.substring(0, colon));
                String[] known = AUTHORISED_BY.get(Rules.lower(a));
                Optional<String> nearest =
                        known != null ? Optional.of(known[0]) : pattern ? Optional.empty() : vocabulary.suggest(a);
                String what = pattern
                        ? "matches no IAM action"
                        : knownService
                                ? "is not an IAM action"
                                : "is not an IAM action (no service has the prefix '"
                                        + (colon > 0 ? a.substring(0, colon) : a) + "')";
                String origin = p.kind() == AttachedPolicy.Kind.POLICY_TEMPLATE
                        ? " (emitted by SAM's " + p.template() + ")"
                        : "";
                String hint = nearest.map(n -> "; did you mean " + n + "?").orElse("")
                        + (known != null ? " (" + known[0] + " authorises that API: " + known[1] + ")" : "");
                String fix;
                if (p.kind() == AttachedPolicy.Kind.POLICY_TEMPLATE) {
                    fix = "nothing to change in the template"
                            + nearest.map(n -> " if " + n + " is granted too").orElse("") + "; or replace "
                            + p.template() + " with an inline statement without " + a;
                } else {
                    fix = nearest.map(n -> "replace " + a + " with " + n).orElse("remove " + a);
                }
                out.add(INFO.finding(
                        tr.role().logicalId(),
                        Rules.where(p.policy(), s) + " lists " + a + ", which " + what + origin + " in " + data
                                + ": it grants nothing" + hint + (hint.endsWith("?") ? "" : "."),
                        fix,
                        p.statementLine(s.index()),
                        tr.template().file()));
            }
        }
        return out;
    }
}
