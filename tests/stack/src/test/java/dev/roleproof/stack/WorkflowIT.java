package dev.roleproof.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GitHub Actions workflow passes actionlint (pinned, built from the Go module proxy by `go run`). */
class WorkflowIT {

    static final String ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12";

    @Test
    void actionlintPassesOnTheWorkflows() {
        Path go = Tools.require("go");
        Tools.Result r = Tools.run(
                List.of(go.toString(), "run", ACTIONLINT, "-color=false", ".github/workflows/ci.yml"),
                Tools.root(),
                Map.of(),
                Duration.ofMinutes(5));
        System.out.println("actionlint (" + ACTIONLINT + "): exit " + r.exitCode());
        assertThat(r.exitCode()).as(r.both()).isZero();
    }
}
