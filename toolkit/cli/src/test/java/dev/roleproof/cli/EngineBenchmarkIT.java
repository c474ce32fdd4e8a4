package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine benchmark against iam-simulate at toy size (node runs the oracle); timing is never asserted. */
class EngineBenchmarkIT {

    @Test
    void engineAgainstTheOracleWhenNodeIsThere() {
        java.nio.file.Path dir =
                java.nio.file.Path.of(System.getProperty("roleproof.iamSimulateDir", "target/iam-simulate"));
        EngineBenchmark.Result r = new EngineBenchmark(20, 0.1, 1).engineVsOracle(dir);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                r.oracleProblem() == null, "oracle part skipped: " + r.oracleProblem());
        assertThat(r.oracleDecisionsPerSecond()).isPositive().isFinite();
        assertThat(r.oracleDecisionsPerCpuSecond()).isPositive().isFinite();
        assertThat(r.ratio()).isEqualTo(r.decisionsPerSecond() / r.oracleDecisionsPerSecond());
    }
}
