package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's hostile inputs through the launcher, as a user meets them, each in a JVM with at most 1 GB of heap
 * (ROLEPROOF_JAVA_OPTS=-Xmx1g): exit 2 and one stderr line naming the problem, nothing on stdout, within a bound.
 * Prints each case's time.
 */
class HostileInputIT {

    private static final Map<String, String> ONE_GB = Map.of("ROLEPROOF_JAVA_OPTS", "-Xmx1g");
    private static final String QUEUE = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static void refused(String name, Path template, String expected, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("check", template.toString()));
        args.addAll(List.of(more));
        Launcher.Run r = Launcher.run(ONE_GB, null, 120, args.toArray(String[]::new));
        System.out.printf("hostile input %-38s exit %d in %5.2f s: %s", name, r.exit(), r.seconds(), r.err());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception", "Error:");
    }

    @Test
    void templatesThatCrashedOrHung() throws Exception {
        refused(
                "recursive anchor",
                file(
                        "recursive.yaml",
                        "&a\nResources:\n  X:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *a\n"),
                "recursive YAML alias");
        refused(
                "1,500 nested [",
                file("brackets.yaml", "Resources: " + "[".repeat(1500) + "]".repeat(1500)),
                "(limit maxDepth)");
        String join = "\"x\"";
        for (int i = 0; i < 500; i++) {
            join = "{\"Fn::Join\": [\"\", [" + join + "]]}";
        }
        refused(
                "500 nested Fn::Join",
                file("join.yaml", QUEUE + "      QueueName: " + join + "\n"),
                "(limit maxDepth)");
        refused(
                "10k-deep nesting",
                file("deep.yaml", "Resources: " + "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000)),
                "(limit maxDepth)");
        String big = "x".repeat(100_000);
        refused(
                "alias of 100 KB scalar x 20,000",
                file(
                        "alias.yaml",
                        QUEUE + "      QueueName: &b " + big + "\n      Tags:\n" + "        - *b\n".repeat(20_000)),
                "(limit maxAliasExpansion)");
        refused(
                "Fn::Join of the same aliases",
                file(
                        "aliasjoin.yaml",
                        "Parameters:\n  P:\n    Type: String\n    Default: &b " + big + "\n" + QUEUE
                                + "      QueueName: !Join\n        - \"\"\n        -\n"
                                + "          - *b\n".repeat(20_000)),
                "(limit maxAliasExpansion)");
        refused(
                "10 MB scalar",
                file("scalar.yaml", QUEUE + "      QueueName: " + "x".repeat(10_000_000) + "\n"),
                "(limit maxTemplateBytes");
        refused("/dev/zero", Path.of("/dev/zero"), "not a regular file");
        Path fifo = dir.resolve("pipe");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .as("mkfifo")
                .isTrue();
        refused("named pipe without a writer", fifo, "not a regular file");
    }

    @Test
    void inputsThatWereAcceptedSilently() throws Exception {
        refused(
                "!!python/object",
                file("python.yaml", "Resources:\n  Q: !!python/object:os.system\n    Type: AWS::SQS::Queue\n"),
                "unsupported YAML tag '!!python/object:os.system'");
        refused(
                "duplicate JSON keys",
                file(
                        "dup.json",
                        "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}, \"Q\": {\"Type\": \"AWS::SNS::Topic\"}}}"),
                "Duplicate field 'Q'");
        refused(
                "trailing comma in JSON",
                file("comma.json", "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\",},}}"),
                "bad JSON");
        Path template = CheckCommandTest.root().resolve("template.yaml");
        refused("--param Key without =", template, "should be in KEY=VALUE format", "--param", "TargetAccountId");
        refused(
                "AllowedPattern violated",
                template,
                "not matched by its AllowedPattern",
                "--param",
                "TargetAccountId=12345");
        Path samconfig = file(
                "samconfig.toml",
                "version = 0.1\n[default.deploy.parameters]\nparameter_overrides = \"TargetAccountId=\\\"222222222222"
                        + " ExternalId=x\"\n");
        refused("malformed samconfig quote", template, "is never closed", "--samconfig", samconfig.toString());
        refused(
                "identity statement without Resource",
                file(
                        "noresource.yaml",
                        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
                                + "        Statement:\n          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
                                + " Action: sts:AssumeRole}\n      Policies:\n        - PolicyName: p\n"
                                + "          PolicyDocument:\n            Statement:\n"
                                + "              - {Effect: Allow, Action: sqs:*}\n"),
                "Missing Resource or NotResource in an identity-based policy");
    }

    @Test
    void theNotActionHoleIsAnErrorFinding() throws Exception {
        String reference = Files.readString(CheckCommandTest.root().resolve("template.yaml"));
        String hole = reference.replace(
                "                  - sqs:ReceiveMessage\n                  - sqs:DeleteMessage\n"
                        + "                  - sqs:GetQueueAttributes\n                Resource: !GetAtt OrdersQueue.Arn",
                "                  - sqs:ReceiveMessage\n                  - sqs:DeleteMessage\n"
                        + "                  - sqs:GetQueueAttributes\n                Resource: !GetAtt OrdersQueue.Arn\n"
                        + "              - {Effect: Allow, NotAction: \"iam:*\", NotResource: \"arn:aws:s3:::x\"}");
        assertThat(hole).isNotEqualTo(reference);
        Path t = file("hole.yaml", hole);
        Launcher.Run r = Launcher.run(ONE_GB, null, 120, "check", t.toString(), "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("\"rule\" : \"allow-everything-except\"");
    }

    @Test
    void evalLosesNoLine(@TempDir Path tmp) throws Exception {
        String good = EvalHostileInputTest.good("a");
        Path mixed = tmp.resolve("mixed.jsonl");
        Files.write(
                mixed,
                (good + "\n\u0000\u0000{\"id\":\"n\"}\n" + good.replace("\"a\"", "\"b\"") + "\r"
                                + good.replace("\"a\"", "\"c\""))
                        .getBytes(StandardCharsets.UTF_8));
        Launcher.Run r = Launcher.run(ONE_GB, mixed.toFile(), 60, "eval");
        assertThat(r.out().lines()).hasSize(4);
        assertThat(r.exit()).isEqualTo(2);
        Path ls = Path.of("/bin/ls");
        if (Files.isRegularFile(ls)) {
            Launcher.Run bin = Launcher.run(ONE_GB, ls.toFile(), 60, "eval");
            System.out.printf(
                    "eval < /bin/ls: %d error lines in %.2f s%n",
                    bin.out().lines().count(), bin.seconds());
            assertThat(bin.out().lines()).isNotEmpty().allMatch(l -> l.contains("\"error\""));
            assertThat(bin.exit()).isEqualTo(2);
        }
    }

    @Test
    void evalOnDevZeroAnswersTheOverLongLineAndKeepsReading() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Launcher.script().toString(), "eval")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/zero").toFile()))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ROLEPROOF_JAVA_OPTS", "-Xmx1g");
        Process p = pb.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long start = System.nanoTime();
            String first = out.readLine();
            System.out.printf(
                    "eval < /dev/zero: first line after %.2f s: %s%n", (System.nanoTime() - start) / 1e9, first);
            assertThat(first).contains("\"error\":\"line longer than 4,194,304 bytes");
            assertThat(p.isAlive()).as("still reading, in bounded memory").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
