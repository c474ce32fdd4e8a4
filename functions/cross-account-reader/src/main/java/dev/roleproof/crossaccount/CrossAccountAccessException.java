package dev.roleproof.crossaccount;

/**
 * Which side of the cross-account chain refused, in one sentence: the Lambda runtime returns the message to the
 * caller as errorMessage.
 */
public class CrossAccountAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which link of the chain failed. */
    public enum Side {
        /** AssumeRole was refused: B's trust policy (principal, ExternalId) or A's sts:AssumeRole grant. */
        ASSUME_ROLE_REFUSED,
        /** AssumeRole succeeded but B's role may not read the table. */
        TABLE_ACCESS_DENIED,
        /** The table or role does not exist in B. */
        NOT_FOUND
    }

    private final Side side;

    public CrossAccountAccessException(Side side, String message, Throwable cause) {
        super(message, cause);
        this.side = side;
    }

    public Side side() {
        return side;
    }
}
