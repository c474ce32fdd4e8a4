package dev.roleproof.local.runtime;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One function's execution environment: a child JVM (java21-like flags) running {@link LocalRuntimeMain} with the
 * function's environment and classpath, kept warm for the run. Environment variables cannot be set inside this JVM,
 * hence a process. Invocations are serial, as in one Lambda execution environment.
 */
public final class FunctionRuntime implements AutoCloseable {

    /**
     * The result of one invocation: the response (or Lambda's error JSON), the lines the function logged, its duration
     * and when the caller had the response (System.nanoTime()).
     */
    public record Invocation(
            String requestId, boolean error, String response, List<String> logs, long millis, long respondedAtNanos) {
        public Invocation {
            logs = List.copyOf(logs);
        }

        Invocation(String requestId, boolean error, String response, List<String> logs, long millis) {
            this(requestId, error, response, logs, millis, System.nanoTime());
        }
    }

    private final String name;
    private final String functionArn;
    private final int timeoutSeconds;
    private final Process process;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final BlockingQueue<String> lines;
    private final List<String> initLogs = new ArrayList<>();
    private static final String EOF = "\u0000EOF";

    /** Function JVMs still running, stopped by a shutdown hook too: a Ctrl-C leaves none behind. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "roleproof-function-jvms"));
    }

    private FunctionRuntime(
            String name,
            String functionArn,
            int timeoutSeconds,
            Process process,
            Socket socket,
            BlockingQueue<String> lines)
            throws IOException {
        this.name = name;
        this.lines = lines;
        this.functionArn = functionArn;
        this.timeoutSeconds = timeoutSeconds;
        this.process = process;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /**
     * Starts the function's JVM and loads its handler (Lambda's init phase).
     *
     * @param artifact the built Lambda layout: classes (at its root or in classes/) and lib/*.jar
     * @param env the complete environment of the function (nothing of this process's environment leaks in)
     * @throws FunctionInitException when the handler cannot be loaded (class missing, constructor failing)
     */
    public static FunctionRuntime start(
            String name,
            String handler,
            Path artifact,
            Map<String, String> env,
            String functionArn,
            int timeoutSeconds) {
        return start(name, handler, artifact, env, functionArn, timeoutSeconds, false);
    }

    /**
     * As {@link #start}, then as SnapStart would: the handler's CRaC beforeCheckpoint hooks (priming) run after init,
     * and its afterRestore hooks right after this returns, as at a restore. No snapshot is taken or restored (no CRaC
     * JVM here), so an invocation's time is a SnapStart cold start minus Lambda's own restore time.
     */
    public static FunctionRuntime startPrimed(
            String name,
            String handler,
            Path artifact,
            Map<String, String> env,
            String functionArn,
            int timeoutSeconds) {
        return start(name, handler, artifact, env, functionArn, timeoutSeconds, true);
    }

