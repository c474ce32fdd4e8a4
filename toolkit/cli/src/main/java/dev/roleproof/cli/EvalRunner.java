package dev.roleproof.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.json.CaseJson;
import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.engine.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine behind {@code roleproof eval}: JSON lines in, one JSON line out per case, in order. A bad line yields an
 * {@code error} line and the run goes on.
 *
 * <p>Built for throughput: input is split into lines in a byte buffer and each line is read with Jackson's streaming
 * parser (no tree); policies are parsed once and cached by their JSON text, since the same policies repeat across
 * lines; output goes through one JsonGenerator on a buffered stream, flushed whenever the input has nothing more
 * ready (so an interactive client gets its answer at once).
 */
public final class EvalRunner {
    /** Cases read, and those that produced an error line. */
    public record Stats(long cases, long errors) {}

    private static final int CACHE_LIMIT = 20_000;
    /** Characters of policy text the cache may hold: a stream of large distinct policies must not fill the heap. */
    private static final long CACHE_CHARS = 32L << 20;
    /** The longest line read; a longer one is an error line and the run goes on (a stream without newlines too). */
    public static final int MAX_LINE_BYTES = 4 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final Evaluator evaluator = Evaluator.create();
    private final boolean explain;
    private long cachedChars;
    // Parsed policies by slot + JSON text. Access-ordered: the least recently used go first when it is full.
    private final Map<String, Policy> policies = new LinkedHashMap<>(1024, 0.75f, true);

    public EvalRunner(boolean explain) {
        this.explain = explain;
    }

