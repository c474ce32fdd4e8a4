package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.template.internal.Samconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's hostile templates, in process: each is one TemplateException line naming its limit or rule, never a
 * StackOverflowError, an OutOfMemoryError or a hang. (HostileInputIT runs the same through the launcher with a 1 GB
 * heap.)
 */
class HostileTemplatesTest {

    private static final String QUEUE = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n";

    private static TemplateException error(String text) {
        return error(text, Map.of());
    }

    private static TemplateException error(String text, Map<String, String> params) {
        return Templates.error(text, params);
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void recursiveAnchorIsRefused() {
        // The 80-byte template: Tags alias the whole document.
        TemplateException e =
                error("&a\nResources:\n  X:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *a\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:1: recursive YAML alias: anchor &a contains an alias of itself");
    }

    @Test
    void fifteenHundredNestedBracketsStopAtTheDepthLimit() {
        TemplateException e = error("Resources: " + "[".repeat(1500) + "]".repeat(1500) + "\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:1: nesting deeper than 100 levels (limit maxDepth)");
    }

    @Test
    void tenThousandNestedMappingsStopAtTheDepthLimit() {
        TemplateException e = error("Resources: " + "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n");
        assertThat(e.getMessage()).contains("nesting deeper than 100 levels (limit maxDepth)");
    }

    @Test
    void fiveHundredNestedJoinsStopAtTheDepthLimit() {
        String v = "\"x\"";
        for (int i = 0; i < 500; i++) {
            v = "{\"Fn::Join\": [\"\", [" + v + "]]}";
        }
        TemplateException e = error(QUEUE + "      QueueName: " + v + "\n");
        assertThat(e.getMessage()).contains("(limit maxDepth)").startsWith("t.yaml:5:");
    }

    @Test
    void aliasesCannotNestDeeperThanTheLimit() {
        StringBuilder sb = new StringBuilder("Mappings:\n  M: &l0 [x]\n");
        // Each level aliases the previous one inside a list: the text is shallow, the expansion is not.
        for (int i = 1; i <= 120; i++) {
            sb.append("  L")
                    .append(i)
                    .append(": &l")
                    .append(i)
                    .append(" [*l")
                    .append(i - 1)
                    .append("]\n");
        }
        TemplateException e = error(sb + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
        assertThat(e.getMessage()).contains("once YAML aliases are expanded (limit maxDepth)");
    }

    @Test
    void jsonNestingStopsAtTheSameLimit() {
        TemplateException e = error("{\"Resources\": " + "[".repeat(1000) + "]".repeat(1000) + "}");
        assertThat(e.getMessage()).isEqualTo("t.yaml:1: nesting deeper than 100 levels (limit maxDepth)");
    }

    // ------------------------------------------------------------------ size

    @Test
    void anAliasOfALargeScalarRepeatedStopsEarly() {
        // 20,000 aliases of a 100 KB scalar would be 2 GB: the expansion stops after about 84 of them.
        StringBuilder sb =
                new StringBuilder(QUEUE).append("      QueueName: &b ").append("x".repeat(100_000));
        sb.append("\n      Tags:\n");
        sb.append("        - *b\n".repeat(20_000));
        TemplateException e = error(sb.toString());
        assertThat(e.getMessage())
                .isEqualTo("t.yaml:5: YAML aliases of anchor &b (and others) expand the template by more than"
                        + " 8,388,608 characters (limit maxAliasExpansion)");
    }

    @Test
    void theJoinFormOfTheSameAliasesStopsToo() {
        StringBuilder sb = new StringBuilder("Parameters:\n  P:\n    Type: String\n    Default: &b ");
        sb.append("x".repeat(100_000))
                .append("\n")
                .append(QUEUE)
                .append("      QueueName: !Join\n        - \"\"\n        -\n");
        sb.append("          - *b\n".repeat(20_000));
        assertThat(error(sb.toString()).getMessage()).contains("(limit maxAliasExpansion)");
    }

    @Test
    void aJoinOfManyParameterRefsStopsAtTheStringLimit() {
        // No alias: 10,000 Refs to a 4,000-character parameter would build a 40 MB string.
        StringBuilder sb = new StringBuilder("Parameters:\n  P:\n    Type: String\n    Default: ");
        sb.append("y".repeat(4000))
                .append("\n")
                .append(QUEUE)
                .append("      QueueName: !Join\n        - \"\"\n        -\n");
        sb.append("          - !Ref P\n".repeat(10_000));
        assertThat(error(sb.toString()).getMessage())
                .isEqualTo(
                        "t.yaml:9: Fn::Join builds a string longer than 1,048,576 characters (limit maxStringLength)");
    }

    @Test
    void subAndBase64AreBoundedToo() {
        String prelude = "Parameters:\n  P:\n    Type: String\n    Default: " + "z".repeat(4000) + "\n";
        String sub = "\"" + "${P}".repeat(300) + "\"";
        assertThat(error(prelude + QUEUE + "      QueueName: !Sub " + sub + "\n")
                        .getMessage())
                .contains("Fn::Sub builds a string longer than");
        Limits small = new Limits(8L << 20, 100, 8L << 20, 5_000, 64L << 20, 10_000_000L);
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(
                TemplateException.class,
                () -> TemplateLoader.load(
                        "t.yaml",
                        prelude + QUEUE + "      QueueName: !Base64 {Ref: P}\n",
                        Path.of("t.yaml"),
                        LoadOptions.defaults().withLimits(small)));
        assertThat(e.getMessage()).contains("Fn::Base64 builds a string longer than 5,000 characters");
    }

    @Test
    void cidrCountIsCloudFormationsRange() {
        assertThat(error(QUEUE + "      QueueName: !Select [0, !Cidr [10.0.0.0/8, 2000000000, 8]]\n")
                        .getMessage())
                .contains("Fn::Cidr count must be a number from 1 to 256, not '2000000000'");
        assertThat(error(QUEUE + "      QueueName: !Select [0, !Cidr [10.0.0.0/8, many, 8]]\n")
                        .getMessage())
                .contains("not 'many'");
    }

    @Test
    void aTenMegabyteScalarIsRefusedBySizeAndAFourMegabyteOneIsReadFast() {
        TemplateException e = error(QUEUE + "      QueueName: " + "x".repeat(10_000_000) + "\n");
        assertThat(e.getMessage()).contains("larger than 8,388,608 characters (limit maxTemplateBytes");
        // Read in linear time (it took seconds when snakeyaml refilled its window per 1,024 characters).
        SamTemplate t = Templates.load(QUEUE + "      Tags: [{Key: k, Value: " + "x".repeat(4_000_000) + "}]\n");
        assertThat(t.resources()).hasSize(1);
    }

    @Test
    void aConditionChainLongerThanTheStackIsOneLine() {
        StringBuilder sb = new StringBuilder("Conditions:\n  C0: !Equals [a, a]\n");
        for (int i = 1; i < 20_000; i++) {
            sb.append("  C").append(i).append(": !Condition C").append(i - 1).append('\n');
        }
        sb.append("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C19999\n");
        assertThat(error(sb.toString()).getMessage())
                .isEqualTo("t.yaml: references in the template chain too deeply to follow (conditions, Refs or"
                        + " GetAtts naming each other in a long chain)");
    }

    // ------------------------------------------------------------------ files

    @Test
    void devicesDirectoriesAndOversizedFilesAreRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertThat(loadError(zero))
                    .isEqualTo("/dev/zero: cannot read template: not a regular file (a pipe,"
                            + " device or socket); give a file");
        }
        assertThat(loadError(dir)).isEqualTo(dir + ": cannot read template: it is a directory");
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[(8 << 20) + 1]);
        assertThat(loadError(big))
                .isEqualTo(big + ": template is larger than 8,388,608 bytes (limit maxTemplateBytes; CloudFormation"
                        + " accepts at most 1 MB)");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(loadError(latin1)).isEqualTo(latin1 + ": cannot read template: not UTF-8 text");
    }

    private static String loadError(Path file) {
        try {
            TemplateLoader.load(file, LoadOptions.defaults());
        } catch (TemplateException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a TemplateException for " + file);
    }

    // ------------------------------------------------------------------ syntax

    @Test
    void pythonAndOtherGlobalTagsAreRefused() {
        assertThat(error("Resources:\n  Q: !!python/object:os.system\n    Type: AWS::SQS::Queue\n")
                        .getMessage())
                .startsWith("t.yaml:2: unsupported YAML tag '!!python/object:os.system'");
        assertThat(error(QUEUE + "      QueueName: !!binary aGVsbG8=\n").getMessage())
                .startsWith("t.yaml:5: unsupported YAML tag '!!binary'");
        assertThat(error(QUEUE + "      QueueName: !<tag:example.com,2000:app/x> y\n")
                        .getMessage())
                .startsWith("t.yaml:5: unsupported YAML tag 'tag:example.com,2000:app/x'");
        assertThat(error(QUEUE + "      Tags: !!set {a, b}\n").getMessage())
                .startsWith("t.yaml:5: unsupported YAML tag '!!set'");
        // The core schema's own tags stay fine.
        assertThat(Templates.load(QUEUE + "      QueueName: !!str 012\n").resources())
                .hasSize(1);
    }

    @Test
    void jsonTemplatesAreStrict() {
        String ok = "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        assertThat(Templates.load(ok).resources()).hasSize(1);
        assertThat(error(
                                "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n \"Q\": {\"Type\": \"AWS::SNS::Topic\"}}}")
                        .getMessage())
                .isEqualTo("t.yaml:2: bad JSON: Duplicate field 'Q'");
        assertThat(error("{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\",},}}")
                        .getMessage())
                .startsWith("t.yaml:1: bad JSON: Unexpected character ('}'");
        assertThat(error("{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}} {}")
                        .getMessage())
                .isEqualTo("t.yaml:1: bad JSON: more text after the template's last '}'");
        assertThat(error("{\n// a comment\n\"Resources\": {}}").getMessage()).startsWith("t.yaml:2: bad JSON:");
        assertThat(error("{'Resources': {}}").getMessage()).startsWith("t.yaml:1: bad JSON:");
    }

    @Test
    void jsonTemplatesKeepLines() {
        SamTemplate t = Templates.load(
                "{\n  \"Resources\": {\n    \"Q\": {\n      \"Type\": \"AWS::SQS::Queue\"\n    }\n  }\n}\n");
        assertThat(t.line("/Resources/Q")).isEqualTo(3);
        assertThat(t.line("/Resources/Q/Type")).isEqualTo(4);
    }

    // ------------------------------------------------------------------ parameters

    private static String param(String def) {
        return "Parameters:\n  P:\n" + def + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    }

    @Test
    void allowedPatternMatchesTheWholeValue() {
        String p = param("    Type: String\n    AllowedPattern: '\\d{12}'\n    Default: '123456789012'\n");
        assertThat(Templates.load(p).parameters()).containsEntry("P", "123456789012");
        assertThat(error(p, Map.of("P", "123456789012 ExternalId=x")).getMessage())
                .isEqualTo("t.yaml:2: parameter 'P' is '123456789012 ExternalId=x' (given), not matched by its"
                        + " AllowedPattern '\\d{12}' (which must match the whole value)");
        assertThat(error(param("    Type: String\n    AllowedPattern: '[a-z]+'\n    ConstraintDescription: lower case"
                                + " letters\n    Default: ABC\n"))
                        .getMessage())
                .isEqualTo("t.yaml:6: parameter 'P' is 'ABC' (its Default), not matched by its AllowedPattern"
                        + " '[a-z]+' (which must match the whole value) (lower case letters)");
    }

    @Test
    void allowedPatternIsCheckedPerItemOfACommaDelimitedList() {
        String p = param("    Type: CommaDelimitedList\n    AllowedPattern: '[a-z]+'\n    Default: a,b\n");
        assertThat(Templates.load(p).parameters()).containsEntry("P", "a,b");
        assertThat(error(p, Map.of("P", "a,B1")).getMessage()).contains(": 'B1' is not matched by its AllowedPattern");
    }

    @Test
    void aPatternInAnotherDialectOrThatBacktracksForeverIsOneLine() {
        assertThat(error(param("    Type: String\n    AllowedPattern: '(?P<n>a)'\n    Default: a\n"))
                        .getMessage())
                .startsWith("t.yaml:5: AllowedPattern of parameter 'P' is not a valid regular expression")
                .contains("CloudFormation uses Java's syntax");
        // (a+)+b on 4,000 a's would backtrack for longer than the universe: the step limit stops it.
        assertThat(error(param("    Type: String\n    AllowedPattern: '(a+)+b'\n    Default: " + "a".repeat(4000)
                                + "\n"))
                        .getMessage())
                .contains("takes more than 10,000,000 steps on this value (limit maxPatternSteps)");
    }

    @Test
    void lengthsValuesAndNumbers() {
        assertThat(error(param("    Type: String\n    MinLength: 3\n    Default: ab\n"))
                        .getMessage())
                .endsWith("parameter 'P' is 'ab' (its Default), 2 characters, fewer than its MinLength 3");
        assertThat(error(param("    Type: String\n    MaxLength: 3\n    Default: abcd\n"))
                        .getMessage())
                .endsWith("4 characters, more than its MaxLength 3");
        assertThat(error(param("    Type: Number\n    Default: ten\n")).getMessage())
                .endsWith("parameter 'P' is 'ten' (its Default), not a number (Type Number)");
        assertThat(error(param("    Type: Number\n    MinValue: 1\n    MaxValue: 10\n    Default: 11\n"))
                        .getMessage())
                .endsWith("above its MaxValue 10");
        assertThat(error(param("    Type: Number\n    MinValue: 1.5\n    Default: 1\n"))
                        .getMessage())
                .endsWith("below its MinValue 1.5");
        assertThat(error(param("    Type: List<Number>\n    MaxValue: 10\n    Default: 1,20\n"))
                        .getMessage())
                .endsWith(": '20' is above its MaxValue 10");
        assertThat(Templates.load(param("    Type: Number\n    MinValue: 1\n    Default: 2.5e0\n"))
                        .parameters())
                .containsEntry("P", "2.5e0");
        assertThat(error(param("    Type: CommaDelimitedList\n    AllowedValues: [a, b]\n    Default: a,c\n"))
                        .getMessage())
                .endsWith(": 'c' is not one of its AllowedValues [a, b]");
    }

    @Test
    void typesAndIdFormats() {
        assertThat(error(param("    Type: Strng\n    Default: a\n")).getMessage())
                .contains("has Type 'Strng', which CloudFormation does not support");
        assertThat(error(param("    Type: AWS::EC2::VPC::Id\n    Default: vpc-12\n"))
                        .getMessage())
                .endsWith("not the form of an AWS::EC2::VPC::Id (such as vpc-a123baa3)");
        assertThat(error(param("    Type: List<AWS::EC2::Subnet::Id>\n    Default: subnet-123a351e,sn-1\n"))
                        .getMessage())
                .endsWith(": 'sn-1' is not the form of an AWS::EC2::Subnet::Id (such as subnet-123a351e)");
        assertThat(Templates.load(param("    Type: AWS::EC2::Subnet::Id\n    Default: subnet-0123456789abcdef0\n"))
                        .parameters())
                .containsKey("P");
        // Key pair names and Availability Zones are not checked offline; SSM names are resolved at deploy time.
        assertThat(Templates.load(param("    Type: AWS::EC2::KeyPair::KeyName\n    Default: any name\n"))
                        .parameters())
                .containsKey("P");
        assertThat(error(param("    Type: String\n    Default: " + "v".repeat(4097) + "\n"))
                        .getMessage())
                .contains("is 4,097 bytes; CloudFormation accepts at most 4,096 per parameter value");
    }

    @Test
    void aMalformedSamconfigQuoteNeverLeaksIntoAValue() {
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(
                TemplateException.class,
                () -> Samconfig.parseOverrides("TargetAccountId=\"222222222222 ExternalId=x", "samconfig.toml"));
        assertThat(e.getMessage())
                .isEqualTo("samconfig.toml: parameter_overrides: the quote \" at character 17 is never closed");
    }

    @Test
    void samconfigFilesAreReadWithinTheLimits(@TempDir Path dir) throws IOException {
        Path toml = dir.resolve("samconfig.toml");
        Files.writeString(toml, "version = 0.1\n[default.deploy.parameters]\nparameter_overrides = 'A=\"1'\n");
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(
                TemplateException.class, () -> Samconfig.read(toml, null));
        assertThat(e.getMessage()).contains("is never closed");
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(
                                TemplateException.class, () -> Samconfig.read(dir, null))
                        .getMessage())
                .endsWith("cannot read samconfig: it is a directory");
    }

    // ------------------------------------------------------------------ policies

    private static String role(String trust, String statement) {
        return """
                Resources:
                  R:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - %s
                      Policies:
                        - PolicyName: p
                          PolicyDocument:
                            Version: "2012-10-17"
                            Statement:
                              - %s
                """.formatted(trust, statement);
    }

    private static final String TRUST =
            "{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}";

    @Test
    void identityStatementsNeedAResourceAndNoPrincipal() {
        assertThat(error(role(TRUST, "{Effect: Allow, Action: sqs:SendMessage}"))
                        .getMessage())
                .isEqualTo("t.yaml:14: policy R/p: Missing Resource or NotResource in an identity-based policy at"
                        + " /Statement/0");
        assertThat(error(role(TRUST, "{Effect: Allow, Principal: '*', Action: sqs:SendMessage, Resource: '*'}"))
                        .getMessage())
                .isEqualTo(
                        "t.yaml:14: policy R/p: Principal is not allowed in an identity-based policy at /Statement/0");
    }

    @Test
    void resourcePoliciesAndTrustPoliciesNeedAPrincipal() {
        assertThat(error(role(
                                "{Effect: Allow, Action: sts:AssumeRole}",
                                "{Effect: Allow, Action: s3:*, Resource: '*'}"))
                        .getMessage())
                .isEqualTo("t.yaml:8: policy R/AssumeRolePolicyDocument: Missing Principal or NotPrincipal in a"
                        + " resource-based policy at /Statement/0");
        String queuePolicy = """
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                  QP:
                    Type: AWS::SQS::QueuePolicy
                    Properties:
                      Queues: [!Ref Q]
                      PolicyDocument:
                        Statement:
                          - Effect: Allow
                            Action: sqs:SendMessage
                            Resource: !GetAtt Q.Arn
                """;
        assertThat(error(queuePolicy).getMessage())
                .isEqualTo("t.yaml:10: policy QP: Missing Principal or NotPrincipal in a resource-based policy at"
                        + " /Statement/0");
    }
}
