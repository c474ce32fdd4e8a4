package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's contract: stdout is the command's alone (JSON and SARIF parse on the run that makes the class-data
 * archive, on the runs that use it, and without one), the archive is made in the user's cache directory and never
 * in the checkout, and the command's exit code comes through.
 */
class LauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stdoutStaysParseableWithAndWithoutAnArchive(@TempDir Path home) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CACHE_HOME", null);
        env.put("ROLEPROOF_CACHE_DIR", null);
        String a = CheckCommandTest.root().resolve("template.yaml").toString();
        Path buildFolder = CheckCommandTest.root().resolve("toolkit/cli/target");
        List<String> archivesBefore = archives(buildFolder);
        for (int run = 0; run < 2; run++) {
            Launcher.Run r = Launcher.run(env, null, 120, "check", a, "--format", "sarif");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(JSON.readTree(r.out()).get("version").asText()).isEqualTo("2.1.0");
        }
        try (Stream<Path> files = Files.list(home.resolve(".cache/roleproof"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-check.jsa"));
        }
        // Nothing is written next to the jar (a checkout may be read-only): no archive there that was not before.
        assertThat(archives(buildFolder)).isEqualTo(archivesBefore);
        // No writable cache (here a path under /proc, where nobody may create anything): no archive, same output.
        env.put("ROLEPROOF_CACHE_DIR", "/proc/roleproof-cannot-exist");
        Launcher.Run r = Launcher.run(env, null, 120, "check", a, "--format", "json");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(JSON.readTree(r.out()).has("patterns")).isTrue();
    }

    @Test
    void exitCodesComeThrough(@TempDir Path home) throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        assertThat(Launcher.run(env, null, 60, "check", "/nonexistent.yaml").exit())
                .isEqualTo(2);
        assertThat(Launcher.run(env, null, 60, "nope").exit()).isEqualTo(2);
        Path bad = home.resolve("bad.yaml");
        Files.writeString(
                bad,
                Files.readString(CheckCommandTest.root().resolve("template.yaml"))
                        .replace("Resource: !GetAtt OrdersQueue.Arn", "Resource: !GetAtt AuditTable.Arn"));
        Launcher.Run findings = Launcher.run(env, null, 120, "check", bad.toString());
        assertThat(findings.exit()).as(findings.out()).isEqualTo(1);
    }

    private static List<String> archives(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsa"))
                    .sorted()
                    .toList();
        }
    }
}
