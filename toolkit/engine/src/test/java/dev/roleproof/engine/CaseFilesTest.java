package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.StatementExplain;
import dev.roleproof.engine.json.CaseJson;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks every JSON case file under src/test/resources/cases/&lt;topic&gt;/ (each an array of cases
 * {name, doc, request, identityPolicies, resourcePolicy, permissionsBoundary, sessionPolicy, scps, rcps,
 * expected:{decision, deniedBy?, message?}, skip?}) and checks the engine's decision, with and without explain.
 */
class CaseFilesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Evaluator evaluator = Evaluator.create();

    @TestFactory
    Stream<DynamicTest> cases() throws IOException, URISyntaxException {
        Path root = Path.of(CaseFilesTest.class.getResource("/cases").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode cases = MAPPER.readTree(file.toFile());
                assertThat(cases.isArray())
                        .as("%s must hold an array of cases", file)
                        .isTrue();
                String rel = root.relativize(file).toString();
                for (JsonNode c : cases) {
                    assertThat(c.hasNonNull("name"))
                            .as("every case in %s has a name", rel)
                            .isTrue();
                    assertThat(c.hasNonNull("doc"))
                            .as("case %s in %s cites an AWS page in doc", c.get("name"), rel)
                            .isTrue();
                    tests.add(DynamicTest.dynamicTest(rel + ": " + c.get("name").asText(), () -> run(c)));
                }
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private void run(JsonNode c) {
        Assumptions.assumeFalse(
                c.hasNonNull("skip"), () -> "skipped: " + c.get("skip").asText());
        AuthorizationInput input = CaseJson.toInput(c);
        JsonNode expected = c.get("expected");
        Decision explained = evaluator.evaluate(input, true);
        Decision quick = evaluator.evaluate(input, false);
        String why = CaseJson.toJson(explained).toPrettyString();
        assertThat(explained.outcome().awsName())
                .as(why)
                .isEqualTo(expected.get("decision").asText());
        assertThat(quick.outcome()).as("explain must not change the decision").isEqualTo(explained.outcome());
        assertThat(quick.deniedBy()).isEqualTo(explained.deniedBy());
        assertThat(quick.explanation()).isNull();
        if (expected.has("deniedBy")) {
            assertThat(String.valueOf(explained.deniedBy()))
                    .as(why)
                    .isEqualTo(expected.get("deniedBy").asText());
        }
        if (expected.has("message")) {
            assertThat(explained.message()).isEqualTo(expected.get("message").asText());
        }
        Explanation x = explained.explanation();
        if (expected.has("actionNote")) {
            assertThat(String.valueOf(x.actionNote()))
                    .as(why)
                    .isEqualTo(expected.get("actionNote").asText());
        }
        if (expected.has("resourceTypes")) {
            assertThat(x.resourceTypes()).as(why).containsExactlyElementsOf(texts(expected.get("resourceTypes")));
        }
        if (expected.has("ignoredContext")) {
            assertThat(x.ignoredContext())
                    .as(why)
                    .containsExactlyInAnyOrderElementsOf(texts(expected.get("ignoredContext")));
        }
        if (expected.has("reasons")) {
            List<String> reasons = new ArrayList<>();
            for (PolicyTypeAnalysis a : x.analyses()) {
                for (List<StatementExplain> list : List.of(a.allows(), a.denies(), a.unmatched())) {
                    for (StatementExplain st : list) {
                        st.reasons().forEach(r -> reasons.add(r.name()));
                        st.conditions().forEach(cd -> reasons.add(String.valueOf(cd.reason())));
                    }
                }
            }
            assertThat(reasons).as(why).containsAll(texts(expected.get("reasons")));
        }
        if (explained.allowed()) {
            assertThat(explained.message()).isNull();
            assertThat(explained.deniedBy()).isNull();
        } else {
            assertThat(explained.message()).startsWith("User: ");
        }
    }
}
