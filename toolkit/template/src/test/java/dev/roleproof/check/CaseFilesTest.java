package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One case file per rule (src/test/resources/check/cases/RULE.json): each case is a JSON Patch of the reference
 * template (and of account B's, "targetPatch"), the findings it must produce ({rule, severity, resource}), and
 * whether it has error findings (exit 1). Every rule the checker knows must have a case file.
 */
class CaseFilesTest {

    private static final JsonNode A = Mutants.tree(CheckFixtures.referenceA());
    private static final JsonNode B = Mutants.tree(CheckFixtures.referenceB());

    @TestFactory
    Stream<DynamicTest> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(CaseFilesTest.class.getResource("/check/cases").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode doc;
                try (InputStream in = Files.newInputStream(file)) {
                    doc = Mutants.MAPPER.readTree(in);
                }
                for (JsonNode c : doc.get("cases")) {
                    String name = file.getFileName() + ": " + c.get("name").asText();
                    if (c.has("skip")) {
                        continue;
                    }
                    tests.add(DynamicTest.dynamicTest(name, () -> run(c)));
                }
            }
        }
        return tests.stream();
    }

    @org.junit.jupiter.api.Test
    void everyRuleHasACaseFile() throws URISyntaxException {
        Path dir = Path.of(CaseFilesTest.class.getResource("/check/cases").toURI());
        for (CheckInfo rule : Checker.rules()) {
            assertThat(dir.resolve(rule.id() + ".json"))
                    .as("case file for rule " + rule.id())
                    .exists();
        }
    }

    private static void run(JsonNode c) {
        Report r = Checker.create()
                .check(
                        Mutants.loadA(Mutants.patch(A, c.get("patch"))),
                        c.path("noTarget").asBoolean(false)
                                ? null
                                : Mutants.loadB(Mutants.patch(B, c.get("targetPatch"))));
        List<String> got = r.findings().stream()
                .map(f -> f.rule() + " " + f.severity().label() + " " + f.resource())
                .toList();
        for (JsonNode e : c.get("expect")) {
            String want = e.get("rule").asText() + " " + e.get("severity").asText() + " "
                    + e.get("resource").asText();
            assertThat(got).as("findings (all: %s)", describe(r)).contains(want);
        }
        for (JsonNode absent : c.path("absent")) {
            assertThat(got).as("findings (all: %s)", describe(r)).noneMatch(g -> g.startsWith(absent.asText() + " "));
        }
        boolean errors = c.path("errors").asBoolean(false);
        assertThat(r.hasFindingsAtLeast(Severity.ERROR))
                .as("error findings (exit 1) in %s", describe(r))
                .isEqualTo(errors);
    }

    static String describe(Report r) {
        StringBuilder sb = new StringBuilder();
        r.findings()
                .forEach(f -> sb.append("\n  ")
                        .append(f.severity().label())
                        .append(' ')
                        .append(f.rule())
                        .append(' ')
                        .append(f.resource())
                        .append(':')
                        .append(f.line())
                        .append(' ')
                        .append(f.message()));
        return sb.toString();
    }
}
