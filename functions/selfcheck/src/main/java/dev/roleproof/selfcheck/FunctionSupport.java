package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.JsonLines;
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
    private FunctionSupport() {
    }

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
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B lambdaDefaults(B builder,
            SdkHttpClient httpClient) {
        return builder.region(region()).httpClient(httpClient).credentialsProvider(credentials());
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
     * An HTTP client whose making starts now on its own thread and which clients can be built with at once: in a cold
     * JVM its TLS setup (the JDK's default SSLContext, ~115 ms here) and an SDK client's build (~100 ms) are
     * independent, so the first call waits for the longer of the two rather than their sum. The first request waits
     * for the real client; its failure to start is that request's failure.
     */
    public static SdkHttpClient startedInBackground(Supplier<SdkHttpClient> factory) {
        java.util.concurrent.CompletableFuture<SdkHttpClient> client = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                client.complete(factory.get());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        }, "roleproof-http-client");
        t.setDaemon(true);
        t.start();
        return new SdkHttpClient() {
            @Override
            public software.amazon.awssdk.http.ExecutableHttpRequest prepareRequest(
                    software.amazon.awssdk.http.HttpExecuteRequest request) {
                return client.join().prepareRequest(request);
            }

            @Override
            public String clientName() {
                return client.join().clientName();
            }

            @Override
            public void close() {
                client.thenAccept(SdkHttpClient::close);
            }
        };
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
