package dev.roleproof.selfcheck.internal;

import dev.roleproof.selfcheck.Observed;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns what a probe call threw into ALLOWED / DENIED / INCONCLUSIVE. Only the access-denied family counts as DENIED:
 * everything else (network, throttling, a missing resource, rejected credentials, timeouts) says nothing about the
 * role's permissions, so it is INCONCLUSIVE.
 */
public final class Classifier {

    /** One classification: the outcome and a short, human-readable reason. */
    public record Classification(Observed observed, String detail) {}

    /** Codes AWS services use for an authorization refusal (IAM, SNS/SQS query, EC2, S3, JSON services). */
    private static final Set<String> DENIED_CODES = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "AuthorizationError",
            "AuthorizationErrorException",
            "UnauthorizedOperation",
            "Forbidden");

    /**
     * 403s (and kin) about the request's credentials or signature, not about permissions: with these, IAM never
     * evaluated a policy, so they cannot be a verdict on the role.
     */
    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "ExpiredToken",
            "ExpiredTokenException",
            "UnrecognizedClientException",
            "InvalidAccessKeyId",
            "RequestExpired",
            "IncompleteSignature",
            "MissingAuthenticationToken",
            "InvalidToken",
            "TokenRefreshRequired",
            "AuthFailure",
            "InvalidSignatureException",
            "MissingAuthenticationTokenException");

    private static final Set<String> MISSING_CODES = Set.of(
            "ResourceNotFoundException",
            "NoSuchKey",
            "NoSuchBucket",
            "NotFound",
            "NoSuchEntity",
            "AWS.SimpleQueueService.NonExistentQueue",
            "QueueDoesNotExist",
            "TableNotFoundException");

    private Classifier() {}

    public static Classification allowed() {
        return new Classification(Observed.ALLOWED, "call succeeded");
    }

    /**
     * As {@link #classify(Throwable)}, for a probe of {@code action} ("service:Action"): a service error from another
     * service than the action's means the call never reached it (typically its credentials, from AssumeRole, were
     * refused), so it says nothing about the action: INCONCLUSIVE.
     */
    public static Classification classify(Throwable thrown, String action) {
        Throwable t = unwrap(thrown);
        if (t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null && action != null) {
            String service = ((AwsServiceException) t).awsErrorDetails().serviceName();
            int colon = action.indexOf(':');
            String prefix = colon > 0 ? action.substring(0, colon).toLowerCase(Locale.ROOT) : null;
            // SDK service names: "Sqs", "DynamoDb", "DynamoDbStreams" (dynamodb: actions), "S3", "Sts".
            if (service != null
                    && prefix != null
                    && !service.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return inconclusive("the call never reached " + prefix + ": " + service + " refused first ("
                        + classifyService((SdkServiceException) t).detail() + ")");
            }
        }
        return classify(t);
    }

    public static Classification classify(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof TimeoutException
                || t instanceof ApiCallTimeoutException
                || t instanceof ApiCallAttemptTimeoutException
                || t instanceof InterruptedException
                || t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)) {
            return inconclusive("timed out: " + oneLine(t));
        }
        if (t instanceof SdkServiceException) {
            return classifyService((SdkServiceException) t);
        }
        Throwable network = networkCause(t);
        if (network != null) {
            return inconclusive("network: " + network.getClass().getSimpleName() + " " + oneLine(network));
        }
        return inconclusive(t.getClass().getSimpleName() + ": " + oneLine(t));
    }

    private static Classification classifyService(SdkServiceException e) {
        String code = null;
        if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
            code = ((AwsServiceException) e).awsErrorDetails().errorCode();
        }
        int status = e.statusCode();
        String message = oneLine(e);
        String seen = (code == null ? "HTTP " + status : code + " (HTTP " + status + ")");
        if (e.isThrottlingException() || status == 429) {
            return inconclusive("throttled: " + seen);
        }
        if (code != null && CREDENTIAL_CODES.contains(code)) {
            return inconclusive("credentials rejected before any policy was evaluated: " + seen);
        }
        if (code != null && (DENIED_CODES.contains(code) || code.startsWith("AccessDenied"))) {
            return new Classification(Observed.DENIED, seen + ": " + message);
        }
        if (message.toLowerCase(Locale.ROOT).contains("not authorized to perform")) {
            return new Classification(Observed.DENIED, seen + ": " + message);
        }
        if (status == 403) {
            // S3 HEAD answers and some proxies send a bare 403 with no error code: still a refusal.
            return new Classification(Observed.DENIED, seen + ": " + message);
        }
        if (status == 404 || code != null && MISSING_CODES.contains(code)) {
            return inconclusive("resource missing: " + seen);
        }
        if (e.isRetryableException() || status >= 500) {
            return inconclusive("service error: " + seen);
        }
        return inconclusive("unexpected answer: " + seen + ": " + message);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Connection refused, unknown host, reset, read timeout...: all IOExceptions somewhere in the cause chain. */
    private static Throwable networkCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return c;
            }
        }
        return null;
    }

    private static Classification inconclusive(String detail) {
        return new Classification(Observed.INCONCLUSIVE, detail);
    }

    /** Messages can hold newlines (S3 XML); the report is one log line and stays short. */
    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
