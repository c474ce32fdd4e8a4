package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints check's wall time on the reference template against cfn-lint's (goal >= 5x). A benchmark, not a timed
 * test: the figures are printed, only their sanity is asserted. In this JVM; `roleproof bench` times the jar as a
 * process.
 */
class CheckBenchmarkIT {

    @Test
    void checkVersusCfnLint() {
        Assumptions.assumeTrue(
                CheckBenchmark.onPath("cfn-lint") != null, "cfn-lint is not on the PATH: benchmark skipped");
        double cold = CheckBenchmark.coldInProcess(CheckFixtures.referenceA(), CheckFixtures.referenceB());
        CheckBenchmark.Result r =
                CheckBenchmark.run(CheckFixtures.referenceA(), CheckFixtures.referenceB(), null, 5, 1);
        System.out.printf(
                "check (in-process, warm median of 5): %.4f s; first run in this JVM: %.3f s; "
                        + "cfn-lint (1 run): %.2f s; ratio %.0fx (goal >= 5x)%n",
                r.seconds(), cold, r.cfnLintSeconds(), r.ratio());
        assertThat(r.seconds()).isPositive();
        assertThat(r.cfnLintSeconds()).isPositive();
    }
}
