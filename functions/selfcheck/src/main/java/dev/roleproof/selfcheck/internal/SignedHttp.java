package dev.roleproof.selfcheck.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One request signed with the SDK's SigV4 signer and sent through the function's own HTTP client: what the
 * self-check's fixed calls share (CallerIdentity, AwsJsonApi). No retries: a probe that meets a throttle or a 5xx is
 * INCONCLUSIVE, which is the honest answer, and the self-check bounds each call by its own deadline.
 */
public final class SignedHttp {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SignedHttp() {}

    /** An answer of any status: the caller decides what an error looks like in its protocol. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        /** A header's first value, its name matched without regard to case as HTTP wants. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e ->
                            e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }
    }

    public static Answer send(
            SdkHttpClient http,
            AwsCredentialsProvider credentials,
            Region region,
            String signingName,
            SdkHttpRequest request,
            byte[] body)
            throws IOException {
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build());
        HttpExecuteResponse response;
        try {
            response = call.call();
        } catch (IOException | RuntimeException e) {
            call.abort();
            throw e;
        }
        Optional<? extends InputStream> stream = response.responseBody();
        try (InputStream in = stream.isPresent() ? stream.get() : new ByteArrayInputStream(new byte[0])) {
            return new Answer(
                    response.httpResponse().statusCode(),
                    response.httpResponse().headers(),
                    in.readAllBytes());
        }
    }

    /**
     * An error answer as the SDK's own protocol handlers raise it, so it classifies exactly as one from the service's
     * client.
     *
     * @param sdkServiceName the SDK's name of the service ("Sts", "Sqs", "DynamoDb", "DynamoDbStreams")
     */
    public static AwsServiceException serviceError(
            String sdkServiceName, int status, String code, String message, String requestId) {
        return AwsServiceException.builder()
                .statusCode(status)
                .message(message)
                .requestId(requestId)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName(sdkServiceName)
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }

    /**
     * The endpoint the SDK would use: AWS_ENDPOINT_URL_&lt;SERVICE&gt;, then AWS_ENDPOINT_URL (an emulator, sam local),
     * else https://&lt;host prefix&gt;.&lt;region&gt;.&lt;the partition's DNS suffix&gt;.
     *
     * @param serviceVariable the service's part of the variable name, e.g. "STS", "DYNAMODB_STREAMS"
     */
    public static URI endpoint(String serviceVariable, String hostPrefix, Region region, UnaryOperator<String> env) {
        for (String name : new String[] {"AWS_ENDPOINT_URL_" + serviceVariable, "AWS_ENDPOINT_URL"}) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return URI.create(value.trim());
            }
        }
        return URI.create("https://" + hostPrefix + "." + region.id() + "."
                + PartitionMetadata.of(region).dnsSuffix());
    }
}
