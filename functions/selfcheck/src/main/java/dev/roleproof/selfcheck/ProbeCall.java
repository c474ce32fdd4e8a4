package dev.roleproof.selfcheck;

/**
 * One harmless AWS call. Returning normally means the call was authorized (ALLOWED); an exception is classified
 * (AccessDenied family: DENIED; anything else: INCONCLUSIVE).
 */
@FunctionalInterface
public interface ProbeCall {
    void call() throws Exception;

    /**
     * A call that is authorized when it fails with one of these error codes, because the service only reaches that
     * error after authorization: e.g. "ConditionalCheckFailedException" for a write guarded by a condition that never
     * holds. This lets a forbidden write be probed without ever changing data.
     */
    static ProbeCall authorizedIfErrorCode(ProbeCall call, String... errorCodes) {
        return () -> {
            try {
                call.call();
            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                String code =
                        e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                for (String allowed : errorCodes) {
                    if (allowed.equals(code)) {
                        return;
                    }
                }
                throw e;
            }
        };
    }
}
