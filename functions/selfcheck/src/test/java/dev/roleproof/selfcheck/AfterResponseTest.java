package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AfterResponse against a stand-in for Lambda's Extensions API (a JDK HTTP server: Lambda's own cannot run here; the
 * toolkit's emulation, which roleproof local and the bench use, lives in a module functions must not depend on). It
 * answers as the API reference says, chunked like the JDK's server (exercising that path too).
 */
class AfterResponseTest {

    HttpServer server;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile int registerStatus = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/2020-01-01/extension/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                byte[] answer;
                if (path.endsWith("/register")) {
                    calls.add(
                            "register " + exchange.getRequestHeaders().getFirst("Lambda-Extension-Name") + " " + body);
                    exchange.getResponseHeaders().add("Lambda-Extension-Identifier", "ext-1");
                    answer = "{\"functionName\":\"f\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(registerStatus, 0);
                } else {
                    calls.add("next " + exchange.getRequestHeaders().getFirst("Lambda-Extension-Identifier"));
                    answer = events.take().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, 0);
                }
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    Map<String, String> env() {
        return Map.of(
                "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
    }

    static String invoke(long deadlineMs) {
        return "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineMs + ",\"requestId\":\"r\"}";
    }

    @Test
    void theWorkOfAnInvocationRunsBeforeTheExtensionAsksForTheNextEvent() throws Exception {
        AfterResponse extension = AfterResponse.register(env()::get);
        assertThat(extension).isNotNull();
        assertThat(calls.get(0)).isEqualTo("register " + AfterResponse.NAME + " {\"events\":[\"INVOKE\"]}");
        waitFor(() -> calls.size() == 2);
        assertThat(calls.get(1)).isEqualTo("next ext-1");

        CountDownLatch ran = new CountDownLatch(1);
        events.add(invoke(System.currentTimeMillis() + 30_000));
        Thread.sleep(100);
        // Until the handler says the invocation ended, the extension holds the environment: no second next.
        assertThat(calls).hasSize(2);
        extension.invocationEnded(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        waitFor(() -> calls.size() == 3);
        assertThat(calls.get(2)).isEqualTo("next ext-1");
    }

    @Test
    void aHandlerThatNeverSaysItEndedHoldsTheEnvironmentOnlyUntilShortOfTheDeadline() throws Exception {
        AfterResponse.register(env()::get);
        waitFor(() -> calls.size() == 2);
        long start = System.currentTimeMillis();
        events.add(invoke(start + 700));
        waitFor(() -> calls.size() == 3);
        assertThat(System.currentTimeMillis() - start).isLessThan(700);
    }

    @Test
    void noApiSnapStartSamLocalOrARefusalLeaveTheWorkToTheHandler() {
        assertThat(AfterResponse.register(Map.<String, String>of()::get)).isNull();
        Map<String, String> snap = new java.util.HashMap<>(env());
        snap.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        assertThat(AfterResponse.register(snap::get)).isNull();
        Map<String, String> samLocal = new java.util.HashMap<>(env());
        samLocal.put("AWS_SAM_LOCAL", "true");
        assertThat(AfterResponse.register(samLocal::get)).isNull();
        assertThat(calls).isEmpty();
        registerStatus = 403;
        assertThat(AfterResponse.register(env()::get)).isNull();
        assertThat(AfterResponse.register(Map.of("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9")::get))
                .isNull();
    }

    @Test
    void withTheExtensionADeliverysReportIsMadeAfterTheHandlerEnded() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SelfCheck check = SelfCheck.builder("f", "sqs-esm")
                .identity(() -> "arn:aws:sts::111111111111:assumed-role/r/f")
                .expectedRoleArn("arn:aws:iam::111111111111:role/r")
                .environment(env()::get)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                .build();
        check.startEarly();
        waitFor(() -> calls.size() == 2);
        events.add(invoke(System.currentTimeMillis() + 30_000));

        assertThat(check.runIfDue("delivered"))
                .as("deferred: the caller gets the response first")
                .isNull();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
        check.invocationEnded();
        waitFor(() -> calls.size() == 3);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("\"proof\":\"delivered\"", "\"verdict\":\"PASS\"");
        // Mode first: one report per environment.
        events.add(invoke(System.currentTimeMillis() + 30_000));
        assertThat(check.runIfDue("again")).isNull();
        check.invocationEnded();
        waitFor(() -> calls.size() == 4);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("again");
    }

    @Test
    void whenTheApiGoesAwayWorkRunsOnTheHandlersThreadAgain() throws Exception {
        AfterResponse extension = AfterResponse.register(env()::get);
        waitFor(() -> calls.size() == 2);
        server.stop(0);
        events.add("not an event");
        waitFor(() -> !extension.alive());
        boolean[] ran = new boolean[1];
        extension.invocationEnded(() -> ran[0] = true);
        assertThat(ran[0]).as("run at once, on this thread").isTrue();
    }

    @Test
    void theDeadlineIsReadFromTheEvent() {
        assertThat(AfterResponse.deadlineMs(
                        "{\"eventType\":\"INVOKE\",\"deadlineMs\": 1764400000123,\"requestId\":\"r\"}"))
                .isEqualTo(1764400000123L);
        assertThat(AfterResponse.deadlineMs("{\"eventType\":\"INVOKE\"}")).isEqualTo(Long.MAX_VALUE);
        assertThat(AfterResponse.deadlineMs("{\"deadlineMs\":\"x\"}")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void chunkedAnswersAreReadWhole() {
        assertThat(AfterResponse.unchunk("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"))
                .isEqualTo("hello world");
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
