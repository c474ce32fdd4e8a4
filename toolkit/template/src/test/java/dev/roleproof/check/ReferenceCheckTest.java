package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The repository's own templates: every pattern holds, no error finding (warnings are allowed and listed). */
class ReferenceCheckTest {

    @Test
    void referenceWithTargetHasNoErrors() {
        Report r = Checker.create()
                .check(
                        CheckFixtures.loadA(CheckFixtures.referenceA()),
                        CheckFixtures.loadB(CheckFixtures.referenceB()));
        assertThat(r.findings())
                .as(CaseFilesTest.describe(r))
                .filteredOn(f -> f.severity() == Severity.ERROR)
                .isEmpty();
        assertThat(r.patterns())
                .extracting(PatternResult::pattern)
                .containsExactly("sqs-esm", "dynamodb-stream-esm", "s3-push", "cross-account");
        assertThat(r.patterns()).allSatisfy(p -> assertThat(p.verdict()).isEqualTo(Verdict.PASS));
        // Every need of the reference is decided by a statement of the template, named by policy and Sid.
        assertThat(r.patterns())
                .flatExtracting(PatternResult::checks)
                .allSatisfy(c -> assertThat(c.decidedBy()).contains("#"));
    }
}
