package dev.roleproof.local.aws;

import dev.roleproof.local.tools.ProjectTools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A moto server: either one this class started ({@link #start()}: {@code moto_server -H 127.0.0.1 -p <free port>},
 * stopped by its PID on {@link #close()} and by a JVM shutdown hook, so Ctrl-C stops it too) or an existing one
 * ({@link #attach(URI)}, never stopped by us).
 *
 * <p>Moto's own IAM checks stay off and {@code MOTO_ACCOUNT_ID} is never passed on: the account is chosen per request
 * by the {@code x-moto-account-id} header (moto's multi-account support).
 */
public final class MotoServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final URI endpoint;
    private final Process process; // null when attached
    private final Path log; // null when attached
    private final Thread shutdownHook; // null when attached
    private volatile boolean closed;

    private MotoServer(URI endpoint, Process process, Path log, Thread shutdownHook) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts the project's pinned moto_server (tools/ensure installs it on first use) on 127.0.0.1 at a free port and
     * waits until it answers.
     */
    public static MotoServer start() {
        Path executable;
        try {
            executable = ProjectTools.locate("moto_server");
        } catch (ProjectTools.ToolMissingException e) {
            throw new MotoMissingException(e.getMessage());
        }
        return start(executable);
    }

    /** Starts the given executable (a seam so tests can name one that does not exist). */
    static MotoServer start(Path executable) {
        MotoException last = null;
        // A free port found here can be taken by someone else before moto binds it: retry with another.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return startOnce(executable, freePort());
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Uses a moto server that is already running; fails with one line if it does not answer. */
    public static MotoServer attach(URI endpoint) {
        URI base = URI.create(endpoint.toString().replaceAll("/+$", ""));
        if (!answers(base, Duration.ofSeconds(2))) {
            throw new MotoException("no moto server answers at " + base + " (GET /moto-api/ failed)");
        }
        return new MotoServer(base, null, null, null);
    }

    /** http://127.0.0.1:PORT, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The PID of the server this class started; empty when attached. */
    public Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** Whether the server answers right now. */
    public boolean isReady() {
        return answers(endpoint, Duration.ofSeconds(2));
    }

    /** Drops every resource in every account (POST /moto-api/reset). */
    public void reset() {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new MotoException("moto reset failed at " + endpoint + ": HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new MotoException("moto reset failed at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MotoException("interrupted while resetting moto", e);
        }
    }

    /** Stops the server this class started (by PID); a no-op for an attached server. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            stopProcess();
            removeHook(shutdownHook);
        }
    }

    @Override
    public String toString() {
        return "moto " + endpoint + (process == null ? " (attached)" : " (pid " + process.pid() + ")");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static MotoServer startOnce(Path executable, int port) {
        Path log;
        try {
            log = Files.createTempFile("roleproof-moto-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Registered before the server starts: a Ctrl-C while it comes up stops it and removes its log too.
        AtomicReference<Process> started = new AtomicReference<>();
        Thread hook = new Thread(
                () -> {
                    if (started.get() != null) {
                        destroy(started.get());
                    }
                    deleteQuietly(log);
                },
                "moto-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Process process = launch(executable, port, log, started);
            return new MotoServer(URI.create("http://127.0.0.1:" + port), process, log, hook);
        } catch (RuntimeException e) {
            removeHook(hook);
            throw e;
        }
    }

    private static Process launch(Path executable, int port, Path log, AtomicReference<Process> started) {
        ProcessBuilder builder = new ProcessBuilder(
                        List.of(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // MOTO_ACCOUNT_ID would override the per-request account header.
        builder.environment().remove("MOTO_ACCOUNT_ID");
        builder.environment().remove("INITIAL_NO_AUTH_ACTION_COUNT");
        Process process;
        try {
            process = builder.start();
            started.set(process);
        } catch (IOException e) {
            deleteQuietly(log);
            throw new MotoMissingException("cannot run " + executable + " (" + e.getMessage() + ")");
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = tail(log);
                deleteQuietly(log);
                if (output.contains("Address already in use")) {
                    throw new PortTakenException(port);
                }
                if (output.contains("No module named")
                        || output.contains("command not found")
                        || output.contains("not installed")) {
                    throw new MotoMissingException("moto_server cannot start (" + output + ")");
                }
                throw new MotoException("moto_server exited with status " + process.exitValue() + " before it was ready"
                        + (output.isEmpty() ? "" : ": " + output));
            }
            if (answers(endpoint, Duration.ofMillis(500))) {
                return process;
            }
            sleep(50);
        }
        destroy(process);
        deleteQuietly(log);
        throw new MotoException(
                "moto_server did not answer on " + endpoint + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran: nothing left to undo.
        }
    }

    private void stopProcess() {
        destroy(process);
        deleteQuietly(log); // also on Ctrl-C, when close() never runs
    }

    /** SIGTERM to the server and anything it spawned, then SIGKILL what is left after 3 s. */
    private static void destroy(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean answers(URI endpoint, Duration timeout) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        // The address moto will bind (-H 127.0.0.1), not whatever loopback the JVM prefers.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new MotoException("no free local port for moto: " + e.getMessage(), e);
        }
    }

    /** The last non-blank line of the server's output, for a one-line error. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "";
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MotoException("interrupted while waiting for moto_server", e);
        }
    }

    private static final class PortTakenException extends MotoException {
        PortTakenException(int port) {
            super("port " + port + " was taken before moto_server could bind it");
        }
    }
}
