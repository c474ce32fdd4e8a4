package dev.roleproof.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.testing.RequiredTool;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MotoServerIT {

    static void assumeMoto() {
        RequiredTool.require("moto_server");
    }

    @Test
    void startsOnLoopbackAnswersAndStopsByPid() throws Exception {
        assumeMoto();
        ProcessHandle handle;
        URI endpoint;
        try (MotoServer moto = MotoServer.start()) {
            endpoint = moto.endpoint();
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(moto.isReady()).isTrue();
            long pid = moto.pid().orElseThrow();
            handle = ProcessHandle.of(pid).orElseThrow();
            assertThat(handle.isAlive()).isTrue();

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);

            // attach() to a running server works and never stops it.
            try (MotoServer attached = MotoServer.attach(endpoint)) {
                assertThat(attached.pid()).isEmpty();
                assertThat(attached.endpoint()).isEqualTo(endpoint);
            }
            assertThat(moto.isReady()).isTrue();
            moto.reset();
        }
        handle.onExit().get(5, TimeUnit.SECONDS);
        assertThat(handle.isAlive()).isFalse();
        assertThatThrownBy(() -> MotoServer.attach(endpoint))
                .isInstanceOf(MotoException.class)
                .hasMessageStartingWith("no moto server answers at " + endpoint)
                .hasMessageNotContaining("\n");
    }

    @Test
    void terminatingTheJvmStopsMotoLikeCtrlC() throws Exception {
        assumeMoto();
        // MotoServer needs only the JDK: main and test classes make the child's whole classpath.
        String classpath = Path.of(MotoServer.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                + File.pathSeparator
                + Path.of(MotoServerChild.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", classpath, MotoServerChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ProcessHandle moto = null;
        try {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream())).readLine();
            assertThat(line).as("the child printed moto's PID").isNotNull().matches("[0-9]+");
            moto = ProcessHandle.of(Long.parseLong(line)).orElseThrow();
            assertThat(moto.isAlive()).isTrue();
            child.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
            assertThat(child.waitFor(15, TimeUnit.SECONDS)).isTrue();
            ProcessHandle server = moto;
            assertThat(server.onExit()).succeedsWithin(10, TimeUnit.SECONDS);
            assertThat(server.isAlive()).isFalse();
        } finally {
            child.destroyForcibly();
            if (moto != null && moto.isAlive()) {
                moto.destroyForcibly(); // the hook failed: do not leave an orphan behind
            }
        }
    }

    @Test
    void twoServersGetTwoPorts() {
        assumeMoto();
        try (MotoServer a = MotoServer.start();
                MotoServer b = MotoServer.start()) {
            assertThat(a.endpoint()).isNotEqualTo(b.endpoint());
            assertThat(a.isReady()).isTrue();
            assertThat(b.isReady()).isTrue();
        }
    }

    @Test
    void missingExecutableSaysHowToGetIt() {
        assertThatThrownBy(() -> MotoServer.start(Path.of("moto_server_that_does_not_exist")))
                .isInstanceOf(MotoMissingException.class)
                .hasMessageStartingWith("cannot run moto_server_that_does_not_exist")
                .hasMessageNotContaining("\n");
    }

    @Test
    void attachToNothingIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/");
        assertThatThrownBy(() -> MotoServer.attach(nowhere))
                .isInstanceOf(MotoException.class)
                .hasMessage("no moto server answers at http://127.0.0.1:" + port + " (GET /moto-api/ failed)");
    }
}
