package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What every handler of the reference does the same way: configuration from the environment the template sets,
 * SDK clients configured as Lambda runs them, and one JSON log line per event.
 */
public final class FunctionSupport {
    private FunctionSupport() {}

    /** A variable template.yaml sets; its absence is a deployment error, reported at init. */
    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set (template.yaml sets it)");
        }
        return value;
    }

    /** The function's region, explicit: Lambda and sam local set AWS_REGION, so no region provider chain runs. */
    public static Region region() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set (Lambda and sam local set it)");
        }
        return Region.of(region);
    }

    /**
     * An SDK client builder set up as Lambda runs it: explicit region, the execution role's credentials where Lambda
     * puts them ({@link #credentials()}, no provider chain walk), and the function's one HTTP client.
     * AWS_ENDPOINT_URL (moto, an emulator) is read by the SDK itself when set.
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B lambdaDefaults(
            B builder, SdkHttpClient httpClient) {
        return builder.region(region()).httpClient(httpClient).credentialsProvider(credentials());
    }

    /**
     * An AWS JSON-protocol API for the self-check's probes, set up as {@link #lambdaDefaults} sets up a client: the
     * function's region and credentials, its one HTTP client, AWS_ENDPOINT_URL(_SERVICE) when set.
     */
    public static AwsJsonApi jsonApi(AwsJsonApi.Service service, SdkHttpClient httpClient) {
        return AwsJsonApi.of(service, httpClient, credentials(), region(), System::getenv);
    }

    /**
     * The execution role's credentials, from where Lambda puts them: with SnapStart the Java runtime gets them from
     * the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) and the access key variables are not
     * set; otherwise from AWS_ACCESS_KEY_ID and friends.
     */
    public static AwsCredentialsProvider credentials() {
        return credentials(System::getenv);
    }

    static AwsCredentialsProvider credentials(java.util.function.UnaryOperator<String> env) {
        String containerUri = env.apply("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (containerUri != null && !containerUri.isBlank()) {
            return ContainerCredentialsProvider.builder().build();
        }
        return EnvironmentVariableCredentialsProvider.create();
    }

    /**
     * A value made on first use, once, whichever thread asks first (others wait for it): clients that only some
     * paths need, such as the self-check's, are then built off the cold start's critical path.
     */
    public static <T> Supplier<T> lazy(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }

    /** True when an endpoint override points the SDK at a local emulator (which then needs S3 path-style). */
    public static boolean endpointOverridden() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        return endpoint != null && !endpoint.isBlank();
    }

    /**
     * GetCallerIdentity as the handlers make it ({@link CallerIdentity}, Lambda's region and credentials), created on
     * its first call: the HTTP client comes from {@code http} only then, so the init thread touches none of it.
     */
    public static java.util.concurrent.Callable<String> lazyCallerIdentity(Supplier<SdkHttpClient> http) {
        Supplier<CallerIdentity> identity =
                lazy(() -> CallerIdentity.of(http.get(), credentials(), region(), System::getenv));
        return () -> identity.get().call();
    }

    /** The url-connection client's clientName() (the reference's one HTTP client), for {@link #startedInBackground}. */
    public static final String URL_CONNECTION = "UrlConnection";

    /**
     * An HTTP client whose making starts now on its own thread and which clients can be built with at once: in a cold
     * JVM its TLS setup (the JDK's default SSLContext, ~115 ms here) and an SDK client's build (~100 ms) are
     * independent, so the first call waits for the longer of the two rather than their sum. The first request waits
     * for the real client; its failure to start is that request's failure.
     *
     * @param clientName what the real client's clientName() answers ("UrlConnection" for the url-connection client):
     *                   the SDK asks for it while it builds a service client (its user agent), and waiting for the real
     *                   client there would put the TLS setup back in front of every client's build (measured)
     */
    public static SdkHttpClient startedInBackground(String clientName, Supplier<SdkHttpClient> factory) {
        java.util.concurrent.CompletableFuture<SdkHttpClient> client = new java.util.concurrent.CompletableFuture<>();
        daemon("roleproof-http-client", () -> {
            try {
                client.complete(factory.get());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
        return new SdkHttpClient() {
            @Override
            public software.amazon.awssdk.http.ExecutableHttpRequest prepareRequest(
                    software.amazon.awssdk.http.HttpExecuteRequest request) {
                return client.join().prepareRequest(request);
            }

            @Override
            public String clientName() {
                return clientName;
            }

            @Override
            public void close() {
                client.thenAccept(SdkHttpClient::close);
            }
        };
    }

    /**
     * Makes each lazy value now, each on its own daemon thread, while the runtime reads the first event: clients built
     * once at init without the init thread waiting for them (the handler's first get() waits for the one under way).
     * A failure is left for that get() to meet again.
     */
    public static void warmInBackground(java.util.List<Supplier<?>> values) {
        for (Supplier<?> value : values) {
            daemon("roleproof-warm", () -> {
                try {
                    value.get();
                } catch (RuntimeException e) {
                    // The handler's own get() retries and reports it.
                }
            });
        }
    }

    /** Starts {@code body} on a daemon thread: background work never keeps the runtime's JVM alive. */
    static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** What a stream handler does with one event: its bytes in, the response value (maps, lists, ...) out. */
    @FunctionalInterface
    public interface EventHandler {
        Object handle(byte[] event) throws IOException;
    }

    /**
     * One invocation of a stream handler: the event's bytes to {@code handler}, its answer written as JSON, and the
     * self-check told the invocation ended, whatever happened (where Lambda's Extensions API is, a due report is then
     * made after the response: {@link AfterResponse}).
     */
    public static void respond(InputStream input, OutputStream output, SelfCheck selfCheck, EventHandler handler)
            throws IOException {
        try {
            output.write(json(handler.handle(input.readAllBytes())).getBytes(StandardCharsets.UTF_8));
        } finally {
            selfCheck.invocationEnded();
        }
    }

    /**
     * The records of an event read as a JSON object (by the handler's own parser): null when it has none, as the
     * on-demand {"roleproof": "self-check"}; a Records that is not a list of objects is the invocation's error, as
     * with the Java runtime's own event mapping.
     */
    public static java.util.List<Map<?, ?>> records(Map<String, Object> event) {
        Object records = event.get("Records");
        if (records == null) {
            return null;
        }
        if (!(records instanceof java.util.List<?> list)) {
            throw new IllegalArgumentException("Records is not a list in the event");
        }
        java.util.List<Map<?, ?>> out = new java.util.ArrayList<>();
        for (Object r : list) {
            if (!(r instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("a record of the event is not an object: " + r);
            }
            out.add(m);
        }
        return out;
    }

    /** A JSON scalar as the string an event type holds (numbers and booleans too); null stays null. */
    public static String string(Object value) {
        return value == null ? null : value.toString();
    }

    /**
     * Lambda's partial batch response, as SQSBatchResponse and StreamsEventResponse serialise:
     * {"batchItemFailures": [{"itemIdentifier": id}, ...]} (an id may be null: a record without a sequence number).
     */
    public static Map<String, Object> batchItemFailures(java.util.List<String> itemIdentifiers) {
        java.util.List<Map<String, Object>> failures = new java.util.ArrayList<>();
        for (String id : itemIdentifiers) {
            Map<String, Object> failure = new java.util.LinkedHashMap<>();
            failure.put("itemIdentifier", id);
            failures.add(failure);
        }
        return Map.of("batchItemFailures", failures);
    }

    /** A value of maps, lists, strings, numbers and booleans as JSON: a stream handler's response. */
    public static String json(Object value) {
        return JsonLines.toJson(value);
    }

    /** One JSON line on stdout, which Lambda sends to the function's log group. */
    public static void log(Map<String, ?> fields) {
        System.out.println(JsonLines.toJson(fields));
    }
}
