package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Needs;
import dev.roleproof.check.Severity;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A function permission whose SourceArn names a bucket, topic or rule of this same template that does not send its
 * events to the function: the push chain is broken (the notification, subscription or target is missing or points
 * at another function), so the function is never invoked.
 */
public final class UnwiredPushSourceCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "push-source-missing",
            Severity.ERROR,
            "A function permission names a source of this template (bucket, topic, rule) that does not invoke the"
                    + " function.",
            "Add to {0} a notification, subscription or target for {1}.");

    private static final Map<String, String> SERVICE_TYPES = Map.of(
            "s3.amazonaws.com",
            "AWS::S3::Bucket",
            "sns.amazonaws.com",
            "AWS::SNS::Topic",
            "events.amazonaws.com",
            "AWS::Events::Rule");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        Map<String, ResourceSpec> byTypeAndArn = new HashMap<>();
        for (ResourceSpec r : c.template().resources()) {
            if (r.arn() != null) {
                byTypeAndArn.putIfAbsent(r.type() + " " + r.arn(), r);
            }
        }
        for (FunctionPermission p : c.template().permissions()) {
            String type = SERVICE_TYPES.get(p.principal());
            if (type == null || p.sourceArn() == null || p.functionLogicalId() == null) {
                continue;
            }
            ResourceSpec source = byTypeAndArn.get(type + " " + p.sourceArn());
            FunctionSpec f = c.template().function(p.functionLogicalId()).orElse(null);
            if (source == null || f == null) {
                continue;
            }
            boolean wired = Needs.pushSources(c.template(), f).stream()
                    .anyMatch(s -> s.sourceLogicalId().equals(source.logicalId()));
            if (!wired) {
                String what = switch (type) {
                    case "AWS::S3::Bucket" -> "NotificationConfiguration.LambdaConfigurations entry";
                    case "AWS::SNS::Topic" -> "AWS::SNS::Subscription (Protocol lambda)";
                    default -> "Targets entry";
                };
                out.add(INFO.finding(
                        p.logicalId(),
                        p.logicalId() + " lets "
                                + p.principal() + " invoke " + f.logicalId() + " for " + source.logicalId() + ", but "
                                + source.logicalId() + " does not send its events to " + f.logicalId()
                                + ": the function is never invoked.",
                        "add to " + source.logicalId() + " a " + what + " for " + f.functionArn(),
                        p.line(),
                        c.template().file()));
            }
        }
        return out;
    }
}
