package dev.roleproof.cli;

import static dev.roleproof.cli.LocalCommandTest.projectRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A break run end to end in JSON, with moto and the functions' JVMs (the full four-pattern run is proven in
 * roleproof-local's LocalRunIT; one break keeps this test short).
 */
class LocalCommandIT {

    @Test
    void aBreakFailsWithExit1AndJsonAsIssue6Says() throws Exception {
        Path root = projectRoot();
        RequiredTool.require("moto_server");
        if (!Files.isDirectory(root.resolve("functions/cross-account-reader/target/lambda/lib"))) {
            RequiredTool.missing("the functions are not built (functions/*/target/lambda): run ./mvnw -B package");
        }
        Cli.Run run = Cli.run(
                "",
                "local",
                "--template",
                root.resolve("template.yaml").toString(),
                "--break",
                "xacct-wrong-external-id",
                "--format",
                "json");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("FAIL");
        JsonNode pattern = json.path("patterns").get(0);
        assertThat(pattern.path("pattern").asText()).isEqualTo("cross-account");
        assertThat(pattern.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(pattern.has("selfCheck")).isTrue();
        assertThat(pattern.has("observed")).isTrue();
        assertThat(json.path("break").path("name").asText()).isEqualTo("xacct-wrong-external-id");
        // Progress goes to stderr in JSON mode, so stdout stays one JSON document.
        assertThat(run.err()).contains("moto started");
    }
}
