package dev.roleproof.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code roleproof}: the root command. Prints its usage when no subcommand is given. */
@Command(
        name = "roleproof",
        mixinStandardHelpOptions = true,
        versionProvider = RoleProofCommand.Version.class,
        description = "Lambda functions that prove their own permissions: check, evaluate, run locally, measure.",
        footer = {"", "Run 'roleproof COMMAND --help' for a command's options."})
public final class RoleProofCommand implements Callable<Integer> {

    private final Console console;

    @Spec
    CommandSpec spec;

    public RoleProofCommand(Console console) {
        this.console = console;
    }

    public Console console() {
        return console;
    }

    @Override
    public Integer call() {
        // No subcommand: a usage error, so the usage goes to stderr.
        spec.commandLine().usage(console.err());
        return ExitCode.UNUSABLE.code();
    }

    public static void main(String[] args) {
        // A raw, unsynchronised stdout: eval writes a line per case and System.out's locking shows in its throughput.
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        int code = run(Console.of(System.in, out, System.err), args);
        System.exit(code);
    }

    /** Runs one command line against the given streams and returns the exit code (tests call this). */
    public static int run(Console console, String... args) {
        CommandLine cl = commandLine(console, args);
        int code = cl.execute(args);
        console.outWriter().flush();
        console.err().flush();
        try {
            console.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return code;
    }

    public static int run(InputStream in, OutputStream out, OutputStream err, String... args) {
        return run(Console.of(in, out, err), args);
    }

    /** The subcommands, in the order --help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("eval", EvalCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("local", LocalCommand::new);
        SUBCOMMANDS.put("bench", BenchCommand::new);
    }

    /**
     * The command line for these arguments. When they name a subcommand, only that one is registered: picocli reads
     * every registered command's annotations up front, and its Java 5 class files cannot go into the launcher's
     * class-data archive, so each command it need not model saves start-up time. Anything else (no command, a typo,
     * --help, --version) gets all of them, for the usage, suggestions and errors.
     */
    static CommandLine commandLine(Console console, String... args) {
        CommandLine cl = new CommandLine(new RoleProofCommand(console));
        String first = args.length > 0 ? args[0] : null;
        if (first != null && SUBCOMMANDS.containsKey(first)) {
            cl.addSubcommand(first, SUBCOMMANDS.get(first).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        cl.setOut(console.outWriter());
        cl.setErr(console.err());
        cl.setExitCodeExceptionMapper(t -> ExitCode.UNUSABLE.code());
        cl.setParameterExceptionHandler(RoleProofCommand::onParameterException);
        cl.setExecutionExceptionHandler(RoleProofCommand::onExecutionException);
        // Exit codes in every command's --help, from the one enum.
        applyExitCodeList(cl);
        return cl;
    }

    private static void applyExitCodeList(CommandLine cl) {
        cl.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.usageList());
        for (CommandLine sub : cl.getSubcommands().values()) {
            applyExitCodeList(sub);
        }
    }

    /** A usage error: one line with a hint where to look, then exit 2. */
    static int onParameterException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        StringBuilder line = new StringBuilder(cl.getCommandSpec().qualifiedName())
                .append(": ")
                .append(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException) {
            var suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ")
                        .append(String.join(" or ", suggestions))
                        .append("?)");
            }
        }
        line.append("; see '").append(cl.getCommandSpec().qualifiedName()).append(" --help'");
        cl.getErr().println(line);
        cl.getErr().flush();
        return ExitCode.UNUSABLE.code();
    }

    /** An error while running: one line; the stack trace only with -x. */
    static int onExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        boolean trace = wantsStacktrace(parseResult);
        String name = cl.getCommandSpec().qualifiedName();
        int code;
        if (ex instanceof UserException) {
            cl.getErr().println(name + ": " + ex.getMessage());
            code = ((UserException) ex).exitCode().code();
        } else {
            cl.getErr()
                    .println(name + ": unexpected error: " + ex
                            + (trace ? "" : " (run again with -x for the stack trace)"));
            code = ExitCode.UNUSABLE.code();
        }
        if (trace) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return code;
    }

    private static boolean wantsStacktrace(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }

    /** Version from the build (filtered resource), so --version never drifts from the pom. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = BuildInfo.properties();
            return new String[] {
                "roleproof " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
