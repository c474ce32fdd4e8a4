package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.cli.oracle.CaseGenerator;
import dev.roleproof.cli.oracle.Divergences;
import dev.roleproof.cli.oracle.IamSimulate;
import dev.roleproof.testing.RequiredTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's differential test: generated cases over the Lambda-pattern vocabulary go through the real
 * {@code roleproof eval} command and through @cloud-copilot/iam-simulate (an independent simulator, run as a node
 * process, reading the same Service Authorization Reference data as the engine); outside the documented divergences
 * ({@link Divergences}) every decision must agree, and both must drop the same context keys (keys of the action's own
 * service that the action does not support included, issue 14).
 */
class IamSimulateDifferentialIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Override to explore: -Droleproof.differential.cases=20000 -Droleproof.differential.seed=7
    private static final int CASES = Integer.getInteger("roleproof.differential.cases", 4000);
    private static final long SEED = Long.getLong("roleproof.differential.seed", 20261129L);
    private static IamSimulate oracle;

    @BeforeAll
    static void locateOracle() {
        RequiredTool.require("iam-simulate");
        oracle = IamSimulate.locate();
    }

    @Test
    void decisionsAgreeWithIamSimulateOutsideTheDocumentedDivergences() throws Exception {
        List<CaseGenerator.Case> cases = new CaseGenerator(SEED).generate(CASES);
        List<String> lines = CaseGenerator.lines(cases);

        // With explanations: they carry the context keys the engine dropped.
        Cli.Run ours = Cli.run(String.join("\n", lines) + "\n", "eval", "--explain");
        List<JsonNode> answers = new ArrayList<>();
        for (String l : ours.out().split("\n")) {
            answers.add(JSON.readTree(l));
        }
        assertThat(answers).hasSize(CASES);
        List<IamSimulate.Answer> theirs = oracle.decide(lines);

        Map<Divergences, Integer> excluded = new EnumMap<>(Divergences.class);
        Map<String, Integer> decisions = new TreeMap<>();
        Map<String, Integer> shapes = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        List<String> oracleErrors = new ArrayList<>();
        Map<String, Integer> oracleErrorKinds = new TreeMap<>();
        List<String> ourErrors = new ArrayList<>();
        List<String> keyDisagreements = new ArrayList<>();
        int dropped = 0;
        int compared = 0;
        int agreed = 0;
        for (int i = 0; i < CASES; i++) {
            CaseGenerator.Case c = cases.get(i);
            JsonNode a = answers.get(i);
            IamSimulate.Answer b = theirs.get(i);
            assertThat(a.get("id").asText()).isEqualTo(c.id());
            assertThat(b.id()).isEqualTo(c.id());
            if (b.error() != null) {
                oracleErrors.add(c.id() + ": " + b.error() + "\n    " + c.line());
                oracleErrorKinds.merge(
                        b.error()
                                .replaceAll("\"(identity|scp|rcp|resource|boundary)[-0-9]*\"", "\"$1\"")
                                .replaceAll("Statement\\[\\d+\\]", "Statement[n]"),
                        1,
                        Integer::sum);
                continue;
            }
            if (a.has("error")) {
                ourErrors.add(c.id() + ": " + a.get("error").asText() + "\n    " + c.line());
                continue;
            }
            java.util.Set<String> ourIgnored = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            a.at("/explain/ignoredContext").forEach(k -> ourIgnored.add(k.asText()));
            java.util.Set<String> theirIgnored = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            theirIgnored.addAll(b.ignoredContextKeys());
            dropped += ourIgnored.size();
            if (!ourIgnored.equals(theirIgnored)) {
                keyDisagreements.add(c.id() + ": roleproof dropped " + ourIgnored + ", iam-simulate " + theirIgnored
                        + "\n    " + c.line());
            }
            var divergence = Divergences.of(c.json());
            if (divergence.isPresent()) {
                excluded.merge(divergence.get(), 1, Integer::sum);
                continue;
            }
            compared++;
            String ourDecision = a.get("decision").asText();
            decisions.merge(ourDecision, 1, Integer::sum);
            if (ourDecision.equals(b.decision())) {
                agreed++;
            } else {
                disagreements.add(
                        c.id() + ": roleproof " + ourDecision + ", iam-simulate " + b.decision() + "\n    " + c.line());
                shapes.merge(
                        shape(c.json()) + ": roleproof " + ourDecision + " / iam-simulate " + b.decision(),
                        1,
                        Integer::sum);
            }
        }
        // Every disagreement, for a closer look: target/iam-simulate-disagreements.txt.
        java.nio.file.Files.writeString(
                Path.of("target/iam-simulate-disagreements.txt"), String.join("\n", disagreements) + "\n");
        double agreement = compared == 0 ? 0 : (double) agreed / compared;
        System.out.printf(
                "iam-simulate differential: %d cases, %d compared, %d agree (%.2f%%); decisions %s; "
                        + "excluded by documented divergence %s; oracle errors %d; roleproof errors %d; "
                        + "context keys dropped %d, drop disagreements %d%n",
                CASES,
                compared,
                agreed,
                100 * agreement,
                decisions,
                excluded,
                oracleErrors.size(),
                ourErrors.size(),
                dropped,
                keyDisagreements.size());

        oracleErrorKinds.forEach((k, n) -> System.out.println("  oracle error x" + n + ": " + k));
        // The generator must stay inside what both sides accept, and must exercise every decision.
        assertThat(ourErrors).as("cases roleproof eval rejected").isEmpty();
        assertThat(oracleErrors.size())
                .as("cases iam-simulate rejected: %s", first(oracleErrors))
                .isLessThan(CASES / 100);
        assertThat(compared).as("cases compared outside the divergences").isGreaterThan(CASES * 85 / 100);
        assertThat(decisions.keySet()).containsExactlyInAnyOrder("Allowed", "ImplicitlyDenied", "ExplicitlyDenied");
        assertThat(decisions.get("Allowed")).isGreaterThan(compared / 10);
        assertThat(keyDisagreements)
                .as("cases where the two dropped different context keys: %s", first(keyDisagreements))
                .isEmpty();
        assertThat(dropped)
                .as("context keys dropped (the generator must send some that do not apply)")
                .isPositive();
        if (agreed < compared) {
            StringBuilder byShape = new StringBuilder();
            shapes.forEach((k, n) ->
                    byShape.append("  ").append(n).append(" x ").append(k).append('\n'));
            fail(String.format(
                    "only %.2f%% of %d decisions agree with iam-simulate (need all); disagreements by shape:%n"
                            + "%sfirst disagreements (all in target/iam-simulate-disagreements.txt):%n%s",
                    100 * agreement, compared, byShape, first(disagreements)));
        }
    }

    /** What kind of case it is: the caller's kind and the policy types present. */
    private static String shape(JsonNode c) {
        String p = c.path("request").path("principal").asText();
        String kind = p.endsWith(".amazonaws.com")
                ? "service"
                : p.contains(":assumed-role/")
                        ? "session"
                        : p.contains(":user/")
                                ? "user"
                                : p.contains(":role/") ? "role" : p.endsWith(":root") ? "root" : "anonymous";
        StringBuilder s = new StringBuilder(kind)
                .append(" ")
                .append(c.path("request").path("action").asText().split(":")[0].toLowerCase(java.util.Locale.ROOT));
        for (String f : new String[] {"resourcePolicy", "permissionsBoundary", "sessionPolicy", "scps", "rcps"}) {
            if (c.hasNonNull(f)) {
                s.append(" +").append(f);
            }
        }
        return s.toString();
    }

    private static String first(List<String> items) {
        return String.join("\n", items.subList(0, Math.min(8, items.size())));
    }
}
