package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.cli.oracle.CaseGenerator;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.json.CaseJson;
import org.junit.jupiter.api.Test;

/** eval's streaming reader must read every case exactly as the engine's reference reader (CaseJson) does. */
class EvalRunnerTest {

    @Test
    void streamingReaderAgreesWithCaseJsonOnGeneratedCases() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Evaluator evaluator = Evaluator.create();
        EvalRunner runner = new EvalRunner(true);
        int compared = 0;
        for (CaseGenerator.Case c : new CaseGenerator(99).generate(1500)) {
            AuthorizationInput ours = runner.parse(c.line());
            AuthorizationInput reference = CaseJson.toInput(json.readTree(c.line()));
            assertThat(ours.request()).as(c.id()).isEqualTo(reference.request());
            Decision a = evaluator.evaluate(ours, true);
            Decision b = evaluator.evaluate(reference, true);
            assertThat(a.outcome()).as(c.id()).isEqualTo(b.outcome());
            assertThat(a.message()).as(c.id()).isEqualTo(b.message());
            assertThat(json.valueToTree(a.explanation()).toString())
                    .as(c.id())
                    .isEqualTo(json.valueToTree(b.explanation()).toString());
            compared++;
        }
        assertThat(compared).isEqualTo(1500);
    }

    @Test
    void aRepeatedPolicyIsParsedOnceAndServedFromTheCache() {
        EvalRunner runner = new EvalRunner(false);
        String line = new String(EngineBenchmark.simpleCases(1), java.nio.charset.StandardCharsets.UTF_8).trim();
        AuthorizationInput first = runner.parse(line);
        AuthorizationInput second = runner.parse(line.replace("\"s0\"", "\"s1\""));
        assertThat(second.identityPolicies().get(0))
                .isSameAs(first.identityPolicies().get(0));
    }
}
