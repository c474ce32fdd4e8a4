package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Metadata hint RoleProof.ReportsBatchItemFailures marks a handler as returning partial batch responses. */
class BatchHintTest {

    @Test
    void onlyTheHintedFunctionsMappingIsFlagged() throws URISyntaxException {
        Path file = Path.of(
                BatchHintTest.class.getResource("/check/batch-hint.yaml").toURI());
        Report r = Checker.create().check(CheckFixtures.loadA(file), null);
        assertThat(r.findings())
                .filteredOn(f -> f.rule().equals("batch-item-failures"))
                .extracting(Finding::resource)
                .containsExactly("HintedJobs");
    }
}
