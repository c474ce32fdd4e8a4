package dev.roleproof.local.enforce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4-signed request: who signed it (access key id) and for which region and service.
 * The signature itself is not verified: moto does not either, and the caller is identified by its key alone.
 */
record SigV4Credential(String accessKeyId, String region, String service) {
    // Credential=AKID/20261129/us-east-1/sqs/aws4_request
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/[0-9]{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("([^/]+)/[0-9]{8}/([^/]+)/([^/]+)/aws4_request");

    /** From the Authorization header (AWS4-HMAC-SHA256 ...). */
    static Optional<SigV4Credential> fromAuthorization(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-")) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? Optional.of(new SigV4Credential(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** From a presigned URL's decoded X-Amz-Credential parameter. */
    static Optional<SigV4Credential> fromQuery(String xAmzCredential) {
        if (xAmzCredential == null) {
            return Optional.empty();
        }
        Matcher m = QUERY_CREDENTIAL.matcher(xAmzCredential);
        return m.matches() ? Optional.of(new SigV4Credential(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }
}
