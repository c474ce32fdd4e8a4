package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of eval's line reader (jqwik, property-based, a few seconds): for any bytes, one output line per non-blank
 * input line (LF, CRLF or CR ends a line), each an answer or an error line, in order, and the run never throws.
 */
class EvalRunnerFuzzTest {

    private static final List<String> PIECES = List.of(
            EvalHostileInputTest.good("g"),
            "\n",
            "\r",
            "\r\n",
            "\u0000",
            " ",
            "\t",
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            "\"id\"",
            "\"request\"",
            "\"identityPolicies\"",
            "\"Statement\"",
            "\"Effect\"",
            "\"Allow\"",
            "\"Principal\"",
            "\"*\"",
            "null",
            "1e999",
            "\"arn:aws:iam::aws:policy/AWSLambdaExecute\"",
            "\\u0000",
            "\uFEFF",
            "é",
            "\uD83D\uDE00");

    @Provide
    Arbitrary<byte[]> lines() {
        Arbitrary<byte[]> pieces = Arbitraries.of(PIECES)
                .list()
                .ofMaxSize(60)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        return Arbitraries.oneOf(pieces, raw);
    }

    @Property(tries = 500)
    void everyLineGetsExactlyOneLineBack(@ForAll("lines") byte[] input) {
        List<JsonNode> out;
        try {
            out = EvalHostileInputTest.run(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out).hasSize(nonBlankLines(input));
        for (JsonNode n : out) {
            assertThat(n.has("decision") || n.has("error")).as(n.toString()).isTrue();
        }
        long previous = 0;
        for (JsonNode n : out) {
            if (n.has("line")) {
                assertThat(n.get("line").asLong()).isGreaterThan(previous);
                previous = n.get("line").asLong();
            }
        }
    }

    /** Lines as eval counts them (LF, CRLF, CR), without those of only spaces and tabs. */
    static int nonBlankLines(byte[] input) {
        int count = 0;
        boolean content = false;
        boolean afterCr = false;
        for (byte b : input) {
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                count += content ? 1 : 0;
                content = false;
            } else if (b != ' ' && b != '\t') {
                content = true;
            }
        }
        return count + (content ? 1 : 0);
    }
}
