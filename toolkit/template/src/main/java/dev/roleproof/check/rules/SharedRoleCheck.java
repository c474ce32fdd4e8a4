package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.template.FunctionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One execution role used by several functions: each gets the union of all their permissions. */
public final class SharedRoleCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "shared-role",
            Severity.WARNING,
            "Several functions share one execution role, so each holds the permissions of all of them.",
            "Give each of {0} its own role with only its statements.");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (FunctionSpec f : c.template().functions()) {
            if (f.roleArn() != null) {
                byRole.computeIfAbsent(f.roleArn(), k -> new ArrayList<>()).add(f.logicalId());
            }
        }
        List<Finding> out = new ArrayList<>();
        byRole.forEach((arn, functions) -> {
            if (functions.size() < 2) {
                return;
            }
            var role = c.template().roleByArn(arn);
            String id = role.map(r -> r.logicalId()).orElse(functions.get(0));
            int line = role.map(r -> r.line())
                    .orElse(c.template().function(functions.get(0)).get().line());
            out.add(INFO.finding(
                    id,
                    "role " + id + " is shared by " + String.join(", ", functions)
                            + ": each function can do what any of them can.",
                    "give each of " + String.join(", ", functions)
                            + " its own role with only the statements its needs use",
                    line,
                    c.template().file()));
        });
        return out;
    }
}
