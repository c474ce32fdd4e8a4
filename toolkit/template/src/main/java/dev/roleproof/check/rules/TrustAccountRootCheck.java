package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A trust policy that trusts a whole account (":root" or the bare id) without a condition on the principal: every
 * identity of that account whose own policy allows sts:AssumeRole gets the role. A wildcard principal without one is
 * an error (anyone in any account).
 */
public final class TrustAccountRootCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "trust-account-root",
            Severity.WARNING,
            "A role's trust policy trusts an account root (or \"*\") without a condition naming the principal.",
            "Name the role ARN in Principal, or add Condition ArnEquals aws:PrincipalArn {0}.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (Rules.TemplateRole tr : Rules.allRoles(c)) {
            if (tr.role().trustPolicy() == null) {
                continue;
            }
            for (Statement s : tr.role().trustPolicy().statements()) {
                if (s.effect() != Effect.ALLOW || s.principal() == null || principalCondition(s)) {
                    continue;
                }
                Principals p = s.principal();
                int line = tr.template()
                        .line("/Resources/" + tr.role().logicalId() + "/Properties/AssumeRolePolicyDocument/Statement/"
                                + s.index());
                if (line == 0) {
                    line = tr.role().line();
                }
                if (p.any() || p.aws().contains("*")) {
                    out.add(new Finding(
                            INFO.id(),
                            Severity.ERROR,
                            tr.role().logicalId(),
                            "the trust policy of "
                                    + tr.role().logicalId() + " (statement " + s.label()
                                    + ") lets any principal of any account"
                                    + " assume it.",
                            "name the role ARN that assumes it in Principal",
                            line,
                            tr.template().file()));
                    continue;
                }
                for (String aws : p.aws()) {
                    if (aws.matches("\\d{12}") || aws.endsWith(":root")) {
                        out.add(INFO.finding(
                                tr.role().logicalId(),
                                "the trust policy of " + tr.role().logicalId() + " (statement " + s.label()
                                        + ") trusts "
                                        + aws
                                        + " without a condition on the principal: any identity of that account allowed"
                                        + " sts:AssumeRole can assume it.",
                                "name the role ARN in Principal, or add \"Condition\": {\"ArnEquals\": "
                                        + "{\"aws:PrincipalArn\": \"arn:aws:iam::" + accountOf(aws) + ":role/NAME\"}}",
                                line,
                                tr.template().file()));
                    }
                }
            }
        }
        return out;
    }

    private static String accountOf(String aws) {
        return aws.matches("\\d{12}") ? aws : aws.split(":")[4];
    }

    private static boolean principalCondition(Statement s) {
        for (Condition cond : s.conditions()) {
            String key = cond.key().toLowerCase(java.util.Locale.ROOT);
            if (key.equals("aws:principalarn")
                    || key.startsWith("aws:principaltag/")
                    || key.equals("aws:userid")
                    || key.equals("aws:principalorgid")
                    || key.equals("aws:principalorgpaths")) {
                return true;
            }
        }
        return false;
    }
}
