package dev.roleproof.local;

/** Unusable input or environment (exit 2): the message is one line, fit for stderr as is. */
public class LocalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalException(String message) {
        super(message);
    }

    public LocalException(String message, Throwable cause) {
        super(message, cause);
    }
}
