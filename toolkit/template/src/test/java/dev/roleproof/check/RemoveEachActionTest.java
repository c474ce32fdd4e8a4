package dev.roleproof.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The mutation corpus built from the reference templates' own trees: every action of every role statement (account A
 * and B) is removed in turn, and so is every trust statement. Each removal of a needed action must produce a finding
 * of the expected rule at the role (or, for B, at the function that makes the call); the only action no need uses
 * (B's dynamodb:Query) must leave the check without errors.
 */
class RemoveEachActionTest {

    private static final JsonNode A = Mutants.tree(CheckFixtures.referenceA());
    private static final JsonNode B = Mutants.tree(CheckFixtures.referenceB());

    /** The rule a removed action must trip, by action; severity error unless listed in ADVISORY. */
    private static final Map<String, String> RULE = Map.ofEntries(
            Map.entry("sqs:ReceiveMessage", "esm-source"),
            Map.entry("sqs:DeleteMessage", "esm-source"),
            Map.entry("sqs:GetQueueAttributes", "esm-source"),
            Map.entry("dynamodb:DescribeStream", "esm-source"),
            Map.entry("dynamodb:GetRecords", "esm-source"),
            Map.entry("dynamodb:GetShardIterator", "esm-source"),
            Map.entry("dynamodb:ListStreams", "esm-source"),
            Map.entry("sqs:SendMessage", "esm-on-failure"),
            Map.entry("logs:CreateLogStream", "logs"),
            Map.entry("logs:PutLogEvents", "logs"),
            Map.entry("s3:GetObject", "declared-call"),
            Map.entry("sts:AssumeRole", "assume-role"),
            Map.entry("dynamodb:GetItem", "assumed-role-call"));

    private static final List<String> ADVISORY = List.of("dynamodb:ListStreams");
    private static final List<String> UNUSED = List.of("dynamodb:Query");

    @TestFactory
    Stream<DynamicTest> removeEachAction() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean inB : List.of(false, true)) {
            JsonNode tree = inB ? B : A;
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            tree.get("Resources").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> res = it.next();
                if (!"AWS::IAM::Role".equals(res.getValue().path("Type").asText())) {
                    continue;
                }
                String role = res.getKey();
                JsonNode policies = res.getValue().path("Properties").path("Policies");
                for (int p = 0; p < policies.size(); p++) {
                    JsonNode statements = policies.get(p).path("PolicyDocument").path("Statement");
                    for (int s = 0; s < statements.size(); s++) {
                        String base =
                                "/Resources/" + role + "/Properties/Policies/" + p + "/PolicyDocument/Statement/" + s;
                        JsonNode action = statements.get(s).get("Action");
                        List<String> actions = new ArrayList<>();
                        action.forEach(a -> actions.add(a.asText()));
                        if (action.isTextual()) {
                            actions.add(action.asText());
                        }
                        for (int k = 0; k < actions.size(); k++) {
                            String path = actions.size() == 1 ? base : base + "/Action/" + k;
                            String name = (inB ? "B " : "A ") + role + " without " + actions.get(k);
                            String removed = actions.get(k);
                            tests.add(DynamicTest.dynamicTest(name, () -> removal(inB, path, role, removed)));
                        }
                    }
                }
                // A trust policy cannot be empty: its statement is replaced by one that trusts someone else.
                String trust = "/Resources/" + role + "/Properties/AssumeRolePolicyDocument/Statement/0";
                tests.add(DynamicTest.dynamicTest(
                        (inB ? "B " : "A ") + role + " trusting someone else",
                        () -> removal(inB, trust, role, inB ? "trust-b" : "trust-a")));
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    private static void removal(boolean inB, String path, String role, String removed) {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        if (removed.startsWith("trust-")) {
            var op = patch.addObject().put("op", "replace").put("path", path);
            var st = op.putObject("value").put("Effect", "Allow").put("Action", "sts:AssumeRole");
            st.putObject("Principal").put("Service", "ec2.amazonaws.com");
        } else {
            patch.addObject().put("op", "remove").put("path", path);
        }
        Report r = Checker.create()
                .check(
                        Mutants.loadA(inB ? A : Mutants.patch(A, patch)),
                        Mutants.loadB(inB ? Mutants.patch(B, patch) : B));
        String rule;
        String at;
        String severity = ADVISORY.contains(removed) ? "warning" : "error";
        if (removed.equals("trust-a")) {
            rule = "trust-lambda";
            at = role;
        } else if (removed.equals("trust-b")) {
            rule = "assume-role";
            at = "CrossAccountReaderFunction";
        } else if (UNUSED.contains(removed)) {
            assertThat(r.hasFindingsAtLeast(Severity.ERROR))
                    .as(CaseFilesTest.describe(r))
                    .isFalse();
            return;
        } else {
            rule = RULE.get(removed);
            at = inB ? "CrossAccountReaderFunction" : role;
        }
        assertThat(rule).as("expected rule for " + removed).isNotNull();
        assertThat(r.findings())
                .as(CaseFilesTest.describe(r))
                .anyMatch(f -> f.rule().equals(rule)
                        && f.resource().equals(at)
                        && f.severity().label().equals(severity));
        assertThat(r.hasFindingsAtLeast(Severity.ERROR)).isEqualTo(severity.equals("error"));
    }
}
