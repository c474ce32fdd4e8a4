package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's inputs to eval, in process: every line gets an answer or an error line, in order; nothing computed is
 * lost; no line, however broken, ends the run.
 */
class EvalHostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String GOOD =
            "{\"id\":\"%s\",\"request\":{\"principal\":\"arn:aws:sts::111111111111:assumed-role/r/s\","
                    + "\"action\":\"sqs:ReceiveMessage\",\"resource\":\"arn:aws:sqs:us-east-1:111111111111:q\"},"
                    + "\"identityPolicies\":[{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                    + "\"Action\":\"sqs:*\",\"Resource\":\"*\"}}]}";

    static String good(String id) {
        return GOOD.formatted(id);
    }

    static List<JsonNode> run(byte[] input) throws IOException {
        return run(new ByteArrayInputStream(input));
    }

    static List<JsonNode> run(InputStream input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new EvalRunner(false).run(input, out);
        } finally {
            // Whatever happened, what was written is whole lines of JSON.
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text.isEmpty() || text.endsWith("\n"))
                    .as("output ends with a full line")
                    .isTrue();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                lines.add(JSON.readTree(l));
            }
        }
        return lines;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLineStartingWithNulBytesIsAnErrorLineAndTheOthersAreAnswered() throws IOException {
        List<JsonNode> out = run(bytes(good("a") + "\n\u0000\u0000\u0000{\"id\":\"n\"}\n" + good("b") + "\n"));
        assertThat(out).hasSize(3);
        assertThat(out.get(0).get("decision").asText()).isEqualTo("Allowed");
        assertThat(out.get(1).get("error").asText()).isEqualTo("not valid JSON: the line contains NUL bytes");
        assertThat(out.get(1).get("line").asInt()).isEqualTo(2);
        assertThat(out.get(2).get("id").asText()).isEqualTo("b");
    }

    @Test
    void binaryInputGivesOneErrorLinePerLine() throws IOException {
        byte[] binary = new byte[64 * 1024];
        new java.util.Random(17).nextBytes(binary);
        int lines = nonBlankLines(binary);
        List<JsonNode> out = run(binary);
        assertThat(out).allMatch(n -> n.has("error") && n.has("line"));
        assertThat(out).hasSize(lines);
    }

    @Test
    void crOnlyAndCrlfLineEndsEndLines() throws IOException {
        List<JsonNode> out = run(bytes(good("a") + "\r" + good("b") + "\r\n" + good("c") + "\n" + good("d")));
        assertThat(out).extracting(n -> n.get("id").asText()).containsExactly("a", "b", "c", "d");
        assertThat(out).allMatch(n -> n.get("decision").asText().equals("Allowed"));
    }

    @Test
    void aLineOverTheLimitIsOneErrorLineAndTheRunGoesOn() throws IOException {
        byte[] zeros = new byte[EvalRunner.MAX_LINE_BYTES + 1_000_000];
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(bytes(good("before") + "\n"));
        in.write(zeros);
        in.write(bytes("\n" + good("after") + "\n"));
        List<JsonNode> out = run(in.toByteArray());
        assertThat(out).hasSize(3);
        assertThat(out.get(1).get("error").asText()).startsWith("line longer than 4,194,304 bytes");
        assertThat(out.get(1).get("line").asInt()).isEqualTo(2);
        assertThat(out.get(2).get("id").asText()).isEqualTo("after");
        assertThat(out.get(2).get("line")).isNull();
    }

    @Test
    void anEndlessLineIsReportedOnceAndReadInBoundedMemory() throws IOException {
        // What `eval < /dev/zero` reads, cut at 20 MB: one error line, no NegativeArraySizeException.
        InputStream zeros = new InputStream() {
            long left = 20_000_000;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        List<JsonNode> out = run(zeros);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("error").asText()).startsWith("line longer than");
    }

    @Test
    void theIdIsKeptWhenTheLineHoldsOneAfterTheProblem() throws IOException {
        String line = "{\"request\":{\"principal\":\"arn:aws:sts::111111111111:assumed-role/r/s\",\"action\":\"sqs:X\","
                + "\"resource\":\"*\"},\"identityPolicies\":[{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"sqs:*\",\"Resource\":\"*\"}}],\"id\":\"late\"}\n";
        List<JsonNode> out = run(bytes(line));
        assertThat(out.get(0).get("id").asText()).isEqualTo("late");
        assertThat(out.get(0).get("error").asText())
                .isEqualTo("Principal is not allowed in an identity-based policy at /identityPolicies/0/Statement");
    }

    @Test
    void answersComputedBeforeAReadFailureAreNotLost() throws IOException {
        byte[] head = bytes(good("a") + "\n" + good("b") + "\n");
        InputStream failing = new InputStream() {
            int i;

            @Override
            public int read() throws IOException {
                if (i < head.length) {
                    return head[i++];
                }
                throw new IOException("the pipe broke");
            }

            @Override
            public int available() {
                return 1; // never idle, so nothing is flushed early: the finally must do it
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new EvalRunner(false).run(failing, out);
            throw new AssertionError("expected the read failure");
        } catch (IOException e) {
            assertThat(e).hasMessage("the pipe broke");
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
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
