package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at toy sizes to prove it works; timing is never asserted (figures come from `bench`). */
class EngineBenchmarkTest {

    @Test
    void engineFiguresWithoutTheOracle() {
        EngineBenchmark.Result r = new EngineBenchmark(50, 0.05, 1).engineVsOracle(false);
        assertThat(r.cases()).isEqualTo(50);
        assertThat(r.decisionsPerSecond()).isPositive().isFinite();
        assertThat(r.decisionsPerSecondNoExplain()).isPositive().isFinite();
        assertThat(r.oracleDecisionsPerSecond()).isNaN();
        assertThat(r.oracleProblem()).isEqualTo("oracle skipped");
    }

    @Test
    void evalThroughputCountsEveryCase() {
        EngineBenchmark.EvalThroughput t = new EngineBenchmark(10, 0.05, 1).eval(300, false);
        assertThat(t.cases()).isPositive().isEqualTo(t.cases() / 300 * 300);
        assertThat(t.casesPerSecond()).isPositive().isFinite();
    }

    @Test
    void simpleCasesAreAllDecidedWithoutErrors() throws Exception {
        byte[] in = EngineBenchmark.simpleCases(30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvalRunner.Stats s = new EvalRunner(false).run(new ByteArrayInputStream(in), out);
        assertThat(s.cases()).isEqualTo(30);
        assertThat(s.errors()).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\"decision\":\"Allowed\"");
    }

    @Test
    void benchCommandPrintsTheEnginePartAsJson() throws Exception {
        Cli.Run r = Cli.run(
                "",
                "bench",
                "--skip-functions",
                "--skip-check",
                "--format",
                "json",
                "--no-oracle",
                "--cases",
                "40",
                "--seconds",
                "0.05",
                "--eval-lines",
                "200");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode engine = doc.get("engine");
        assertThat(engine.get("decisionsPerSecond").asLong()).isPositive();
        assertThat(engine.has("oracleDecisionsPerSecond")).isTrue();
        assertThat(engine.get("oracleDecisionsPerSecond").isNull()).isTrue();
        assertThat(engine.get("ratio").isNull()).isTrue();
        assertThat(doc.get("eval").get("casesPerSecond").asLong()).isPositive();
    }

    @Test
    void benchCommandTextNamesEachFigure() {
        Cli.Run r = Cli.run(
                "",
                "bench",
                "--skip-functions",
                "--skip-check",
                "--no-oracle",
                "--cases",
                "40",
                "--seconds",
                "0.05",
                "--eval-lines",
                "200");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("decisions/s, one thread")
                .contains("oracle  not measured: oracle skipped")
                .contains("cases/s end to end");
    }

    @Test
    void benchRejectsNonPositiveSizes() {
        Cli.Run r = Cli.run("", "bench", "--no-oracle", "--cases", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines())
                .containsExactly("roleproof bench: --cases, --seconds and --eval-lines must be positive");
    }
}
