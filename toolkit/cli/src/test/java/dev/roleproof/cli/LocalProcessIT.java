package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.RequiredTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code roleproof local} as separate processes, as users run it (issue 17): two runs at once both pass (their ports,
 * temporary folders and moto servers never collide); Ctrl-C or SIGTERM ends a run with one line, a non-zero exit, no
 * temporary file and no process left behind; a self-check that cannot answer in time makes the run INCONCLUSIVE with
 * exit 2, never FAIL. Each run gets its own java.io.tmpdir, so what it leaves there is visible.
 */
class LocalProcessIT {

    static Path root;
    static Path jar;

    @BeforeAll
    static void built() {
        root = LocalCommandTest.projectRoot();
        jar = root.resolve("toolkit/cli/target/roleproof.jar");
        RequiredTool.require("moto_server");
        if (!Files.isRegularFile(jar)) {
            RequiredTool.missing("toolkit/cli/target/roleproof.jar is not built: ./mvnw -B package");
        }
    }

    /** A running `roleproof local`: its process and what it has printed so far. */
    record Run(Process process, List<String> out, List<String> err, Path tmp) {
        int await() throws InterruptedException {
            assertThat(process.waitFor(5, TimeUnit.MINUTES))
                    .as("roleproof local ended")
                    .isTrue();
            return process.exitValue();
        }
    }

    static Run start(Path tmp, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-jar",
                jar.toString(),
                "local"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root.toFile()).start();
        Run run = new Run(
                p,
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()),
                tmp);
        pump(p.getInputStream(), run.out());
        pump(p.getErrorStream(), run.err());
        return run;
    }

    private static void pump(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static List<Path> leftIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void twoRunsAtOnceBothPass(@TempDir Path tmp) throws Exception {
        Run one = start(Files.createDirectory(tmp.resolve("one")));
        Run two = start(Files.createDirectory(tmp.resolve("two")));

        int first = one.await();
        int second = two.await();

        for (Run run : List.of(one, two)) {
            assertThat(run.out()).as(String.join("\n", run.err())).anyMatch(l -> l.startsWith("PASS: 4 of 4"));
            assertThat(leftIn(run.tmp())).as("temporary files left").isEmpty();
        }
        assertThat(first).isZero();
        assertThat(second).isZero();
        // Each run had its own moto.
        assertThat(one.out()).anyMatch(l -> l.contains("moto started at"));
        assertThat(motoEndpoint(one)).isNotEqualTo(motoEndpoint(two));
    }

    private static String motoEndpoint(Run run) {
        return run.out().stream()
                .filter(l -> l.contains("moto started at"))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalEndsTheRunWithOneLineAndLeavesNothingBehind(String signal, @TempDir Path tmp) throws Exception {
        Run run = start(tmp);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (run.out().stream().noneMatch(l -> l.contains("function started in its own JVM"))) {
            assertThat(run.process().isAlive()).as(String.join("\n", run.err())).isTrue();
            assertThat(System.nanoTime()).as("a function started").isLessThan(deadline);
            Thread.sleep(50);
        }
        // Mid-run: moto, the enforcing proxy and the functions' JVMs are up, the runtime is extracted.
        List<ProcessHandle> children = run.process().descendants().toList();
        assertThat(children).isNotEmpty();
        Process kill = new ProcessBuilder(
                        "kill", "-" + signal, String.valueOf(run.process().pid()))
                .start();
        assertThat(kill.waitFor()).isZero();

        int exit = run.await();

        assertThat(exit).as("exit after SIG" + signal).isNotZero();
        Thread.sleep(500); // the stderr pump may still be reading the last line
        assertThat(run.err())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("roleproof local: interrupted: "));
        assertThat(String.join("\n", run.out())).doesNotContain("unexpected error", "Exception");
        assertThat(leftIn(tmp)).as("temporary files left").isEmpty();
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertThat(child.isAlive())
                    .as(child.info().command().orElse("a child") + " left running")
                    .isFalse();
        }
    }

    @Test
    void aSelfCheckThatCannotAnswerInTimeIsInconclusiveWithExit2(@TempDir Path project) throws Exception {
        // The project as it is, with a template whose self-checks have a bound no call can meet.
        for (String shared : List.of("functions", "events", "target-account", "samconfig.toml")) {
            Files.createSymbolicLink(project.resolve(shared), root.resolve(shared));
        }
        Files.writeString(
                project.resolve("template.yaml"),
                Files.readString(root.resolve("template.yaml"))
                        .replace(
                                "          ROLEPROOF_SELF_CHECK: first\n",
                                "          ROLEPROOF_SELF_CHECK: \"off\"\n          ROLEPROOF_SELF_CHECK_TIMEOUT_MS: \"1\"\n"));
        Path tmp = Files.createDirectory(project.resolve("tmp"));

        Run run = start(tmp, "--template", project.resolve("template.yaml").toString());

        assertThat(run.await()).isEqualTo(2);
        Thread.sleep(500);
        assertThat(run.out()).anyMatch(l -> l.startsWith("INCONCLUSIVE: 0 of 4 patterns passed"));
        assertThat(run.out()).noneMatch(l -> l.startsWith("FAIL"));
        assertThat(run.err())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("roleproof local: the environment was too slow to decide: ")
                        .contains("did not answer within its bound"));
    }
}
