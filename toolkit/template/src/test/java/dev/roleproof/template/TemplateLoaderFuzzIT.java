package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.roleproof.check.Checker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of the template loader with Jazzer (the integration lane sets JAZZER_FUZZ=1; bounded by
 * maxDuration): whatever the text, loading gives a template or one TemplateException line, never another exception,
 * an Error or a hang, and what loads is judged. Inputs: token soups of YAML and JSON syntax with CloudFormation's
 * vocabulary (anchors, aliases, tags, intrinsics, merge keys), edits of the reference template, and raw text. One fuzz
 * test per module: Jazzer fuzzes one per JVM.
 */
class TemplateLoaderFuzzIT {

    private static final String REFERENCE;

    static {
        try {
            Path p = Path.of("").toAbsolutePath();
            while (!Files.isRegularFile(p.resolve("template.yaml")) || !Files.isDirectory(p.resolve("toolkit"))) {
                p = p.getParent();
            }
            REFERENCE = Files.readString(p.resolve("template.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<String> YAML_TOKENS = List.of(
            "Resources:",
            "Parameters:",
            "Conditions:",
            "Outputs:",
            "Mappings:",
            "Globals:",
            "Transform: AWS::Serverless-2016-10-31",
            "\n",
            "\n  ",
            "\n    ",
            "\n      ",
            "  ",
            "- ",
            ": ",
            ", ",
            "[",
            "]",
            "{",
            "}",
            "\"",
            "'",
            "#",
            "&a ",
            "&b ",
            "*a",
            "*b",
            "<<: ",
            "!Ref ",
            "!Sub ",
            "!GetAtt ",
            "!Join ",
            "!If ",
            "!Equals ",
            "!Condition ",
            "!Select ",
            "!Split ",
            "!FindInMap ",
            "!Base64 ",
            "!Cidr ",
            "!ToJsonString ",
            "!Foo ",
            "!!python/object ",
            "!!str ",
            "!!binary ",
            "!!set ",
            "Type: ",
            "AWS::SQS::Queue",
            "AWS::Serverless::Function",
            "AWS::IAM::Role",
            "AWS::Lambda::Permission",
            "Properties:",
            "Policies:",
            "Statement:",
            "Effect: Allow",
            "Action: sqs:*",
            "Resource: '*'",
            "Principal: '*'",
            "NotAction: iam:*",
            "Default: ",
            "AllowedPattern: ",
            "(a+)+b",
            "Fn::Join",
            "Fn::Sub",
            "Ref",
            "${AWS::Region}",
            "${Q}",
            "Q",
            "X",
            "1",
            "012",
            "true",
            "null",
            "~",
            "\t",
            "\u0000",
            "\uFEFF",
            "é",
            "---",
            "...",
            "%YAML 1.2",
            "?",
            "|",
            ">");

    private static final List<String> JSON_TOKENS = List.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"Resources\"",
            "\"Q\"",
            "\"Type\"",
            "\"AWS::SQS::Queue\"",
            "\"Properties\"",
            "\"Fn::Join\"",
            "\"Ref\"",
            "\"\"",
            "1",
            "-0.5e3",
            "true",
            "null",
            " ",
            "\n",
            "/*",
            "//",
            "'",
            "\"\\u0000\"",
            "NaN",
            "012");

    @FuzzTest(maxDuration = "15s")
    void loadsOrFailsInOneLineAndWhatLoadsIsJudged(FuzzedDataProvider data) {
        String text = switch (data.consumeInt(0, 3)) {
            case 0 -> soup(data, YAML_TOKENS, "");
            case 1 -> soup(data, JSON_TOKENS, "{\"Resources\":");
            case 2 -> editedReference(data);
            default -> data.consumeRemainingAsString();
        };
        SamTemplate t = loadsOrFailsInOneLine(text);
        if (t != null) {
            // What loads is judged without an exception escaping (a rule that trips is a note, not a crash).
            assertThat(Checker.create().check(t, null).patterns()).hasSameSizeAs(t.functions());
        }
    }

    private static String soup(FuzzedDataProvider data, List<String> tokens, String start) {
        StringBuilder text = new StringBuilder(start);
        for (int n = data.consumeInt(0, 120); n > 0 && data.remainingBytes() > 0; n--) {
            text.append(data.pickValue(tokens));
        }
        return text.toString();
    }

    private static String editedReference(FuzzedDataProvider data) {
        String t = REFERENCE;
        for (int edits = data.consumeInt(1, 6); edits > 0 && data.remainingBytes() > 0; edits--) {
            int at = data.consumeInt(0, t.length());
            int end = Math.min(t.length(), at + data.consumeInt(0, 40));
            String insert = data.consumeBoolean() ? data.pickValue(YAML_TOKENS) : data.consumeString(8);
            t = t.substring(0, at) + insert + t.substring(end);
        }
        return t;
    }

    private static SamTemplate loadsOrFailsInOneLine(String text) {
        try {
            return Templates.load(text);
        } catch (TemplateException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("t.yaml");
            return null;
        }
    }
}
