package dev.roleproof.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.local.runtime.FunctionRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happened while one pattern ran: the steps (what Lambda and the handler did), the failure as a user would
 * meet it in AWS (null when none), the self-check report the handler logged, and every log line.
 */
final class PatternRun {

    final String pattern;
    final String function;
    final List<String> steps = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    ObjectNode selfCheck;
    String sessionArn;
    String roleArn;
    private final Consumer<String> progress;

    PatternRun(String pattern, String function, Consumer<String> progress) {
        this.pattern = pattern;
        this.function = function;
        this.progress = progress;
    }

    void step(String text) {
        steps.add(text);
        progress.accept(pattern + ": " + text);
    }

    void fail(String text) {
        failures.add(text);
        progress.accept(pattern + ": FAILED: " + text);
    }

    /** Keeps an invocation's log lines and the self-check report among them. */
    void logged(FunctionRuntime.Invocation inv) {
        logs.addAll(inv.logs());
        ObjectNode report = LambdaService.selfCheckReport(inv.logs());
        if (report != null) {
            selfCheck = report;
        }
    }

    void initLogs(List<String> lines) {
        logs.addAll(0, lines);
    }

    boolean passed() {
        return "PASS".equals(verdict());
    }

    /**
     * FAIL for what a user would meet in AWS (a failure, a self-check FAIL, no report at all); INCONCLUSIVE when the
     * self-check could not decide (its calls did not answer in time on a busy machine): never a permission verdict.
     */
    String verdict() {
        if (!failures.isEmpty() || selfCheck == null) {
            return "FAIL";
        }
        return selfCheck.path("verdict").asText("FAIL");
    }

    /** True when the self-check is INCONCLUSIVE because a call did not answer within its bound. */
    boolean selfCheckTimedOut() {
        if (selfCheck == null
                || !"INCONCLUSIVE".equals(selfCheck.path("verdict").asText())) {
            return false;
        }
        if (selfCheck.path("warning").asText("").contains("timed out")) {
            return true;
        }
        for (var probe : selfCheck.path("probes")) {
            if (probe.path("detail").asText("").startsWith("timed out")) {
                return true;
            }
        }
        return false;
    }
}