    /**
     * Reads every line of {@code in} and writes the answers to {@code out}; does not close either. Lines end with
     * LF, CRLF or a lone CR. Every line gets an answer or an error line, in order; what is answered is flushed
     * whenever the input has nothing more ready, and always before this returns or throws.
     */
    public Stats run(InputStream in, OutputStream out) throws IOException {
        long cases = 0;
        long errors = 0;
        JsonGenerator gen = MAPPER.createGenerator(new java.io.BufferedOutputStream(out, 1 << 16));
        gen.setRootValueSeparator(null);
        byte[] buf = new byte[1 << 16];
        int start = 0;
        int end = 0;
        long lineNo = 0;
        boolean eof = false;
        boolean skipping = false; // discarding the rest of a line already reported as too long
        boolean afterCr = false; // the LF of a CRLF ends no line of its own
        try {
            while (!eof) {
                if (end == buf.length) {
                    if (start > 0) {
                        // Slide the unfinished line to the front.
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    } else if (buf.length <= MAX_LINE_BYTES) {
                        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES + 1));
                    } else {
                        lineNo++;
                        cases++;
                        errors++;
                        writeError(
                                gen,
                                null,
                                lineNo,
                                "line longer than " + String.format("%,d", MAX_LINE_BYTES) + " bytes (the limit of"
                                        + " one case line); skipped to its end");
                        gen.flush();
                        skipping = true;
                        start = 0;
                        end = 0;
                    }
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
                int scan = start;
                while (true) {
                    int nl = indexOfLineEnd(buf, scan, end);
                    if (nl < 0) {
                        if (eof && start < end) {
                            nl = end; // the last line has no line end
                        } else {
                            break;
                        }
                    }
                    byte terminator = nl < end ? buf[nl] : 0;
                    if (skipping) {
                        skipping = false;
                    } else if (!(afterCr && nl == start && terminator == '\n')) {
                        lineNo++;
                        int len = nl - start;
                        if (!isBlank(buf, start, len)) {
                            cases++;
                            if (!answer(buf, start, len, lineNo, gen)) {
                                errors++;
                            }
                        }
                    }
                    afterCr = terminator == '\r';
                    start = Math.min(nl + 1, end);
                    scan = start;
                    if (nl == end) {
                        break;
                    }
                }
                if (skipping || start == end) {
                    start = 0;
                    end = 0;
                }
                if (!eof && in.available() == 0) {
                    gen.flush();
                }
            }
        } finally {
            // Answers already computed are never lost, whatever ends the run.
            gen.flush();
        }
        return new Stats(cases, errors);
    }

    /**
     * Parses one case line into the engine's input (the benchmark evaluates these directly).
     *
     * @throws IllegalArgumentException with one line saying what is wrong with the case
     */
    public AuthorizationInput parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            return new CaseReader(bytes, 0, bytes.length).read();
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        } catch (CaseException | InvalidPolicyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Parses and evaluates one line and writes its answer; false when the answer is an error. */
    private boolean answer(byte[] buf, int off, int len, long lineNo, JsonGenerator gen) throws IOException {
        CaseReader reader = new CaseReader(buf, off, len);
        if (indexOf(buf, (byte) 0, off, off + len) >= 0) {
            // JSON text never holds a raw NUL, and Jackson would take the line for UTF-16 or UTF-32.
            writeError(gen, reader.recoverId(), lineNo, "not valid JSON: the line contains NUL bytes");
            return false;
        }
        AuthorizationInput input;
        try {
            input = reader.read();
        } catch (JsonProcessingException e) {
            // Syntax errors, bad UTF-8, and Jackson's read constraints (nesting depth, number and string length).
            String where =
                    e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
            writeError(gen, reader.recoverId(), lineNo, "not valid JSON: " + oneLine(e.getOriginalMessage()) + where);
            return false;
        } catch (CaseException | InvalidPolicyException e) {
            writeError(gen, reader.recoverId(), lineNo, oneLine(e.getMessage()));
            return false;
        } catch (IOException e) {
            // Bytes Jackson cannot decode (binary input: CharConversionException).
            writeError(gen, reader.recoverId(), lineNo, "not valid JSON: " + oneLine(e.getMessage()));
            return false;
        } catch (IllegalArgumentException | NullPointerException e) {
            // The engine's own validation of a request (e.g. a malformed ARN).
            writeError(gen, reader.recoverId(), lineNo, "invalid case: " + oneLine(e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            // Whatever else one line can provoke, it must not end the run.
            writeError(gen, reader.recoverId(), lineNo, "invalid case: " + oneLine(String.valueOf(e)));
            return false;
        }
        Decision d;
        try {
            d = evaluator.evaluate(input, explain);
        } catch (IllegalArgumentException e) {
            // The engine rejects what it cannot decide (e.g. a principal AWS does not know).
            writeError(gen, reader.recoverId(), lineNo, "invalid case: " + oneLine(e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            // A fault in the engine on one case must not end the run (issue 3: malformed lines never crash it).
            writeError(gen, reader.recoverId(), lineNo, "could not decide this case: " + oneLine(String.valueOf(e)));
            return false;
        }
        gen.writeStartObject();
        writeId(gen, reader);
        gen.writeStringField("decision", d.outcome().awsName());
        if (d.message() != null) {
            gen.writeStringField("message", d.message());
        }
        if (explain && d.explanation() != null) {
            gen.writeFieldName("explain");
            gen.writeObject(d.explanation());
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
        return true;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replace('\r', ' ').replace('\n', ' ');
    }

    private static void writeError(JsonGenerator gen, CaseReader reader, long lineNo, String message)
            throws IOException {
        gen.writeStartObject();
        if (reader == null) {
            gen.writeNullField("id");
        } else {
            writeId(gen, reader);
        }
        gen.writeNumberField("line", lineNo);
        gen.writeStringField("error", message);
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    private static void writeId(JsonGenerator gen, CaseReader reader) throws IOException {
        gen.writeFieldName("id");
        if (reader.id == null) {
            gen.writeNull();
        } else if (reader.idIsNumber) {
            gen.writeNumber(reader.id);
        } else {
            gen.writeString(reader.id);
        }
    }

    private static int indexOfLineEnd(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n' || buf[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** A user error in one case line (unknown field, wrong type). */
    static final class CaseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CaseException(String message) {
            super(message, null, false, false); // no stack trace: it is data, and it is on the hot path of bad input
        }
    }

    /** Reads one case line with the streaming parser. */
    private final class CaseReader {
        private final byte[] buf;
        private final int off;
        private final int len;
        String id;
        boolean idIsNumber;

        CaseReader(byte[] buf, int off, int len) {
            this.buf = buf;
            this.off = off;
            this.len = len;
        }

        /**
         * This reader, after its id is looked for in the whole line when the streaming read stopped before it (an
         * error line keeps the case's id whenever the line is JSON enough to hold one).
         */
        CaseReader recoverId() {
            if (id != null) {
                return this;
            }
            try (JsonParser p = FACTORY.createParser(buf, off, len)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return this;
                }
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("id")) {
                        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT) {
                            id = p.getText();
                            idIsNumber = v == JsonToken.VALUE_NUMBER_INT;
                        }
                        return this;
                    }
                    p.skipChildren();
                }
            } catch (IOException | RuntimeException e) {
                // No id to be had before the line breaks: the error line says null.
            }
            return this;
        }

        AuthorizationInput read() throws IOException {
            try (JsonParser p = FACTORY.createParser(buf, off, len)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new CaseException("a case must be a JSON object");
                }
                Request request = null;
                List<Policy> identity = List.of();
                Policy resource = null;
                Policy boundary = null;
                Policy session = null;
                List<List<Policy>> scps = List.of();
                List<List<Policy>> rcps = List.of();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "id":
                            if (t == JsonToken.VALUE_STRING) {
                                id = p.getText();
                            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                                id = p.getText();
                                idIsNumber = true;
                            } else if (t != JsonToken.VALUE_NULL) {
                                throw new CaseException("'id' must be a string or a number");
                            }
                            break;
                        case "request":
                            request = request(p);
                            break;
                        case "identityPolicies":
                            identity = policyList(p, "/identityPolicies", "identity-", PolicyType.IDENTITY);
                            break;
                        case "resourcePolicy":
                            resource = policy(p, "/resourcePolicy", "resource", PolicyType.RESOURCE);
                            break;
                        case "permissionsBoundary":
                            boundary = policy(p, "/permissionsBoundary", "boundary", PolicyType.PERMISSIONS_BOUNDARY);
                            break;
                        case "sessionPolicy":
                            session = policy(p, "/sessionPolicy", "session", PolicyType.SESSION);
                            break;
                        case "scps":
                            scps = levels(p, "scps", PolicyType.SCP);
                            break;
                        case "rcps":
                            rcps = levels(p, "rcps", PolicyType.RCP);
                            break;
                        case "name":
                        case "doc":
                        case "skip":
                        case "expected":
                        case "comment":
                            p.skipChildren(); // case-file annotations (CaseJson's format): not part of the request
                            break;
                        default:
                            throw new CaseException(
                                    "unknown field '" + field + "' (expected id, request, identityPolicies, "
                                            + "resourcePolicy, permissionsBoundary, sessionPolicy, scps, rcps)");
                    }
                }
                if (p.nextToken() != null) {
                    throw new CaseException("more than one JSON value on the line");
                }
                if (request == null) {
                    throw new CaseException("missing 'request'");
                }
                AuthorizationInput.Builder b =
                        AuthorizationInput.builder(request).identityPolicies(identity);
                if (resource != null) {
                    b.resourcePolicy(resource);
                }
                if (boundary != null) {
                    b.permissionsBoundary(boundary);
                }
                if (session != null) {
                    b.sessionPolicy(session);
                }
                for (List<Policy> level : scps) {
                    b.scpLevel(level);
                }
                for (List<Policy> level : rcps) {
                    b.rcpLevel(level);
                }
                return b.build();
            }
        }

        private Request request(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new CaseException("'request' must be an object");
            }
            String principal = null;
            String action = null;
            String resource = null;
            String resourceAccount = null;
            Map<String, List<String>> context = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "principal":
                        principal = text(p, t, "request.principal");
                        break;
                    case "action":
                        action = text(p, t, "request.action");
                        if (action.indexOf(':') <= 0) {
                            throw new CaseException("request.action must be service:Action, not '" + action + "'");
                        }
                        break;
                    case "resource":
                        resource = text(p, t, "request.resource");
                        break;
                    case "resourceAccount":
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            resourceAccount = p.getText(); // as CaseJson reads it
                        } else {
                            resourceAccount = t == JsonToken.VALUE_NULL ? null : text(p, t, "request.resourceAccount");
                        }
                        break;
                    case "context":
                        context = context(p, t);
                        break;
                    default:
                        throw new CaseException("unknown field 'request." + field
                                + "' (expected principal, action, resource, resourceAccount, context)");
                }
            }
            if (principal == null || action == null || resource == null) {
                throw new CaseException("'request' needs principal, action and resource");
            }
            return new Request(principal, action, resource, resourceAccount, context);
        }

        private Map<String, List<String>> context(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new CaseException("'request.context' must be an object of keys to a value or a list of values");
            }
            Map<String, List<String>> ctx = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_ARRAY) {
                    List<String> values = new ArrayList<>(4);
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        values.add(scalar(p, e, key));
                    }
                    ctx.put(key, values);
                } else {
                    ctx.put(key, List.of(scalar(p, v, key)));
                }
            }
            return ctx;
        }

        private String scalar(JsonParser p, JsonToken t, String key) throws IOException {
            if (t == JsonToken.VALUE_STRING
                    || t == JsonToken.VALUE_NUMBER_INT
                    || t == JsonToken.VALUE_NUMBER_FLOAT
                    || t == JsonToken.VALUE_TRUE
                    || t == JsonToken.VALUE_FALSE) {
                return p.getText();
            }
            throw new CaseException("context key '" + key + "' must be a string, number or boolean, or a list of them");
        }

        private String text(JsonParser p, JsonToken t, String field) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw new CaseException("'" + field + "' must be a string");
            }
            return p.getText();
        }

        private List<List<Policy>> levels(JsonParser p, String field, PolicyType type) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (t != JsonToken.START_ARRAY) {
                throw new CaseException(
                        "'" + field + "' must be a list of levels (root first), each a list of policies");
            }
            List<List<Policy>> levels = new ArrayList<>(3);
            String prefix = field.substring(0, 3) + "-";
            int l = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new CaseException(field + "[" + l + "] must be a list of policies (one list per level)");
                }
                levels.add(policyList(p, "/" + field + "/" + l, prefix + l + "-", type));
                l++;
            }
            return levels;
        }

        private List<Policy> policyList(JsonParser p, String pointer, String namePrefix, PolicyType type)
                throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (t != JsonToken.START_ARRAY) {
                throw new CaseException("'" + pointer.substring(1) + "' must be a list of policies");
            }
            List<Policy> list = new ArrayList<>(4);
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Policy policy = policy(p, pointer + "/" + i, namePrefix + i, type);
                if (policy == null) {
                    throw new CaseException(
                            "'" + pointer.substring(1) + "' holds a null policy at " + pointer + "/" + i);
                }
                list.add(policy);
                i++;
            }
            return list;
        }

        /**
         * A policy as {@link CaseJson} reads it (a document, {"name", "policy"}, or an AWS managed policy ARN), or a
         * document given as a JSON string; parsed once per distinct text and slot, then served from the cache.
         */
        private Policy policy(JsonParser p, String pointer, String defaultName, PolicyType type) throws IOException {
            JsonToken t = p.currentToken();
            String text;
            boolean isString;
            if (t == JsonToken.VALUE_NULL) {
                return null;
            } else if (t == JsonToken.START_OBJECT) {
                int from = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int to = (int) p.currentLocation().getByteOffset();
                text = new String(buf, off + from, to - from, StandardCharsets.UTF_8);
                isString = false;
            } else if (t == JsonToken.VALUE_STRING) {
                text = p.getText();
                isString = true;
            } else {
                throw new CaseException("'" + pointer.substring(1)
                        + "' must be a policy document, {\"name\", \"policy\"} " + "or a managed policy ARN");
            }
            String key = pointer + '\u0000' + text;
            Policy cached = policies.get(key);
            if (cached == null) {
                JsonNode node;
                if (isString && text.startsWith("arn:")) {
                    node = TextNode.valueOf(text);
                } else {
                    try {
                        node = MAPPER.readTree(text);
                    } catch (JsonProcessingException e) {
                        throw new CaseException("'" + pointer.substring(1) + "' is a string but not a policy document: "
                                + e.getOriginalMessage().replace('\n', ' '));
                    }
                }
                try {
                    // Checked for its slot too (PolicyRules): a Principal in an identity policy is an error line.
                    cached = CaseJson.typed(type, node, pointer, defaultName);
                } catch (IllegalArgumentException e) {
                    throw new CaseException(String.valueOf(e.getMessage()));
                }
                policies.put(key, cached);
                cachedChars += key.length();
                var eldest = policies.entrySet().iterator();
                while ((policies.size() > CACHE_LIMIT || cachedChars > CACHE_CHARS) && eldest.hasNext()) {
                    cachedChars -= eldest.next().getKey().length();
                    eldest.remove();
                }
            }
            return cached;
        }
    }
}
