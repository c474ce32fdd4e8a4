package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.check.Checker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the template loader (jqwik, property-based, a few seconds): whatever the text, loading either gives a
 * template or one TemplateException line; never another exception, an Error or a hang. Inputs: token soups of YAML
 * and JSON syntax with CloudFormation's vocabulary (anchors, aliases, tags, intrinsics, merge keys), and random edits
 * of the reference template.
 */
class TemplateLoaderFuzzTest {

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

    @Provide
    Arbitrary<String> yamlSoup() {
        return Arbitraries.of(YAML_TOKENS).list().ofMaxSize(120).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> jsonSoup() {
        return Arbitraries.of(JSON_TOKENS).list().ofMaxSize(120).map(l -> "{\"Resources\":" + String.join("", l));
    }

    @Provide
    Arbitrary<String> editedReference() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, REFERENCE.length());
        Arbitrary<String> insert = Arbitraries.oneOf(
                Arbitraries.of(YAML_TOKENS), Arbitraries.strings().ofMaxLength(8));
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 40);
        Arbitrary<String> edit = Combinators.combine(at, insert, cut).as((i, s, n) -> i + "\u0001" + s + "\u0001" + n);
        return edit.list().ofMinSize(1).ofMaxSize(6).map(edits -> {
            String t = REFERENCE;
            for (String e : edits) {
                String[] parts = e.split("\u0001", -1);
                int i = Math.min(Integer.parseInt(parts[0]), t.length());
                int end = Math.min(t.length(), i + Integer.parseInt(parts[2]));
                t = t.substring(0, i) + parts[1] + t.substring(end);
            }
            return t;
        });
    }

    @Property(tries = 400)
    void yamlSoupLoadsOrIsOneLine(@ForAll("yamlSoup") String text) {
        loadsOrFailsInOneLine(text);
    }

    @Property(tries = 200)
    void jsonSoupLoadsOrIsOneLine(@ForAll("jsonSoup") String text) {
        loadsOrFailsInOneLine(text);
    }

    @Property(tries = 80)
    void editsOfTheReferenceLoadOrAreOneLineAndWhatLoadsIsJudged(@ForAll("editedReference") String text) {
        SamTemplate t = loadsOrFailsInOneLine(text);
        if (t != null) {
            // What loads is judged without an exception escaping (a rule that trips is a note, not a crash).
            assertThat(Checker.create().check(t, null).patterns()).hasSameSizeAs(t.functions());
        }
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
