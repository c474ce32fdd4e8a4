package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole of {@code roleproof bench} at tiny sizes: every part runs for real (moto, fresh function JVMs, the
 * baselines, cfn-lint, iam-simulate) and the JSON has the shape of issues 7 and 13. No timing is asserted: figures on a loaded
 * machine prove nothing, the bench itself prints them.
 */
class BenchCommandIT {

    @Test
    void wholeBenchAtTinySizesHasIssue7sJsonShape() throws Exception {
        Path root = LocalCommandTest.projectRoot();
        RequiredTool.require("moto_server");
        RequiredTool.require("cfn-lint");
        RequiredTool.require("iam-simulate");
        if (!Files.isDirectory(root.resolve("functions/s3-object-processor/target/lambda/lib"))
                || !Files.isDirectory(root.resolve("toolkit/bench-baselines/s3/target/lambda/lib"))) {
            RequiredTool.missing("functions or bench baselines are not built (target/lambda): run ./mvnw -B package");
        }
        List<String> args = new ArrayList<>(List.of(
                "bench",
                "--format",
                "json",
                "--root",
                root.toString(),
                "--runs",
                "1",
                "--cases",
                "40",
                "--seconds",
                "0.05",
                "--eval-lines",
                "200"));
        Cli.Run r = Cli.run("", args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());

        JsonNode functions = doc.get("functions");
        List<String> names = new ArrayList<>();
        functions.forEach(f -> names.add(f.get("name").asText()));
        assertThat(names)
                .containsExactly(
                        "SqsConsumerFunction",
                        "DdbStreamProcessorFunction",
                        "S3ObjectProcessorFunction",
                        "CrossAccountReaderFunction");
        for (JsonNode f : functions) {
            assertThat(f.get("zipBytes").asLong()).as(f.toString()).isPositive();
            assertThat(f.get("coldStartMs").asDouble()).as(f.toString()).isPositive();
            assertThat(f.get("baselineMs").asDouble()).as(f.toString()).isPositive();
            assertThat(f.get("coldStartRatio").asDouble())
                    .isCloseTo(
                            f.get("coldStartMs").asDouble()
                                    / f.get("baselineMs").asDouble(),
                            org.assertj.core.data.Offset.offset(0.02));
            assertThat(f.get("baselineZipBytes").asLong()).as(f.toString()).isPositive();
            assertThat(f.get("zipRatio").asDouble())
                    .isCloseTo(
                            (double) f.get("zipBytes").asLong()
                                    / f.get("baselineZipBytes").asLong(),
                            org.assertj.core.data.Offset.offset(0.01));
            // Every function runs its self-check on its first event, so a share is always there.
            assertThat(f.get("selfCheckShare").isNumber()).as(f.toString()).isTrue();
            assertThat(f.get("selfCheckShare").asDouble()).isBetween(0.0, 1.0);
            JsonNode snap = f.get("snapStart");
            assertThat(snap.get("firstEventMs").asDouble()).as(f.toString()).isPositive();
            assertThat(snap.get("restoreRatio").asDouble())
                    .isCloseTo(
                            snap.get("firstEventMs").asDouble()
                                    / f.get("coldStartMs").asDouble(),
                            org.assertj.core.data.Offset.offset(0.02));
            assertThat(snap.get("selfCheckShare").asDouble()).isBetween(0.0, 1.0);
            assertThat(f.get("missed").isArray()).isTrue();
            // The events under events/ are handled by both sides, or the comparison would be of failures.
            assertThat(f.get("handled").asBoolean()).as(f.toString()).isTrue();
            assertThat(f.get("baselineHandled").asBoolean()).as(f.toString()).isTrue();
        }

        JsonNode engine = doc.get("engine");
        assertThat(engine.get("decisionsPerSecond").asLong()).isPositive();
        assertThat(engine.has("oracleDecisionsPerSecond")).isTrue();
        assertThat(engine.has("ratio")).isTrue();

        JsonNode check = doc.get("check");
        assertThat(check.get("seconds").asDouble()).isPositive();
        assertThat(check.get("cfnLintSeconds").asDouble()).isPositive();
        assertThat(check.get("ratio").asDouble()).isPositive();
    }

    @Test
    void nonPositiveRunsIsOneLineAndExit2() {
        Cli.Run r = Cli.run("", "bench", "--runs", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("roleproof bench: --runs must be positive");
    }

    @Test
    void missingProjectIsOneLineAndExit2() {
        Cli.Run r = Cli.run("", "bench", "--skip-engine", "--skip-check", "--root", "/nonexistent");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("roleproof bench: bench functions:");
    }
}
