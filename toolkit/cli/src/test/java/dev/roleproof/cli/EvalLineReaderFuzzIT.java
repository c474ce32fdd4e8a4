package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of eval's line reader with Jazzer (the integration lane sets JAZZER_FUZZ=1; bounded by
 * maxDuration): for any bytes, one output line per non-blank input line (LF, CRLF or CR ends a line), each an answer
 * or an error line, in order, and the run never throws. Inputs: soups of case-line pieces, or raw bytes. One fuzz
 * test per module: Jazzer fuzzes one per JVM.
 */
class EvalLineReaderFuzzIT {

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

    @FuzzTest(maxDuration = "15s")
    void everyLineGetsExactlyOneLineBack(FuzzedDataProvider data) {
        byte[] input;
        if (data.consumeBoolean()) {
            StringBuilder text = new StringBuilder();
            for (int n = data.consumeInt(0, 60); n > 0 && data.remainingBytes() > 0; n--) {
                text.append(data.pickValue(PIECES));
            }
            input = text.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            input = data.consumeRemainingAsBytes();
        }
        List<JsonNode> out;
        try {
            out = EvalHostileInputTest.run(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out).hasSize(EvalHostileInputTest.nonBlankLines(input));
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
}
