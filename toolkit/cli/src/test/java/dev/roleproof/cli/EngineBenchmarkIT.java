package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.RequiredTool;
import org.junit.jupiter.api.Test;

/** The engine benchmark against iam-simulate at toy size (node runs the oracle); timing is never asserted. */
class EngineBenchmarkIT {

    @Test
    void engineAgainstTheOracleWhenNodeIsThere() {
        RequiredTool.require("iam-simulate");
        EngineBenchmark.Result r = new EngineBenchmark(20, 0.1, 1).engineVsOracle(true);
        assertThat(r.oracleProblem()).isNull();
        assertThat(r.oracleDecisionsPerSecond()).isPositive().isFinite();
        assertThat(r.oracleDecisionsPerCpuSecond()).isPositive().isFinite();
        assertThat(r.ratio()).isEqualTo(r.decisionsPerSecond() / r.oracleDecisionsPerSecond());
    }
}
