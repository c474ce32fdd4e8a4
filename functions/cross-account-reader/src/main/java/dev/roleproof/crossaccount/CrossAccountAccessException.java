package dev.roleproof.crossaccount;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Which link of the cross-account chain refused, in one sentence: the Lambda runtime returns the message to the caller
 * as errorMessage.
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

    /**
     * A failed read in B explained by the link that refused it: the credentials provider's AssumeRole (B's trust
     * policy, or A's grant) or B's table (B's role policy). Anything else is returned as it is.
     */
    public static RuntimeException explain(RuntimeException e, String roleArn, String tableArn) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StsException refused) {
                return isAccessDenied(refused)
                        ? new CrossAccountAccessException(
                                Side.ASSUME_ROLE_REFUSED,
                                "AssumeRole into " + roleArn + " was refused (" + code(refused) + "): B's trust policy"
                                        + " does not trust this role with this ExternalId, or this role's policy lacks"
                                        + " sts:AssumeRole on it",
                                e)
                        : new CrossAccountAccessException(
                                Side.NOT_FOUND, "AssumeRole into " + roleArn + " failed (" + code(refused) + ")", e);
            }
        }
        if (e instanceof ResourceNotFoundException) {
            return new CrossAccountAccessException(Side.NOT_FOUND, "Table " + tableArn + " does not exist in B", e);
        }
        if (e instanceof AwsServiceException denied && isAccessDenied(denied)) {
            return new CrossAccountAccessException(
                    Side.TABLE_ACCESS_DENIED,
                    "AssumeRole into " + roleArn + " succeeded, but B's role lacks dynamodb:GetItem on " + tableArn
                            + " (" + code(denied) + ")",
                    e);
        }
        return e;
    }

    static boolean isAccessDenied(AwsServiceException e) {
        return e.statusCode() == 403 || code(e).startsWith("AccessDenied");
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode()
                : "HTTP " + e.statusCode();
    }
}
