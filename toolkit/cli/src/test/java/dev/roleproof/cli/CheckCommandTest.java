package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `roleproof check` end to end in-process: stdout, stderr and exit code for good, mutated and unusable input. */
class CheckCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RoleProofCommand.run(new ByteArrayInputStream(new byte[0]), out, err, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null
                && !(Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("toolkit")))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root").isNotNull();
        return p;
    }

    static String a() {
        return root().resolve("template.yaml").toString();
    }

    static String b() {
        return root().resolve("target-account/template.yaml").toString();
    }

    /** A copy of the reference template with one textual edit (the edit must apply exactly once). */
    static Path mutant(Path dir, String from, String to) throws IOException {
        String text = Files.readString(root().resolve("template.yaml"));
        assertThat(text.indexOf(from)).as("edit '" + from + "' applies").isGreaterThanOrEqualTo(0);
        Path file = dir.resolve("template.yaml");
        Files.writeString(
                file,
                text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return file;
    }

    @Test
    void referenceWithTargetExitsZeroWithExactJsonShape() throws IOException {
        Run r = run(
                "check",
                a(),
                "--format",
                "json",
                "--account",
                "111111111111",
                "--region",
                "us-east-1",
                "--target",
                b(),
                "--target-account",
                "222222222222");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        JsonNode json = MAPPER.readTree(r.out());
        assertThat(names(json)).containsExactly("patterns", "findings");
        assertThat(json.get("patterns")).hasSize(4);
        for (JsonNode p : json.get("patterns")) {
            assertThat(names(p)).containsExactly("function", "pattern", "verdict", "checks");
            assertThat(p.get("verdict").asText()).isEqualTo("PASS");
            assertThat(p.get("checks")).isNotEmpty();
        }
        for (JsonNode f : json.get("findings")) {
            assertThat(names(f)).containsExactly("rule", "severity", "resource", "message", "fix", "line");
            assertThat(f.get("severity").asText()).isNotEqualTo("error");
        }
    }

    @Test
    void wrongTrustServiceExitsOneWithAnErrorAtTheRole(@TempDir Path dir) throws IOException {
        Path t = mutant(dir, "Service: lambda.amazonaws.com", "Service: ec2.amazonaws.com");
        Run r = run("check", t.toString(), "--format", "json");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        JsonNode findings = MAPPER.readTree(r.out()).get("findings");
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("trust-lambda");
            assertThat(f.get("severity").asText()).isEqualTo("error");
            assertThat(f.get("resource").asText()).isEqualTo("SqsConsumerRole");
            assertThat(f.get("line").asInt()).isPositive();
            assertThat(f.get("fix").asText()).contains("lambda.amazonaws.com");
        });
    }

    @Test
    void wrongExternalIdFailsOnlyWithTheTarget(@TempDir Path dir) throws IOException {
        Path t = mutant(dir, "Default: roleproof-demo-external-id", "Default: some-other-id");
        assertThat(run("check", t.toString(), "--format", "json").code()).isZero();
        Run r = run("check", t.toString(), "--format", "json", "--target", b());
        assertThat(r.code()).isEqualTo(1);
        assertThat(MAPPER.readTree(r.out()).get("findings")).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("assume-role");
            assertThat(f.get("resource").asText()).isEqualTo("CrossAccountReaderFunction");
        });
    }

    @Test
    void warningsFailOnlyWithFailOnWarning(@TempDir Path dir) throws IOException {
        Path t = mutant(dir, "VisibilityTimeout: 180", "VisibilityTimeout: 60");
        assertThat(run("check", t.toString(), "--format", "json").code()).isZero();
        Run r = run("check", t.toString(), "--format", "json", "--fail-on", "warning");
        assertThat(r.code()).isEqualTo(1);
        assertThat(MAPPER.readTree(r.out()).get("findings")).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("visibility-timeout");
            assertThat(f.get("resource").asText()).isEqualTo("OrdersQueue");
        });
    }

    @Test
    void sarifIsValid210(@TempDir Path dir) throws IOException {
        Path t = mutant(dir, "Service: lambda.amazonaws.com", "Service: ec2.amazonaws.com");
        Run r = run("check", t.toString(), "--format", "sarif", "--target", b());
        assertThat(r.code()).isEqualTo(1);
        JsonNode sarif = MAPPER.readTree(r.out());
        JsonSchema schema;
        try (InputStream in = CheckCommandTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(sarif);
        assertThat(errors).isEmpty();
        JsonNode run = sarif.get("runs").get(0);
        assertThat(run.at("/tool/driver/rules")).isNotEmpty();
        assertThat(run.get("results")).anySatisfy(res -> {
            assertThat(res.get("ruleId").asText()).isEqualTo("trust-lambda");
            assertThat(res.get("level").asText()).isEqualTo("error");
            assertThat(res.at("/locations/0/physicalLocation/region/startLine").asInt())
                    .isPositive();
            assertThat(res.at("/locations/0/physicalLocation/artifactLocation/uri")
                            .asText())
                    .endsWith("template.yaml");
        });
        // A result of account B's template points at B's file.
        assertThat(run.get("results"))
                .anySatisfy(res -> assertThat(res.at("/locations/0/physicalLocation/artifactLocation/uri")
                                .asText())
                        .endsWith("target-account/template.yaml"));
    }

    @Test
    void schemaCatchesAnInvalidLog() throws IOException {
        // The validator must be able to fail: a log without "runs" and with a bad level is rejected.
        JsonSchema schema;
        try (InputStream in = CheckCommandTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        JsonNode bad = MAPPER.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
                + "\"results\":[{\"level\":\"fatal\",\"message\":{\"text\":\"m\"}}]}]}");
        assertThat(schema.validate(bad)).isNotEmpty();
    }

    @Test
    void samconfigEnvironmentsApplyToBothTemplates() throws IOException {
        // samconfig's default (A) and target (B) environments agree on the ExternalId: the chain holds.
        Run both = run(
                "check",
                a(),
                "--config-env",
                "default",
                "--target",
                b(),
                "--target-config-env",
                "target",
                "--format",
                "json");
        assertThat(both.code()).as(both.err()).isZero();
        // A's environment alone changes A's ExternalId, which B's defaults do not expect: the trust policy denies.
        Run onlyA = run("check", a(), "--config-env", "default", "--target", b(), "--format", "json");
        assertThat(onlyA.code()).isEqualTo(1);
        assertThat(MAPPER.readTree(onlyA.out()).get("findings")).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("assume-role");
            assertThat(f.get("message").asText()).contains("sts:ExternalId");
        });
        Run missing = run("check", a(), "--samconfig", "/nonexistent/samconfig.toml");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip().lines()).hasSize(1);
    }

    /**
     * Issue 14's acceptance: a misspelt action, an object action on the bucket ARN and a broad AWS managed policy
     * (AmazonS3FullAccess) are found on a template written for this test; the X-Ray policy SAM attaches for
     * {@code Tracing: Active} raises nothing.
     */
    @Test
    void iamVocabularyFindingsOnATemplateWrittenForThem() throws Exception {
        Path template = Path.of(
                CheckCommandTest.class.getResource("/check/vocabulary.yaml").toURI());
        Run r = run("check", template.toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> findings = new ArrayList<>();
        for (JsonNode f : MAPPER.readTree(r.out()).get("findings")) {
            findings.add(f.get("rule").asText() + ": " + f.get("message").asText() + " fix: "
                    + f.get("fix").asText());
        }
        assertThat(findings)
                .anySatisfy(f -> assertThat(f)
                        .startsWith("unknown-action: ")
                        .contains("s3:GetObjekt")
                        .contains("did you mean s3:GetObject?"))
                .anySatisfy(f -> assertThat(f)
                        .startsWith("resource-type-mismatch: ")
                        .contains("s3:GetObject on [arn:aws:s3:::roleproof-reports]")
                        .contains("fix: grant s3:GetObject on arn:aws:s3:::roleproof-reports/*"))
                .anySatisfy(f -> assertThat(f)
                        .startsWith("broad-managed-policy: ")
                        .contains("AmazonS3FullAccess: grants s3:*, s3-object-lambda:* on \"*\"")
                        .contains("incl. Permissions management")
                        .contains("fix: replace AmazonS3FullAccess with the scoped statements")
                        .contains("arn:aws:s3:::roleproof-reports/*"))
                .noneSatisfy(f -> assertThat(f).containsIgnoringCase("xray"));
        // SAM attached it for Tracing: Active, and the model knows its real document.
        var role = dev.roleproof.template.TemplateLoader.load(template, dev.roleproof.template.LoadOptions.defaults())
                .role("ReportFunctionRole")
                .orElseThrow();
        assertThat(role.policies()).anySatisfy(p -> {
            assertThat(p.arn()).isEqualTo("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess");
            assertThat(p.policy()).isNotNull();
        });
    }

    @Test
    void helpDocumentsTheCallsFormat() {
        Run r = run("check", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("RoleProof:")
                .contains("Calls:")
                .contains("As: !Ref TargetRoleArn")
                .contains("arn:${AWS::Partition}:s3:::${BucketName}/*")
                .contains("--target")
                .contains("Exit codes");
    }

    @Test
    void mermaidHasOneFlowchartPerPattern() {
        Run r = run("check", a(), "--format", "mermaid", "--target", b());
        assertThat(r.code()).isZero();
        assertThat(r.out().split("```mermaid", -1)).hasSize(5);
        assertThat(r.out()).contains("flowchart LR").contains("### s3-push: S3ObjectProcessorFunction");
    }

    @Test
    void textIsGroupedByPatternWithoutColourWhenNotATerminal() {
        Run r = run("check", a(), "--target", b());
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("\u001b[");
        assertThat(r.out()).contains("sqs-esm  SqsConsumerFunction  PASS").contains("cross-account");
        assertThat(r.out().lines().reduce((x, y) -> y).orElse("")).contains("4 pattern(s), 4 passed");
        // Without --target the assumed role's call cannot be judged: a note, the pattern UNKNOWN, still exit 0.
        Run alone = run("check", a());
        assertThat(alone.code()).isZero();
        assertThat(alone.out())
                .contains("cross-account  CrossAccountReaderFunction  UNKNOWN")
                .contains("1 note(s)");
    }

    @Test
    void unusableInputsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {dir.resolve("missing.yaml").toString(), "no such file"});
        Path badYaml = dir.resolve("bad.yaml");
        Files.writeString(badYaml, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: [\n");
        cases.add(new String[] {badYaml.toString(), "bad.yaml:"});
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(
                unknown,
                "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                        + "      QueueName: {\"Fn::Foo\": x}\n");
        cases.add(new String[] {unknown.toString(), "Fn::Foo"});
        Path cyclic = dir.resolve("cyclic.yaml");
        Files.writeString(
                cyclic,
                "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                        + "      QueueName: !GetAtt B.QueueName\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                        + "      QueueName: !GetAtt A.QueueName\n");
        cases.add(new String[] {cyclic.toString(), "cycl"});
        Path param = dir.resolve("param.yaml");
        Files.writeString(
                param,
                "Parameters:\n  Name:\n    Type: String\nResources:\n  Q:\n"
                        + "    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Name\n");
        cases.add(new String[] {param.toString(), "Name"});
        for (String[] c : cases) {
            Run r = run("check", c[0]);
            assertThat(r.code()).as(c[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains(c[1]).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
        Run badAccount = run("check", a(), "--account", "12");
        assertThat(badAccount.code()).isEqualTo(2);
        assertThat(badAccount.err().strip().lines()).hasSize(1);
        Run badFormat = run("check", a(), "--fail-on", "sometimes");
        assertThat(badFormat.code()).isEqualTo(2);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
