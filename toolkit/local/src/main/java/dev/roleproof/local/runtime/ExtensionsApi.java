package dev.roleproof.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Extensions API for one execution environment, as far as an internal extension uses it: register during
 * init (refused once init is over, as Lambda refuses it after the runtime's first request), then event/next, which
 * says the extension is done with its last event and waits for the next INVOKE. The runtime's response goes back to
 * the caller at once; the environment takes its next invocation only when every extension has asked for its next
 * event, as in Lambda. Plays the Lambda service, so it runs in RoleProof's process, not the function's.
 */
final class ExtensionsApi implements AutoCloseable {

    private static final String PREFIX = "/2020-01-01/extension/";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Extension> extensions = new ConcurrentHashMap<>();
    private final String registerAnswer;
    private volatile boolean initOver;

    private static final class Extension {
        final String name;
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        /** Asked for its next event and has not been given one since. */
        boolean waiting;

        Extension(String name) {
            this.name = name;
        }
    }

    ExtensionsApi(String functionName, String handler) throws IOException {
        this.registerAnswer = "{\"functionName\":\"" + functionName + "\",\"functionVersion\":\"$LATEST\","
                + "\"handler\":\"" + handler + "\"}";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread per pending event/next: they block until the next invocation.
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "extensions-api-" + functionName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** AWS_LAMBDA_RUNTIME_API for the function: host:port. */
    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int registered() {
        return extensions.size();
    }

    void initOver() {
        initOver = true;
    }

    /** Waits until every registered extension has asked for its next event; false when the deadline came first. */
    synchronized boolean awaitReady(long deadlineNanos) throws InterruptedException {
        while (!extensions.values().stream().allMatch(e -> e.waiting)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Sends an INVOKE event to every registered extension. */
    void invoke(String requestId, long deadlineMs, String functionArn) {
        String event = "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineMs + ",\"requestId\":\"" + requestId
                + "\",\"invokedFunctionArn\":\"" + functionArn + "\",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\","
                + "\"value\":\"Root=1-00000000-000000000000000000000000;Sampled=0\"}}";
        synchronized (this) {
            for (Extension e : extensions.values()) {
                e.waiting = false;
                e.events.add(event);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            if (path.equals("register") && "POST".equals(exchange.getRequestMethod())) {
                exchange.getRequestBody().readAllBytes();
                String name = exchange.getRequestHeaders().getFirst("Lambda-Extension-Name");
                if (initOver || name == null || name.isBlank()) {
                    answer(
                            exchange,
                            403,
                            "{\"errorMessage\":\""
                                    + (initOver ? "registration after init" : "Lambda-Extension-Name is missing")
                                    + "\",\"errorType\":\"Extension.InvalidRegistration\"}");
                    return;
                }
                String id = UUID.randomUUID().toString();
                extensions.put(id, new Extension(name));
                exchange.getResponseHeaders().add("Lambda-Extension-Identifier", id);
                answer(exchange, 200, registerAnswer);
            } else if (path.equals("event/next") && "GET".equals(exchange.getRequestMethod())) {
                Extension e = extensions.get(
                        String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Extension-Identifier")));
                if (e == null) {
                    answer(
                            exchange,
                            403,
                            "{\"errorMessage\":\"unknown extension\","
                                    + "\"errorType\":\"Extension.UnknownExtensionIdentifier\"}");
                    return;
                }
                synchronized (this) {
                    e.waiting = true;
                    notifyAll();
                }
                answer(exchange, 200, e.events.take());
            } else {
                answer(exchange, 404, "{\"errorMessage\":\"not part of this emulation\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
