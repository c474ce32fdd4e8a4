package dev.roleproof.local.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The access-denied response each service really sends, so the SDK raises the service's own exception with AWS's
 * status and error code:
 * <ul>
 *   <li>SQS, JSON protocol: HTTP 403, {@code x-amzn-query-error: AccessDenied;Sender} (SDK v2 takes the error code
 *       from this header for query-compatible services) and a JSON body; query protocol: 403 ErrorResponse XML.</li>
 *   <li>DynamoDB and Streams: HTTP 400, {@code __type ...#AccessDeniedException}.</li>
 *   <li>S3: HTTP 403 {@code <Error><Code>AccessDenied</Code>...}; HEAD responses have no body.</li>
 *   <li>STS and other query services: HTTP 403 {@code <ErrorResponse><Error><Code>AccessDenied} (Type Sender).</li>
 * </ul>
 */
final class DenyResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DenyResponses() {}

    record Response(int status, Map<String, String> headers, byte[] body) {}

    static Response deny(Protocol protocol, String message, boolean head) {
        String requestId = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        switch (protocol) {
            case SQS_JSON: {
                headers.put("x-amzn-RequestId", requestId);
                headers.put("x-amzn-query-error", "AccessDenied;Sender");
                headers.put("Content-Type", "application/x-amz-json-1.0");
                return new Response(
                        403, headers, json("com.amazon.coral.service#AccessDeniedException", "message", message));
            }
            case DYNAMODB:
            case JSON: {
                headers.put("x-amzn-RequestId", requestId);
                headers.put("Content-Type", "application/x-amz-json-1.0");
                return new Response(
                        400, headers, json("com.amazon.coral.service#AccessDeniedException", "Message", message));
            }
            case S3: {
                headers.put(
                        "x-amz-request-id",
                        requestId.replace("-", "").substring(0, 16).toUpperCase());
                headers.put("x-amz-id-2", requestId);
                headers.put("Content-Type", "application/xml");
                String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
                        + xml(message) + "</Message><RequestId>" + headers.get("x-amz-request-id")
                        + "</RequestId><HostId>"
                        + requestId + "</HostId></Error>";
                return new Response(403, headers, head ? new byte[0] : utf8(body));
            }
            case SQS_QUERY:
            case QUERY: {
                headers.put("x-amzn-RequestId", requestId);
                headers.put("Content-Type", "text/xml");
                String namespace = protocol == Protocol.SQS_QUERY
                        ? "http://queue.amazonaws.com/doc/2012-11-05/"
                        : "https://sts.amazonaws.com/doc/2011-06-15/";
                String body = "<ErrorResponse xmlns=\"" + namespace + "\">\n  <Error>\n    <Type>Sender</Type>\n"
                        + "    <Code>AccessDenied</Code>\n    <Message>" + xml(message)
                        + "</Message>\n  </Error>\n  <RequestId>"
                        + requestId + "</RequestId>\n</ErrorResponse>\n";
                return new Response(403, headers, utf8(body));
            }
            case REST:
            default: {
                headers.put("x-amzn-RequestId", requestId);
                headers.put("x-amzn-ErrorType", "AccessDeniedException");
                headers.put("Content-Type", "application/json");
                ObjectNode node = JSON.createObjectNode().put("Message", message);
                return new Response(403, headers, head ? new byte[0] : utf8(node.toString()));
            }
        }
    }

    private static byte[] json(String type, String messageField, String message) {
        ObjectNode node = JSON.createObjectNode().put("__type", type).put(messageField, message);
        return utf8(node.toString());
    }

    static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
