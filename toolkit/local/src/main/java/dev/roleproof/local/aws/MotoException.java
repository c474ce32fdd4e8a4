package dev.roleproof.local.aws;

/** moto could not be started or reached. The message is one line a user can act on. */
public class MotoException extends RuntimeException {
    public MotoException(String message) {
        super(message);
    }

    public MotoException(String message, Throwable cause) {
        super(message, cause);
    }
}
