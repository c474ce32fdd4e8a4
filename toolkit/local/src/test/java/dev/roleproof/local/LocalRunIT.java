package dev.roleproof.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roleproof.local.aws.MotoServer;
import dev.roleproof.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole of {@code roleproof local} on this machine: the reference stack deployed into a real moto server, the
 * four built functions run in their own JVMs, every call judged by the engine. Then each break must make its
 * pattern fail where a user would meet it in AWS, and roleproof check must say something about the same model.
 */
class LocalRunIT {

    static Path root;
    static MotoServer shared;

    @BeforeAll
    static void environment() {
        root = projectRoot();
        RequiredTool.require("moto_server");
        if (!built(root)) {
            RequiredTool.missing("the functions are not built (functions/*/target/lambda): run ./mvnw -B package");
        }
        shared = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void allFourPatternsPassEndToEnd() {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        // Starts and stops its own moto, as ./roleproof local does.
        LocalReport report = LocalRun.run(LocalOptions.defaults(root), progress::add);
        // A figure, not an assertion (2 shared cores make timings noisy): the goal is 15 s.
        System.out.printf("roleproof local: 4 patterns in %.1f s%n", report.durationMillis() / 1000.0);

        assertThat(report.patterns())
                .extracting(LocalReport.Pattern::pattern)
                .containsExactly("sqs-esm", "dynamodb-stream-esm", "s3-push", "cross-account");
        assertThat(report.patterns()).allSatisfy(p -> {
            assertThat(p.failures()).as(p.pattern()).isEmpty();
            assertThat(p.verdict()).as(p.pattern()).isEqualTo("PASS");
            JsonNode self = p.selfCheck();
            assertThat(self.path("verdict").asText()).isEqualTo("PASS");
            assertThat(self.path("identity").asText()).contains(":assumed-role/");
            assertThat(self.path("probes")).anySatisfy(probe -> {
                assertThat(probe.path("expected").asText()).isEqualTo("ALLOW");
                assertThat(probe.path("observed").asText()).isEqualTo("ALLOWED");
            });
            assertThat(self.path("probes")).anySatisfy(probe -> {
                assertThat(probe.path("expected").asText()).isEqualTo("DENY");
                assertThat(probe.path("observed").asText()).isEqualTo("DENIED");
            });
        });
        assertThat(report.verdict()).isEqualTo("PASS");
        assertThat(report.exitCode()).isZero();
        assertThat(progress).anyMatch(l -> l.startsWith("moto started"));

        JsonNode json = report.toJsonNode();
        assertThat(json.path("verdict").asText()).isEqualTo("PASS");
        assertThat(json.path("patterns"))
                .hasSize(4)
                .allSatisfy(p -> assertThat(p.fieldNames())
                        .toIterable()
                        .contains("pattern", "function", "verdict", "selfCheck", "observed"));

        // Observed least privilege: what Lambda and the handlers really used, per role.
        assertThat(needed(report, "sqs-esm"))
                .contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
        assertThat(needed(report, "dynamodb-stream-esm"))
                .contains(
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:DescribeStream",
                        "sqs:SendMessage");
        assertThat(needed(report, "s3-push")).contains("s3:GetObject", "logs:CreateLogStream", "logs:PutLogEvents");
        // The reference roles are least privilege: every grant of account A's four roles was exercised.
        assertThat(report.patterns())
                .allSatisfy(p -> assertThat(p.observed().path("grantedUnused"))
                        .as(p.pattern())
                        .isEmpty());
        JsonNode s3 = pattern(report, "s3-push");
        assertThat(s3.path("steps").toString()).contains("monthly report");
        assertThat(report.patterns()
                        .get(2)
                        .observed()
                        .path("serviceCalls")
                        .get(0)
                        .path("decision")
                        .asText())
                .isEqualTo("Allowed");
        JsonNode xacct = report.patterns().get(3).observed();
        assertThat(xacct.path("minimalPolicy").toString()).contains("sts:AssumeRole");
        assertThat(xacct.path("assumedRoles").get(0).path("minimalPolicy").toString())
                .contains("dynamodb:GetItem");
        // The forbidden probes are denied and marked as expected, not as missing permissions.
        assertThat(report.patterns())
                .allSatisfy(p -> assertThat(p.observed().path("usedDenied"))
                        .allSatisfy(d -> assertThat(d.path("expected").asBoolean())
                                .as(d.toString())
                                .isTrue()));
    }

    /** Each break: what the run's failure says (as AWS would), and the action roleproof check names for it. */
    static Stream<Arguments> breaks() {
        return Stream.of(
                Arguments.of(
                        "sqs-no-receive",
                        "does not have permissions to call ReceiveMessage on SQS",
                        "sqs:ReceiveMessage"),
                Arguments.of(
                        "sqs-wrong-queue",
                        "does not have permissions to call ReceiveMessage on SQS",
                        "sqs:ReceiveMessage"),
                Arguments.of("stream-no-getrecords", "Cannot access stream", "dynamodb:GetRecords"),
                Arguments.of("stream-no-destination-send", "on-failure destination", "sqs:SendMessage"),
                Arguments.of(
                        "s3-no-permission",
                        "Unable to validate the following destination configurations",
                        "lambda:InvokeFunction"),
                Arguments.of(
                        "s3-permission-other-bucket",
                        "Unable to validate the following destination configurations",
                        "lambda:InvokeFunction"),
                Arguments.of("xacct-no-assume", "sts:AssumeRole", "sts:AssumeRole"),
                Arguments.of("xacct-trust-other-role", "AssumeRole", "sts:AssumeRole"),
                Arguments.of("xacct-wrong-external-id", "AssumeRole", "sts:AssumeRole"),
                Arguments.of("xacct-b-no-getitem", "GetItem", "dynamodb:GetItem"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaks")
    void everyBreakFailsWhereExpected(String name, String failureMentions, String checkNames) {
        shared.reset();
        LocalReport report =
                LocalRun.run(LocalOptions.defaults(root).withBreak(name).withEndpoint(shared.endpoint()), line -> {});

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.patterns()).hasSize(1);
        LocalReport.Pattern p = report.patterns().get(0);
        assertThat(p.pattern()).isEqualTo(Break.named(name).orElseThrow().pattern());
        assertThat(p.verdict()).isEqualTo("FAIL");
        assertThat(String.join("\n", p.failures())).contains(failureMentions);
        assertThat(report.broken().name()).isEqualTo(name);
        assertThat(report.broken().fix()).isNotBlank();
        // roleproof check, run on the same broken model, reports an error on the same action.
        assertThat(report.broken().check()).anyMatch(c -> c.contains(": error ") && c.contains(checkNames));
        assertThat(report.toText()).contains("break " + name, "fix:", "roleproof check on the same broken templates");
    }

    /**
     * Issue 17: a self-check whose calls do not answer within its bound (a busy machine; here a bound of 1 ms in the
     * template, and the self-check only on demand, so no call has had a head start) is INCONCLUSIVE, asked again once,
     * and the run says the environment was too slow (exit 2): never FAIL.
     */
    @Test
    void aSelfCheckThatTimesOutIsInconclusiveNeverFail(@TempDir Path dir) throws Exception {
        shared.reset();
        Path template = dir.resolve("template.yaml");
        Files.copy(root.resolve("samconfig.toml"), dir.resolve("samconfig.toml"));
        Files.writeString(
                template,
                Files.readString(root.resolve("template.yaml"))
                        .replace(
                                "          ROLEPROOF_SELF_CHECK: first\n",
                                "          ROLEPROOF_SELF_CHECK: \"off\"\n          ROLEPROOF_SELF_CHECK_TIMEOUT_MS: \"1\"\n"));
        LocalOptions options = new LocalOptions(
                        root, template, root.resolve("target-account/template.yaml"), null, null, null, null)
                .withEndpoint(shared.endpoint());

        LocalReport report = LocalRun.run(options, line -> {});

        assertThat(report.verdict()).isEqualTo("INCONCLUSIVE");
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.patterns()).allSatisfy(p -> {
            assertThat(p.verdict()).as(p.pattern()).isEqualTo("INCONCLUSIVE");
            assertThat(p.steps()).as(p.pattern()).anyMatch(s -> s.contains("invoking it again on demand"));
        });
        assertThat(report.inconclusiveReason()).contains("the environment was too slow");
        assertThat(report.toText())
                .contains("INCONCLUSIVE: 0 of 4 patterns passed")
                .doesNotContain("FAIL");
    }

    @Test
    void breaksAreListedNameFirstAtLeastTwoPerPattern() {
        assertThat(LocalRun.breaks()).hasSizeGreaterThanOrEqualTo(8);
        for (String pattern : LocalRun.PATTERNS) {
            assertThat(LocalRun.breaks().stream()
                            .filter(b -> b[1].equals(pattern))
                            .count())
                    .as(pattern)
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void unknownBreakIsAOneLineUserError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> LocalRun.run(LocalOptions.defaults(root).withBreak("no-such-break"), line -> {}))
                .isInstanceOf(LocalException.class)
                .hasMessage("unknown break 'no-such-break'; list them with: roleproof local --list-breaks");
    }

    private static List<String> needed(LocalReport report, String pattern) {
        List<String> actions = new ArrayList<>();
        LocalReport.Pattern p = report.patterns().stream()
                .filter(x -> x.pattern().equals(pattern))
                .findFirst()
                .orElseThrow();
        for (JsonNode s : p.observed().path("minimalPolicy").path("Statement")) {
            s.path("Action").forEach(a -> actions.add(a.asText()));
        }
        return actions;
    }

    private static JsonNode pattern(LocalReport report, String pattern) {
        for (JsonNode p : report.toJsonNode().path("patterns")) {
            if (p.path("pattern").asText().equals(pattern)) {
                return p;
            }
        }
        throw new AssertionError("no pattern " + pattern);
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null
                && !(Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("functions")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root (template.yaml and functions/) above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static boolean built(Path root) {
        return Stream.of("sqs-consumer", "ddb-stream-processor", "s3-object-processor", "cross-account-reader")
                .allMatch(f ->
                        Files.isDirectory(root.resolve("functions").resolve(f).resolve("target/lambda/lib")));
    }
}
