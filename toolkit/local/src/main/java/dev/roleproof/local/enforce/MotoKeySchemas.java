package dev.roleproof.local.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partition keys read from moto with DescribeTable, as the table's account (the proxy's own lookup: not a call of
 * the function, so not recorded). A key schema never changes, so a found one is kept for the proxy's life.
 */
final class MotoKeySchemas implements KeySchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI moto;
    private final HttpClient client;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    MotoKeySchemas(URI moto, HttpClient client) {
        this.moto = moto;
        this.client = client;
    }

    @Override
    public String partitionKey(String tableArn) {
        String cached = cache.get(tableArn);
        if (cached != null) {
            return cached;
        }
        // arn:aws:dynamodb:REGION:ACCOUNT:table/NAME
        String[] parts = tableArn.split(":", 6);
        if (parts.length != 6 || !parts[5].startsWith("table/")) {
            return null;
        }
        String region = parts[3];
        String account = parts[4];
        String table = parts[5].substring("table/".length());
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(moto + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
                    .header(
                            "Authorization",
                            "AWS4-HMAC-SHA256 Credential=roleproof-proxy/20260101/" + region
                                    + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
                    .header("x-moto-account-id", account)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            JSON.createObjectNode().put("TableName", table).toString()))
                    .build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return null;
            }
            for (JsonNode key : JSON.readTree(response.body()).path("Table").path("KeySchema")) {
                if ("HASH".equals(key.path("KeyType").asText())) {
                    String name = key.path("AttributeName").asText();
                    cache.put(tableArn, name);
                    return name;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
