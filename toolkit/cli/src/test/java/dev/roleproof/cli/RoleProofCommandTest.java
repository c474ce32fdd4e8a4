package dev.roleproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RoleProofCommandTest {

    @Test
    void noSubcommandPrintsUsageOnStderrAndExits2() {
        Cli.Run r = Cli.run("");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Usage: roleproof").contains("eval").contains("bench");
    }

    @Test
    void helpListsSubcommandsAndTheExitCodesFromTheEnum() {
        Cli.Run r = Cli.run("", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Exit codes:");
        for (ExitCode c : ExitCode.values()) {
            assertThat(r.out())
                    .containsPattern("(?m)^\\s+" + c.code() + "\\s+"
                            + java.util.regex.Pattern.quote(c.description().substring(0, 20)));
        }
    }

    @Test
    void subcommandHelpAlsoListsExitCodes() {
        Cli.Run r = Cli.run("", "eval", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Usage: roleproof eval")
                .contains("--[no-]explain")
                .contains("Exit codes:");
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Run r = Cli.run("", "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("roleproof 0.").doesNotContain("${");
    }

    @Test
    void unknownOptionIsOneStderrLineWithAHint() {
        Cli.Run r = Cli.run("", "eval", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("see 'roleproof eval --help'");
    }

    @Test
    void mistypedSubcommandSuggestsTheRightOne() {
        Cli.Run r = Cli.run("", "evl");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("did you mean eval?");
    }

    @Test
    void unsupportedFormatIsAUsageError() {
        Cli.Run r = Cli.run("", "eval", "--format", "sarif");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("'roleproof eval' does not support --format sarif (supported: json)");
    }

    @Test
    void invalidEnumValueIsAUsageError() {
        Cli.Run r = Cli.run("", "eval", "--format", "yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("--format").contains("yaml");
    }

    @Test
    void userErrorIsOneLineWithoutStackTrace() {
        Cli.Run r = Cli.run(failing(new IOException("pipe closed")), "eval");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("roleproof eval: cannot read stdin or write stdout: pipe closed");
    }

    @Test
    void unexpectedErrorIsOneLineAndPointsAtDashX() {
        Cli.Run r = Cli.run(failing(new IllegalStateException("boom")), "eval");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err())
                .contains("unexpected error: java.lang.IllegalStateException: boom")
                .contains("run again with -x");
    }

    @Test
    void dashXPrintsTheStackTrace() {
        Cli.Run r = Cli.run(failing(new IllegalStateException("boom")), "eval", "-x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("unexpected error: java.lang.IllegalStateException: boom")
                .contains("\tat ");
        assertThat(r.err().lines().count()).isGreaterThan(3);
    }

    /** A stdin that fails on first read (the only way to make a real command fail mid-run in-process). */
    private static InputStream failing(Exception e) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (e instanceof IOException) {
                    throw (IOException) e;
                }
                throw (RuntimeException) e;
            }
        };
    }
}
