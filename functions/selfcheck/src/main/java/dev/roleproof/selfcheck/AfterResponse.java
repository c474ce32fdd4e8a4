package dev.roleproof.selfcheck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Lets work end after the function's response: an internal Lambda extension (a thread of this process, registered
 * with the Lambda Extensions API during init) for INVOKE events. Lambda returns the function's response to the caller
 * as soon as the runtime posts it, and freezes the execution environment only when every extension has asked for its
 * next event; this extension asks once the invocation's after-response work is done. So the self-check's report of a
 * delivery costs the caller no latency: it adds to the invocation's billed duration (PostRuntimeExtensionsDuration)
 * instead, and holds this environment for that long.
 *
 * <p>Not used under SnapStart (the self-check runs at the snapshot; an extension's connection would not survive the
 * restore), under sam local, nor where the API is absent (tests): {@link #register} then answers null and the work
 * stays on the handler's thread. The pattern is AWS's own (aws-lambda-rust-runtime's extension-internal-flush example:
 * an SQS function that flushes after its response).
 *
 * <p>The two calls are plain HTTP/1.1 on the loopback, written by hand: no library here speaks the Extensions API, and
 * HttpURLConnection's first use costs ~25 ms of a cold JVM (measured), on the init thread, against ~15 ms for a socket.
 */
public final class AfterResponse {

    static final String NAME = "roleproof-selfcheck";
    private static final String BASE = "/2020-01-01/extension/";
    /** A handler that never said it ended must not hold the environment until the function's timeout. */
    private static final long MARGIN_MS = 500;

    private final String host;
    private final int port;
    private final String id;
    private final BlockingQueue<Runnable> ended = new LinkedBlockingQueue<>();
    /** False once the loop has stopped (the API went away): work then runs on the handler's thread again. */
    private volatile boolean alive = true;

    private AfterResponse(String host, int port, String id) {
        this.host = host;
        this.port = port;
        this.id = id;
    }

    /**
     * Registers the extension; call during init (Lambda refuses a registration after the runtime's first request for
     * an event). Null when there is no Extensions API, under SnapStart or sam local, or when Lambda refuses.
     */
    public static AfterResponse register(UnaryOperator<String> env) {
        String api = env.apply("AWS_LAMBDA_RUNTIME_API");
        if (api == null
                || api.isBlank()
                || "snap-start".equals(env.apply("AWS_LAMBDA_INITIALIZATION_TYPE"))
                // sam local's emulator: its handling of an internal extension could not be tried here (no Docker),
                // and locally a report that surely comes beats ~0.2 s of latency.
                || "true".equalsIgnoreCase(env.apply("AWS_SAM_LOCAL"))) {
            return null;
        }
        try {
            int colon = api.trim().lastIndexOf(':');
            String host = api.trim().substring(0, colon);
            int port = Integer.parseInt(api.trim().substring(colon + 1));
            Answer answer = exchange(
                    host,
                    port,
                    "POST",
                    BASE + "register",
                    "Lambda-Extension-Name: " + NAME,
                    "{\"events\":[\"INVOKE\"]}",
                    1000);
            String id = answer.header("Lambda-Extension-Identifier");
            if (answer.status() != 200 || id == null) {
                return null;
            }
            AfterResponse extension = new AfterResponse(host, port, id);
            FunctionSupport.daemon(NAME, extension::loop);
            return extension;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The handler's invocation has ended (call it once per invocation, in a finally); {@code work} runs after it. */
    public void invocationEnded(Runnable work) {
        ended.add(work);
        if (!alive) {
            // The loop has stopped (perhaps while this was being added): nothing else will run it.
            runLeftovers();
        }
    }

    /** Whether work handed over now will run after the response. */
    public boolean alive() {
        return alive;
    }

    private void loop() {
        try {
            serve();
        } finally {
            alive = false;
            runLeftovers();
        }
    }

    private void runLeftovers() {
        for (Runnable left = ended.poll(); left != null; left = ended.poll()) {
            left.run();
        }
    }

    private void serve() {
        while (true) {
            long deadlineMs;
            try {
                Answer next =
                        exchange(host, port, "GET", BASE + "event/next", "Lambda-Extension-Identifier: " + id, null, 0);
                if (next.status() != 200) {
                    return;
                }
                deadlineMs = deadlineMs(next.body());
            } catch (IOException | RuntimeException e) {
                // The API is gone (the environment is ending): what comes next runs on the handler's thread.
                return;
            }
            try {
                long waitMs = Math.max(0, deadlineMs - System.currentTimeMillis() - MARGIN_MS);
                Runnable work = ended.poll(waitMs, TimeUnit.MILLISECONDS);
                if (work != null) {
                    work.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The work's failure is its own (the self-check never throws for what it saw); ask for the next event.
            } finally {
                System.out.flush();
            }
        }
    }

    /** The event's deadlineMs (epoch milliseconds); none (a malformed event) means no bound but the caller's own. */
    static long deadlineMs(String event) {
        int key = event.indexOf("\"deadlineMs\"");
        int colon = key < 0 ? -1 : event.indexOf(':', key);
        if (colon < 0) {
            return Long.MAX_VALUE;
        }
        int start = colon + 1;
        while (start < event.length() && Character.isWhitespace(event.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < event.length() && Character.isDigit(event.charAt(end))) {
            end++;
        }
        return end > start ? Long.parseLong(event.substring(start, end)) : Long.MAX_VALUE;
    }

    record Answer(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** One request on its own connection (Connection: close, so the answer ends where the stream does). */
    static Answer exchange(String host, int port, String method, String path, String header, String body, int timeoutMs)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + header + "\r\n"
                            + (body == null ? "" : "Content-Type: application/json\r\n")
                            + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || headEnd < 0) {
                throw new IOException("not an HTTP answer from the Extensions API");
            }
            String head = text.substring(0, headEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            String rest = text.substring(headEnd + 4);
            return new Answer(status, head, chunked(head) ? unchunk(rest) : rest);
        }
    }

    private static boolean chunked(String head) {
        return head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
    }

    /** A chunked body's data (the JDK's and Lambda's servers may chunk an answer of unknown length). */
    static String unchunk(String body) {
        StringBuilder data = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size =
                    Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            data.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return data.toString();
    }
}
