package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Needs;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Confused deputy: a function permission for a service principal must say which source (aws:SourceArn) of which
 * account (aws:SourceAccount) may invoke. None at all, or a wildcard principal, is an error; one missing is a
 * warning (an S3 bucket ARN has no account; SourceAccount alone lets any bucket of the account invoke: SAM#2405).
 * A permission whose values match no source of the template is a warning (the push need fails when none matches).
 */
public final class ServicePermissionGuardCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "confused-deputy",
            Severity.ERROR,
            "A function permission for a service principal without aws:SourceArn / aws:SourceAccount, with a wildcard"
                    + " principal, or with values that match no real source.",
            "Set SourceArn to {0} and SourceAccount to {1} on the AWS::Lambda::Permission.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        String account = c.template().account();
        for (FunctionPermission p : c.template().permissions()) {
            String fn = p.functionLogicalId() != null ? p.functionLogicalId() : p.functionName();
            if ("*".equals(p.principal())) {
                out.add(finding(
                        p,
                        Severity.ERROR,
                        p.logicalId() + " lets any principal (\"*\") invoke " + fn + ".",
                        "name the one service or account that invokes " + fn + ", with SourceArn and SourceAccount",
                        c));
                continue;
            }
            if (!p.principal().endsWith(".amazonaws.com")) {
                continue;
            }
            FunctionSpec f = p.functionLogicalId() == null
                    ? null
                    : c.template().function(p.functionLogicalId()).orElse(null);
            List<Needs.PushSource> sources = f == null
                    ? List.of()
                    : Needs.pushSources(c.template(), f).stream()
                            .filter(s -> s.principal().equals(p.principal()))
                            .toList();
            String arnHint = sources.isEmpty()
                    ? "the ARN of the " + p.principal() + " source"
                    : sources.get(0).sourceArn();
            boolean s3 = p.principal().startsWith("s3.");
            if (p.sourceArn() == null && p.sourceAccount() == null) {
                out.add(finding(
                        p,
                        Severity.ERROR,
                        p.logicalId() + " lets " + p.principal() + " invoke " + fn
                                + " on behalf of anyone: no SourceArn, no SourceAccount (confused deputy).",
                        "set SourceArn: " + arnHint + " and SourceAccount: " + account,
                        c));
                continue;
            }
            if (p.sourceArn() == null) {
                out.add(finding(
                        p,
                        Severity.WARNING,
                        p.logicalId() + " has SourceAccount but no SourceArn: every "
                                + p.principal() + " source of account " + p.sourceAccount() + " may invoke " + fn
                                + (s3 ? " (SAM's S3 event does this: SAM#2405)." : "."),
                        "set SourceArn: " + arnHint,
                        c));
            } else if (s3 && p.sourceAccount() == null) {
                out.add(finding(
                        p,
                        Severity.WARNING,
                        p.logicalId() + " has SourceArn but no SourceAccount: an S3"
                                + " bucket ARN carries no account, so a bucket of that name in another account could invoke "
                                + fn + ".",
                        "set SourceAccount: " + account,
                        c));
            }
            if (f != null && !sources.isEmpty() && !matchesAny(c, f, p, sources)) {
                out.add(finding(
                        p,
                        Severity.WARNING,
                        p.logicalId() + " (SourceArn " + p.sourceArn()
                                + ", SourceAccount " + p.sourceAccount() + ") matches no " + p.principal()
                                + " source of the template that invokes " + fn + ".",
                        "set SourceArn: " + arnHint + " and SourceAccount: " + account,
                        c));
            }
        }
        return out;
    }

    /** Asks the engine whether this one permission lets one of the real sources invoke. */
    private static boolean matchesAny(
            CheckContext c, FunctionSpec f, FunctionPermission p, List<Needs.PushSource> sources) {
        Policy only = Needs.functionPolicy(f, List.of(p));
        for (Needs.PushSource s : sources) {
            Request r = Request.of(s.principal(), "lambda:InvokeFunction", f.functionArn())
                    .withContext("aws:SourceArn", s.sourceArn())
                    .withContext("aws:SourceAccount", c.template().account());
            if (c.evaluator()
                    .evaluate(AuthorizationInput.builder(r).resourcePolicy(only).build(), false)
                    .allowed()) {
                return true;
            }
        }
        return false;
    }

    private static Finding finding(
            FunctionPermission p, Severity severity, String message, String fix, CheckContext c) {
        return new Finding(
                INFO.id(),
                severity,
                p.logicalId(),
                message,
                fix,
                p.line(),
                c.template().file());
    }
}
