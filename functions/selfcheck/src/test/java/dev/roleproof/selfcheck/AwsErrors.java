package dev.roleproof.selfcheck;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Replaces the answer to chosen operations with AWS's real error shapes (status, headers, body as each service sends
 * them), so the real SDK unmarshallers build the exceptions the self-check classifies. This stands in for the
 * engine-enforcing proxy of issue 6 until it exists; moto's own IAM checks are never used (they are not an authority:
 * NOTES §4). The call itself still reaches moto; the probes replaced here are harmless reads.
 */
final class AwsErrors implements ExecutionInterceptor {

    /** One error answer: HTTP status, headers, body (null for a bodiless answer such as S3's HEAD). */
    record Shape(int status, Map<String, String> headers, String body) {}

    private final Map<String, Shape> byOperation = new ConcurrentHashMap<>();

    AwsErrors fail(String operationName, Shape shape) {
        byOperation.put(operationName, shape);
        return this;
    }

    void clear() {
        byOperation.clear();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Shape shape = chosen(attributes);
        if (shape == null) {
            return context.httpResponse();
        }
        SdkHttpResponse.Builder b =
                SdkHttpResponse.builder().statusCode(shape.status()).statusText("error");
        b.putHeader("x-amzn-RequestId", "c0ffee00-0000-4000-8000-000000000000");
        shape.headers().forEach(b::putHeader);
        if (shape.body() != null) {
            b.putHeader("Content-Length", Integer.toString(shape.body().getBytes(StandardCharsets.UTF_8).length));
        } else {
            b.putHeader("Content-Length", "0");
        }
        return b.build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Shape shape = chosen(attributes);
        if (shape == null) {
            return context.responseBody();
        }
        String body = shape.body() == null ? "" : shape.body();
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private Shape chosen(ExecutionAttributes attributes) {
        return byOperation.get(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    // --- AWS's error shapes, per protocol -----------------------------------------------------------------------

    private static final String ROLE_SESSION = "arn:aws:sts::111111111111:assumed-role/SqsConsumerRole/fn";

    /** STS (query protocol, XML): AssumeRole refused by the trust policy or the caller's identity policy. */
    static Shape stsAccessDenied(String action, String resource) {
        return new Shape(
                403,
                Map.of("Content-Type", "text/xml"),
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>AccessDenied</Code><Message>User: " + ROLE_SESSION + " is not authorized to perform: "
                        + action + " on resource: " + resource + "</Message></Error>"
                        + "<RequestId>c0ffee00-0000-4000-8000-000000000000</RequestId></ErrorResponse>");
    }

    /** STS credential problem: 403, but no policy was evaluated. */
    static Shape stsInvalidClientTokenId() {
        return new Shape(
                403,
                Map.of("Content-Type", "text/xml"),
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>InvalidClientTokenId</Code><Message>The security token included in the request is"
                        + " invalid.</Message></Error><RequestId>c0ffee00</RequestId></ErrorResponse>");
    }

    static Shape stsThrottling() {
        return new Shape(
                400,
                Map.of("Content-Type", "text/xml"),
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                        + "<RequestId>c0ffee00</RequestId></ErrorResponse>");
    }

    /** SQS over its JSON protocol: the query-compatible code travels in x-amzn-query-error. */
    static Shape sqsAccessDenied(String action, String resource) {
        return new Shape(
                403,
                Map.of("Content-Type", "application/x-amz-json-1.0", "x-amzn-query-error", "AccessDenied;Sender"),
                "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"User: " + ROLE_SESSION
                        + " is not authorized to perform: " + action + " on resource: " + resource
                        + " because no identity-based policy allows the " + action + " action\"}");
    }

    /** DynamoDB and DynamoDB Streams (JSON 1.0): access denied comes back as HTTP 400. */
    static Shape dynamoAccessDenied(String action, String resource) {
        return new Shape(
                400,
                Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: " + ROLE_SESSION
                        + " is not authorized to perform: " + action + " on resource: " + resource
                        + " because no identity-based policy allows the " + action + " action\"}");
    }

    static Shape dynamoThrottling() {
        return new Shape(
                400,
                Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\","
                        + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}");
    }

    /** S3 (REST XML): a GET/LIST refused. */
    static Shape s3AccessDenied() {
        return new Shape(
                403,
                Map.of("Content-Type", "application/xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId>"
                        + "<HostId>aGVsbG8=</HostId></Error>");
    }

    /** S3 HEAD refused: AWS sends 403 with no body, so there is no error code at all. */
    static Shape s3HeadForbidden() {
        return new Shape(403, Map.of(), null);
    }

    static Shape s3InvalidAccessKeyId() {
        return new Shape(
                403,
                Map.of("Content-Type", "application/xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidAccessKeyId</Code>"
                        + "<Message>The AWS Access Key Id you provided does not exist in our records.</Message>"
                        + "<AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId><RequestId>1</RequestId><HostId>2</HostId>"
                        + "</Error>");
    }
}
