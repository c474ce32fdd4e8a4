package dev.roleproof.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository's own templates: every pattern holds, no error finding (warnings are allowed and listed). */
class ReferenceCheckTest {

    @Test
    void referenceWithTargetHasNoErrors() {
        Report r = Checker.create().check(CheckFixtures.loadA(CheckFixtures.referenceA()),
            CheckFixtures.loadB(CheckFixtures.referenceB()));
        r.findings().forEach(f -> System.out.println(f.severity() + " " + f.rule() + " " + f.resource() + ":"
            + f.line() + " " + f.message() + " FIX " + f.fix()));
        r.patterns().forEach(p -> {
            System.out.println(p.function() + " " + p.pattern() + " " + p.verdict());
            p.checks().forEach(c -> System.out.println("   " + c.verdict() + " " + c.need().kind().id() + " "
                + c.action() + " " + c.resource() + " <- " + c.decidedBy()));
        });
        assertThat(r.findings()).filteredOn(f -> f.severity() == Severity.ERROR).isEmpty();
        assertThat(r.patterns()).extracting(PatternResult::pattern)
            .containsExactly("sqs-esm", "dynamodb-stream-esm", "s3-push", "cross-account");
        assertThat(r.patterns()).allSatisfy(p -> assertThat(p.verdict()).isIn(Verdict.PASS, Verdict.WARN));
    }
}
