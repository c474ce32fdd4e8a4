package dev.roleproof.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.cli.EvalRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseGeneratorTest {

    @Test
    void sameSeedSameCasesOtherSeedOtherCases() {
        List<String> a = CaseGenerator.lines(new CaseGenerator(5).generate(300));
        List<String> b = CaseGenerator.lines(new CaseGenerator(5).generate(300));
        List<String> c = CaseGenerator.lines(new CaseGenerator(6).generate(300));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void coversTheLambdaPatternVocabulary() {
        String all = String.join("\n", CaseGenerator.lines(new CaseGenerator(11).generate(2000)));
        assertThat(all)
                .contains(
                        "sqs:ReceiveMessage",
                        "dynamodb:GetRecords",
                        "dynamodb:ListStreams",
                        "s3:GetObject",
                        "lambda:InvokeFunction",
                        "sts:AssumeRole");
        assertThat(all)
                .contains(
                        ":user/",
                        ":assumed-role/",
                        ":root",
                        "s3.amazonaws.com",
                        "\"anonymous\"",
                        CaseGenerator.A,
                        CaseGenerator.B);
        assertThat(all)
                .contains(
                        "\"StringEquals\"",
                        "\"StringLike\"",
                        "\"StringNotEquals\"",
                        "\"ArnLike\"",
                        "IfExists\"",
                        "\"ForAnyValue:StringEquals\"",
                        "\"ForAllValues:StringLike\"",
                        "\"Null\"",
                        "\"Bool\"",
                        "\"NumericLessThan\"",
                        "\"IpAddress\"",
                        "\"NotIpAddress\"");
        assertThat(all)
                .contains(
                        "\"NotAction\"",
                        "\"NotResource\"",
                        "\"NotPrincipal\"",
                        "\"permissionsBoundary\"",
                        "\"sessionPolicy\"",
                        "\"scps\"",
                        "\"rcps\"",
                        "${aws:username}",
                        "\"2008-10-17\"");
    }

    @Test
    void everyCaseIsReadableByEval() {
        EvalRunner parser = new EvalRunner(false);
        for (CaseGenerator.Case c : new CaseGenerator(3).generate(1000)) {
            parser.parse(c.line());
        }
    }
}