    private static FunctionRuntime start(
            String name,
            String handler,
            Path artifact,
            Map<String, String> env,
            String functionArn,
            int timeoutSeconds,
            boolean snapStart) {
        List<String> classpath = new ArrayList<>(RuntimeClasspath.entries());
        // Lambda's /var/task: classes at the root of the zip (or under classes/), then lib/*.
        classpath.add(
                Files.isDirectory(artifact.resolve("classes"))
                        ? artifact.resolve("classes").toString()
                        : artifact.toString());
        classpath.add(artifact.resolve("lib").toString() + "/*");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessBuilder pb = new ProcessBuilder(
                    java,
                    // What the java21 managed runtime sets by default (JAVA_TOOL_OPTIONS): C1 only, fast start.
                    "-XX:+TieredCompilation",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xshare:auto",
                    // Lambda's stdout is UTF-8 whatever the locale of this machine.
                    "-Dfile.encoding=UTF-8",
                    "-Dsun.stdout.encoding=UTF-8",
                    "-Dsun.stderr.encoding=UTF-8",
                    "-Xmx"
                            + Math.max(
                                    64,
                                    Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")) / 2)
                            + "m",
                    "-D" + LocalRuntimeMain.SNAPSTART_PROPERTY + "=" + snapStart,
                    "-cp",
                    String.join(File.pathSeparator, classpath),
                    LocalRuntimeMain.class.getName(),
                    handler,
                    String.valueOf(server.getLocalPort()));
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.directory(artifact.toFile());
            pb.redirectErrorStream(true);
            Process process = pb.start();
            LIVE.add(process);
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> pump(process, queue), "log-" + name);
            reader.setDaemon(true);
            reader.start();
            // Wait for the child to connect, but not for a JVM that already died (bad classpath, bad flags).
            server.setSoTimeout(200);
            Socket socket = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (socket == null) {
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    boolean alive = process.isAlive();
                    if (!alive || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        LIVE.remove(process);
                        try {
                            reader.join(1000);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                        throw new FunctionInitException(
                                name + ": the function's JVM " + (alive ? "did not start within 30 s" : "exited") + ": "
                                        + String.join(" | ", drain(queue)));
                    }
                }
            }
            FunctionRuntime runtime = new FunctionRuntime(name, functionArn, timeoutSeconds, process, socket, queue);
            String status = runtime.in.readUTF();
            if (!"ready".equals(status)) {
                String message = runtime.in.readUTF();
                runtime.close();
                throw new FunctionInitException(name + ": Init error: " + message);
            }
            return runtime;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot start the function's JVM: " + e, e);
        }
    }

    private static void pump(Process process, BlockingQueue<String> queue) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                queue.add(line);
            }
        } catch (IOException e) {
            // The process ended: nothing more to read.
        } finally {
            queue.add(EOF);
        }
    }

    private static List<String> drain(BlockingQueue<String> queue) {
        List<String> out = new ArrayList<>();
        queue.drainTo(out);
        out.remove(EOF);
        return out;
    }

    public String name() {
        return name;
    }

    /** Lines the function logged during init (static initialisers, constructor). */
    public synchronized List<String> initLogs() {
        return List.copyOf(initLogs);
    }

    /** Invokes the function synchronously with one event, as Lambda's Invoke API would (RequestResponse). */
    public synchronized Invocation invoke(String payload) {
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        List<String> logs = new ArrayList<>();
        // Lines logged before this invocation (init) are kept apart.
        List<String> before = new ArrayList<>();
        lines.drainTo(before);
        before.remove(EOF);
        initLogs.addAll(before);
        try {
            byte[] body = payload.getBytes(StandardCharsets.UTF_8);
            long deadlineMs = System.currentTimeMillis() + timeoutSeconds * 1000L;
            out.writeUTF(requestId);
            out.writeLong(deadlineMs);
            out.writeUTF(functionArn);
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            String end = linesUntil(LocalRuntimeMain.END_MARKER + requestId, deadline, logs);
            if (end == null) {
                close();
                return new Invocation(
                        requestId,
                        true,
                        "{\"errorMessage\":\"Task timed out after " + timeoutSeconds + " seconds\"}",
                        logs,
                        (System.nanoTime() - start) / 1_000_000);
            }
            if (end.equals(EOF)) {
                return new Invocation(
                        requestId,
                        true,
                        "{\"errorMessage\":\"Runtime exited\"}",
                        logs,
                        (System.nanoTime() - start) / 1_000_000);
            }
            String status = in.readUTF();
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            long respondedAt = System.nanoTime();
            return new Invocation(
                    requestId,
                    !"ok".equals(status),
                    new String(response, StandardCharsets.UTF_8),
                    logs,
                    (System.nanoTime() - start) / 1_000_000,
                    respondedAt);
        } catch (IOException e) {
            return new Invocation(
                    requestId,
                    true,
                    "{\"errorMessage\":\"Runtime exited: " + e.getMessage() + "\"}",
                    logs,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + name, e);
        }
    }

    /**
     * Adds the function's log lines to {@code logs} until {@code marker}; answers what ended them: the marker, EOF (the
     * runtime exited) or null (the deadline came first).
     */
    private String linesUntil(String marker, long deadlineNanos, List<String> logs) throws InterruptedException {
        while (true) {
            String line = lines.poll(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF) || line.equals(marker)) {
                return line;
            }
            logs.add(line);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** The handler could not be loaded: what Lambda reports as Runtime.ImportModuleError / an init error. */
    public static final class FunctionInitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FunctionInitException(String message) {
            super(message);
        }
    }
}
