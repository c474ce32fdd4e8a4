package dev.roleproof.cli;

import dev.roleproof.local.LocalException;
import dev.roleproof.local.LocalOptions;
import dev.roleproof.local.LocalReport;
import dev.roleproof.local.LocalRun;
import dev.roleproof.local.Shutdown;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code roleproof local}: deploys template.yaml (account A) and target-account/template.yaml (account B) into moto,
 * plays the Lambda service for the four patterns with every call judged by the engine, and reports each pattern
 * with its self-check and observed least privilege. Exit 0 when all pass, 1 when one fails (always with --break),
 * 2 for unusable input or environment.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the four permission patterns end to end on this machine: moto as AWS, RoleProof as the"
                    + " Lambda service (role sessions, SQS and stream pollers, S3 push, cross-account), every AWS call judged by"
                    + " RoleProof's engine. Needs the functions built (./mvnw -B -q -DskipTests package) and moto_server.",
            "Formats: text (default, with progress), json (progress on stderr)."
        })
public final class LocalCommand implements Callable<Integer> {

    @ParentCommand
    RoleProofCommand root;

    @Mixin
    CommonOptions common;

    @Option(
            names = "--template",
            paramLabel = "FILE",
            defaultValue = "template.yaml",
            description =
                    "Account A's template; functions/ and events/ are read next to it (default: ${DEFAULT-VALUE}).")
    Path template;

    @Option(
            names = "--target",
            paramLabel = "FILE",
            description = "Account B's template (default: target-account/template.yaml next to --template).")
    Path target;

    @Option(
            names = "--account",
            paramLabel = "ID",
            defaultValue = LocalOptions.DEFAULT_ACCOUNT,
            description = "Account A's id (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(
            names = "--target-account",
            paramLabel = "ID",
            defaultValue = LocalOptions.DEFAULT_TARGET_ACCOUNT,
            description = "Account B's id (default: ${DEFAULT-VALUE}).")
    String targetAccount;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "Use a moto server already running at URL instead of starting one (it must be empty).")
    String endpoint;

    @Option(names = "--list-breaks", description = "List the named misconfigurations --break can apply, and exit.")
    boolean listBreaks;

    @Option(
            names = "--break",
            paramLabel = "NAME",
            description = "Apply one misconfiguration to the model before deploying, run its pattern, and show the"
                    + " failure as AWS would, the fix, and what roleproof check says (exit 1).")
    String breakName;

    @Override
    public Integer call() {
        Format format = common.format(Format.text, Format.text, Format.json);
        Console console = root.console();
        PrintWriter out = console.outWriter();
        if (listBreaks) {
            for (String[] b : LocalRun.breaks()) {
                out.printf("%-28s %-20s %s%n", b[0], b[1], b[2]);
            }
            out.flush();
            return ExitCode.OK.code();
        }
        account("--account", account);
        account("--target-account", targetAccount);
        Path rootDir = template.toAbsolutePath().getParent();
        Path b = target != null ? target : rootDir.resolve("target-account/template.yaml");
        LocalOptions options = new LocalOptions(
                rootDir,
                template.toAbsolutePath(),
                b.toAbsolutePath(),
                account,
                targetAccount,
                endpoint == null ? null : uri(endpoint),
                breakName);
        PrintWriter progressTo = format == Format.json ? console.err() : out;
        long start = System.nanoTime();
        Consumer<String> progress = line -> {
            if (Shutdown.inProgress()) {
                return; // Interrupted: what fails now is the interruption, said once by the hook below.
            }
            synchronized (progressTo) {
                progressTo.printf("[%5.1fs] %s%n", (System.nanoTime() - start) / 1e9, line);
                progressTo.flush();
            }
        };
        LocalReport report;
        try (Shutdown.Registration interrupted = Shutdown.onInterrupt(() -> {
            console.err()
                    .println("roleproof local: interrupted: stopping moto and the functions' JVMs, removing temporary"
                            + " files");
            console.err().flush();
        })) {
            report = LocalRun.run(options, progress);
        } catch (LocalException e) {
            if (Shutdown.inProgress()) {
                Shutdown.awaitHalt();
            }
            throw new UserException(ExitCode.UNUSABLE, e.getMessage(), e);
        } catch (RuntimeException e) {
            if (Shutdown.inProgress()) {
                Shutdown.awaitHalt();
            }
            throw e;
        }
        if (Shutdown.inProgress()) {
            Shutdown.awaitHalt();
        }
        out.print(format == Format.json ? report.toJson() + System.lineSeparator() : report.toText());
        out.flush();
        if (report.inconclusiveReason() != null) {
            throw new UserException(
                    ExitCode.UNUSABLE, "the environment was too slow to decide: " + report.inconclusiveReason());
        }
        return report.exitCode() == 0 ? ExitCode.OK.code() : ExitCode.FINDINGS.code();
    }

    private static URI uri(String value) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new URISyntaxException(value, "expected http://HOST:PORT");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new UserException(
                    ExitCode.UNUSABLE, "--endpoint must be a URL such as http://127.0.0.1:5000, not '" + value + "'");
        }
    }

    private static void account(String option, String value) {
        if (value == null || !value.matches("\\d{12}")) {
            throw new UserException(ExitCode.UNUSABLE, option + " must be 12 digits, not '" + value + "'");
        }
    }
}
