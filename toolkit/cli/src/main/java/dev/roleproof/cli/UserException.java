package dev.roleproof.cli;

/**
 * A failure the user can fix (missing file, missing tool, bad input): printed as one line on stderr, never with a
 * stack trace unless {@code -x} is given.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public UserException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
