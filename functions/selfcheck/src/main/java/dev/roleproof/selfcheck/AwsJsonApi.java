package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.JsonLines;
import dev.roleproof.selfcheck.internal.SignedHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;

/**
 * Calls of an AWS JSON-protocol API (SQS, DynamoDB, DynamoDB Streams) for the self-check's probes: the request as
 * the SDK's client sends it (POST, X-Amz-Target, JSON 1.0 body), signed with the SDK's SigV4 signer and sent through
 * the function's own HTTP client; a refusal is the SDK's {@link AwsServiceException} with the error code its JSON
 * protocol would read, so it classifies exactly as one from the service's client (a test compares them).
 *
 * <p>Hand-written rather than the SDK's service clients on purpose, for the functions that make no AWS call of their
 * own (the SQS consumer and the stream processor: Lambda's poller reads for them): there the self-check's probes were
 * their only SDK work, and building a service client took ~220 ms of a cold JVM and its first call ~110 ms more
 * (measured: README "Figures"), most of the self-check's share of a cold start; their modules were also most of these
 * packages. The functions that do call AWS (S3, the cross-account reader) probe with the clients they already have.
 */
public final class AwsJsonApi {

    /** The JSON-protocol APIs the reference's probes call. */
    public enum Service {
        SQS("Sqs", "sqs", "AmazonSQS", "sqs", "SQS", true),
        DYNAMODB("DynamoDb", "dynamodb", "DynamoDB_20120810", "dynamodb", "DYNAMODB", false),
        DYNAMODB_STREAMS(
                "DynamoDbStreams",
                "dynamodb",
                "DynamoDBStreams_20120810",
                "streams.dynamodb",
                "DYNAMODB_STREAMS",
                false);

        private final String sdkName;
        private final String signingName;
        private final String targetPrefix;
        private final String hostPrefix;
        private final String endpointVariable;
        /** SQS moved from the Query protocol to JSON; it still names its errors by their Query codes on request. */
        private final boolean queryCompatible;

        Service(
                String sdkName,
                String signingName,
                String targetPrefix,
                String hostPrefix,
                String endpointVariable,
                boolean queryCompatible) {
            this.sdkName = sdkName;
            this.signingName = signingName;
            this.targetPrefix = targetPrefix;
            this.hostPrefix = hostPrefix;
            this.endpointVariable = endpointVariable;
            this.queryCompatible = queryCompatible;
        }
    }

    private final Service service;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;

    private AwsJsonApi(
            Service service, SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
        this.service = service;
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * @param env where AWS_ENDPOINT_URL_&lt;SERVICE&gt; / AWS_ENDPOINT_URL are read, as the SDK reads them
     *            (System::getenv in Lambda); without them the service's regional endpoint in the region's partition
     */
    public static AwsJsonApi of(
            Service service,
            SdkHttpClient http,
            AwsCredentialsProvider credentials,
            Region region,
            UnaryOperator<String> env) {
        return new AwsJsonApi(
                service,
                http,
                credentials,
                region,
                SignedHttp.endpoint(service.endpointVariable, service.hostPrefix, region, env));
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * One operation: its JSON answer on success.
     *
     * @param operation the API's operation name, e.g. "GetQueueAttributes"
     * @param request the request's members (maps, lists, strings, numbers) as the API reference names them
     * @throws AwsServiceException on an error answer, with the service's error code and message
     * @throws IOException when no answer came (network)
     */
    public byte[] call(String operation, Map<String, ?> request) throws IOException {
        SdkHttpRequest.Builder http = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", service.targetPrefix + "." + operation);
        if (service.queryCompatible) {
            http.putHeader("x-amzn-query-mode", "true");
        }
        byte[] body = JsonLines.toJson(request).getBytes(StandardCharsets.UTF_8);
        SignedHttp.Answer answer =
                SignedHttp.send(this.http, credentials, region, service.signingName, http.build(), body);
        if (answer.status() / 100 != 2) {
            throw error(answer);
        }
        return answer.body();
    }

    /** The error as the SDK's JSON protocol reads it (AwsJsonProtocolErrorUnmarshaller): code and message. */
    private AwsServiceException error(SignedHttp.Answer answer) {
        JsonNode body = parse(answer.body());
        String code = null;
        if (service.queryCompatible) {
            // "AWS.SimpleQueueService.NonExistentQueue;Sender": the Query code, which the SDK prefers when sent.
            code = answer.header("x-amzn-query-error")
                    .map(v -> v.split(";", 2)[0])
                    .filter(v -> !v.isBlank())
                    .orElse(null);
        }
        if (code == null) {
            code = answer.header("x-amzn-ErrorType")
                    .or(() -> text(body, "__type"))
                    .or(() -> text(body, "code"))
                    .map(AwsJsonApi::shortCode)
                    .orElse(null);
        }
        String message = text(body, "message")
                .or(() -> text(body, "Message"))
                .or(() -> text(body, "errorMessage"))
                .orElse(null);
        return SignedHttp.serviceError(
                service.sdkName,
                answer.status(),
                code,
                message,
                answer.header("x-amzn-RequestId").orElse(null));
    }

    /** "com.amazon.coral.service#AccessDeniedException:http://..." is AccessDeniedException. */
    static String shortCode(String raw) {
        String code = raw;
        int colon = code.indexOf(':');
        if (colon >= 0) {
            code = code.substring(0, colon);
        }
        int hash = code.lastIndexOf('#');
        return (hash >= 0 ? code.substring(hash + 1) : code).trim();
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JsonNode.parser().parse("{}");
        }
        try {
            return JsonNode.parser().parse(body);
        } catch (RuntimeException e) {
            // An error page that is not JSON (a proxy's HTML): the status still says what happened.
            return JsonNode.parser().parse("{}");
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        return body.isObject() ? body.field(field).filter(JsonNode::isString).map(JsonNode::text) : Optional.empty();
    }

    @Override
    public String toString() {
        return service.name().toLowerCase(Locale.ROOT) + " at " + endpoint;
    }
}
