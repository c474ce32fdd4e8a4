package dev.roleproof.selfcheck;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * One moto server for this module's tests (NOTES §4): 127.0.0.1, a free port, readiness by polling /moto-api/,
 * stopped by its PID when the test JVM ends. Tests that need it skip with one line when moto_server is absent.
 */
final class MotoServer {

    private static MotoServer shared;
    private static String unavailable;

    private final Process process;
    final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The shared server, started on first use; skips the calling test when moto cannot run here. */
    static synchronized MotoServer shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
                MotoServer s = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
            } catch (IOException | RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        return shared;
    }

    private static MotoServer start() throws IOException {
        List<String> command = onPath("moto_server") != null
                ? List.of(onPath("moto_server").toString(), "-H", "127.0.0.1", "-p", "PORT")
                : onPath("python3") != null ? List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "PORT")
                : null;
        if (command == null) {
            throw new IllegalStateException("moto_server (or python3 with moto) not found on PATH");
        }
        int port = freePort();
        List<String> cmd = command.stream().map(a -> a.equals("PORT") ? Integer.toString(port) : a).toList();
        Path log = Files.createTempFile("moto-selfcheck", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto_server exited early (python3 without moto?): see " + log);
            }
            if (ready(endpoint)) {
                return new MotoServer(p, endpoint);
            }
            sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto_server not ready within 20 s: see " + log);
    }

    private static boolean ready(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server by its PID (and any child the launcher left). */
    void stop() {
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                handle.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
