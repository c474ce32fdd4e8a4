package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue's visibility timeout against the function timeout. Lambda rejects a mapping whose queue visibility is
 * below the function timeout (an error); it recommends at least 6x the function timeout (a warning), or a message
 * whose batch is still running becomes visible again and is processed twice.
 */
public final class VisibilityTimeoutCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "visibility-timeout",
            Severity.WARNING,
            "An SQS queue's VisibilityTimeout is below 6x the timeout of the function its mapping invokes.",
            "Set VisibilityTimeout of {0} to at least {1}.");

    /** SQS's default VisibilityTimeout, in seconds. */
    static final int SQS_DEFAULT_VISIBILITY = 30;

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        for (EventSourceMapping m : c.template().mappings()) {
            if (!"SQS".equals(m.sourceType()) || m.functionLogicalId() == null) {
                continue;
            }
            FunctionSpec f = c.template().function(m.functionLogicalId()).orElse(null);
            ResourceSpec queue = c.template().resourceByArn(m.eventSourceArn()).orElse(null);
            if (f == null || queue == null) {
                continue;
            }
            int visibility = seconds(queue.properties().get("VisibilityTimeout"), SQS_DEFAULT_VISIBILITY);
            int timeout = f.timeoutSeconds();
            int line = c.template().line("/Resources/" + queue.logicalId() + "/Properties/VisibilityTimeout");
            line = line == 0 ? queue.line() : line;
            if (visibility < timeout) {
                out.add(new Finding(
                        INFO.id(),
                        Severity.ERROR,
                        queue.logicalId(),
                        "queue " + queue.logicalId()
                                + " has VisibilityTimeout " + visibility + " s, below the " + timeout + " s timeout of "
                                + f.logicalId() + ": Lambda rejects the mapping " + m.logicalId() + ".",
                        "set VisibilityTimeout of " + queue.logicalId() + " to at least " + 6 * timeout,
                        line,
                        c.template().file()));
            } else if (visibility < 6 * timeout) {
                out.add(INFO.finding(
                        queue.logicalId(),
                        "queue "
                                + queue.logicalId() + " has VisibilityTimeout " + visibility + " s, below 6 x the "
                                + timeout
                                + " s timeout of " + f.logicalId()
                                + ": a message can reappear while its batch still runs.",
                        "set VisibilityTimeout of " + queue.logicalId() + " to at least " + 6 * timeout,
                        line,
                        c.template().file()));
            }
        }
        return out;
    }

    static int seconds(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
