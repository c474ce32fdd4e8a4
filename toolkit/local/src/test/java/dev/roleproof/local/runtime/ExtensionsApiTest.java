package dev.roleproof.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulated Extensions API: registration only during init, INVOKE events, and when the environment is free. */
class ExtensionsApiTest {

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> register(ExtensionsApi api, String name) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + api.hostPort() + "/2020-01-01/extension/register"))
                        .header("Lambda-Extension-Name", name)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[\"INVOKE\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> next(ExtensionsApi api, String id) {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://" + api.hostPort() + "/2020-01-01/extension/event/next"))
                        .header("Lambda-Extension-Identifier", id)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInvocationIsOverWhenEveryExtensionAsksForItsNextEvent() throws Exception {
        try (ExtensionsApi api = new ExtensionsApi("f", "h::handleRequest")) {
            HttpResponse<String> registered = register(api, "ext");
            assertThat(registered.statusCode()).isEqualTo(200);
            String id = registered
                    .headers()
                    .firstValue("Lambda-Extension-Identifier")
                    .orElseThrow();
            assertThat(registered.body()).contains("\"functionName\":\"f\"");
            api.initOver();
            assertThat(register(api, "late").statusCode())
                    .as("registration after init")
                    .isEqualTo(403);

            assertThat(api.awaitReady(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)))
                    .as("not yet asked")
                    .isFalse();
            CompletableFuture<HttpResponse<String>> first = next(api, id);
            assertThat(api.awaitReady(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isTrue();

            api.invoke("r-1", 12345L, "arn:aws:lambda:us-east-1:111111111111:function:f");
            assertThat(first.get(5, TimeUnit.SECONDS).body())
                    .contains("\"eventType\":\"INVOKE\"", "\"deadlineMs\":12345", "\"requestId\":\"r-1\"");
            assertThat(api.awaitReady(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)))
                    .as("busy with r-1 until it asks again")
                    .isFalse();
            CompletableFuture<HttpResponse<String>> second = next(api, id);
            assertThat(api.awaitReady(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isTrue();
            assertThat(second.isDone()).isFalse();
            assertThat(next(api, "unknown").get(5, TimeUnit.SECONDS).statusCode())
                    .isEqualTo(403);
        }
    }
}
