package dev.roleproof.local.aws;

/** moto_server is not installed and could not be (no Python, no PyPI), or it cannot start. */
public class MotoMissingException extends MotoException {
    public MotoMissingException(String what) {
        super(what);
    }
}
