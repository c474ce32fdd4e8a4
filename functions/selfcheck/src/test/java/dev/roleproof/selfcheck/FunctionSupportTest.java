package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.selfcheck.internal.JsonLines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FunctionSupportTest {

    /** A service client's build asks for the HTTP client's name: it must not wait for the real client (its TLS). */
    @Test
    void anHttpClientStartedInTheBackgroundNamesItselfAtOnceAndServesOnceMade() throws Exception {
        java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
        software.amazon.awssdk.http.SdkHttpClient client =
                FunctionSupport.startedInBackground(FunctionSupport.URL_CONNECTION, () -> {
                    try {
                        made.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create();
                });
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(client::clientName)
                        .get(2, java.util.concurrent.TimeUnit.SECONDS))
                .as("answered before the client is made")
                .isEqualTo(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()
                        .clientName());
        made.countDown();
        java.util.concurrent.CompletableFuture<Object> request = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.prepareRequest(software.amazon.awssdk.http.HttpExecuteRequest.builder()
                        .request(software.amazon.awssdk.http.SdkHttpRequest.builder()
                                .uri(java.net.URI.create("http://127.0.0.1:9/"))
                                .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
                                .build())
                        .build()));
        assertThat(request.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
        client.close();
    }

    @Test
    void logLinesAreOneLineOfJsonWithNumbersBooleansAndNesting() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "object-read");
        line.put("key", "café/\"quoted\"\nnext");
        line.put("size", 26L);
        line.put("count", 3);
        line.put("ratio", 0.5);
        line.put("found", true);
        line.put("changed", new TreeSet<>(List.of("b", "a")));
        line.put("item", Map.of("pk", "x"));
        line.put("note", null);

        assertThat(JsonLines.toJson(line))
                .isEqualTo("{\"event\":\"object-read\",\"key\":\"café/\\\"quoted\\\"\\nnext\","
                        + "\"size\":26,\"count\":3,\"ratio\":0.5,\"found\":true,\"changed\":[\"a\",\"b\"],"
                        + "\"item\":{\"pk\":\"x\"},\"note\":null}");
    }

    @Test
    void aMissingVariableNamesItself() {
        assertThat(FunctionSupport.required(Map.of("QUEUE_URL", "u"), "QUEUE_URL"))
                .isEqualTo("u");
        assertThatThrownBy(() -> FunctionSupport.required(Map.of("QUEUE_URL", " "), "QUEUE_URL"))
                .hasMessage("Environment variable QUEUE_URL is not set (template.yaml sets it)");
    }

    @Test
    void recordsAreNullWithoutRecordsAndAMalformedListIsAnError() {
        assertThat(FunctionSupport.records(Map.of("roleproof", "self-check"))).isNull();
        assertThat(FunctionSupport.records(Map.of("Records", List.of(Map.of("a", 1)))))
                .hasSize(1);
        assertThatThrownBy(() -> FunctionSupport.records(Map.of("Records", 42)))
                .hasMessage("Records is not a list in the event");
        assertThatThrownBy(() -> FunctionSupport.records(Map.of("Records", List.of("x"))))
                .hasMessage("a record of the event is not an object: x");
    }

    @Test
    void batchItemFailuresHaveLambdasShapeAndKeepAMissingId() {
        assertThat(FunctionSupport.json(FunctionSupport.batchItemFailures(java.util.Arrays.asList("m-1", null))))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"},{\"itemIdentifier\":null}]}");
        assertThat(FunctionSupport.json(FunctionSupport.batchItemFailures(List.of())))
                .isEqualTo("{\"batchItemFailures\":[]}");
    }

    @Test
    void snapStartCredentialsComeFromTheContainerEndpointWhenLambdaSetsIt() {
        assertThat(FunctionSupport.credentials(Map.of(
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials")::get))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider.class);
        assertThat(FunctionSupport.credentials(Map.<String, String>of()::get))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.class);
    }
}
