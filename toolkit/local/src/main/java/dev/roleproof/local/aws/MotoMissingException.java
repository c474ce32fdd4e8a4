package dev.roleproof.local.aws;

/** moto_server is not installed (not on PATH, or its Python has no moto). */
public class MotoMissingException extends MotoException {
    public static final String HINT = "install it with: pip install \"moto[server]\"";

    public MotoMissingException(String what) {
        super(what + "; " + HINT);
    }
}
