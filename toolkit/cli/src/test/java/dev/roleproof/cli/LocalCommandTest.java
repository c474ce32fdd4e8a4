package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * roleproof local as a user runs it: options, exit codes and one-line errors, in process (LocalCommandIT runs a
 * break end to end).
 */
class LocalCommandTest {

    @Test
    void listBreaksPrintsNameFirstOnePerLine() {
        Cli.Run run = Cli.run("", "local", "--list-breaks");
        assertThat(run.exit()).isZero();
        String[] lines = run.out().split("\\R");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
        assertThat(lines[0]).startsWith("sqs-no-receive ");
        assertThat(run.out()).contains("xacct-wrong-external-id", "s3-permission-other-bucket");
    }

    @Test
    void unknownBreakIsOneLineAndExit2() {
        Path root = projectRoot();
        Cli.Run run =
                Cli.run("", "local", "--template", root.resolve("template.yaml").toString(), "--break", "nope");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("unknown break 'nope'");
    }

    @Test
    void missingTemplateIsOneLineAndExit2() {
        Cli.Run run = Cli.run("", "local", "--template", "/nonexistent/template.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no such template");
    }

    @Test
    void badAccountIsExit2() {
        Cli.Run run = Cli.run("", "local", "--account", "12");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--account must be 12 digits");
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("template.yaml"))) {
            p = p.getParent();
        }
        return p;
    }
}
