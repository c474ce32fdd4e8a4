package dev.roleproof.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every subcommand shares: {@code --format} (where supported) and {@code -x/--stacktrace}. */
public class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "Output format, one of ${COMPLETION-CANDIDATES}; the command's description says which it "
                    + "supports.")
    Format format;

    @Option(
            names = {"-x", "--stacktrace"},
            description = "Print the stack trace of an unexpected error.")
    boolean stacktrace;

    /**
     * The format the user chose, or {@code fallback}; a format the command does not support is a usage error.
     */
    public Format format(Format fallback, Format... supported) {
        Format chosen = format == null ? fallback : format;
        if (!Arrays.asList(supported).contains(chosen)) {
            String names = Arrays.stream(supported).map(Enum::name).collect(Collectors.joining(", "));
            throw new ParameterException(
                    mixee.commandLine(),
                    "'" + mixee.qualifiedName() + "' does not support --format " + chosen + " (supported: " + names
                            + ")");
        }
        return chosen;
    }

    public boolean stacktrace() {
        return stacktrace;
    }
}
