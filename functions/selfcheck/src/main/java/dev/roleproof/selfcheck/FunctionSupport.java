package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.JsonLines;
import java.util.Map;
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
     * An SDK client builder set up as Lambda runs it: explicit region, the execution role's credentials from the
     * environment Lambda provides (no provider chain walk), and the function's one HTTP client. AWS_ENDPOINT_URL
     * (moto, an emulator) is read by the SDK itself when set.
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B lambdaDefaults(B builder,
            SdkHttpClient httpClient) {
        return builder.region(region()).httpClient(httpClient)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create());
    }

    /** True when an endpoint override points the SDK at a local emulator (which then needs S3 path-style). */
    public static boolean endpointOverridden() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        return endpoint != null && !endpoint.isBlank();
    }

    /** One JSON line on stdout, which Lambda sends to the function's log group. */
    public static void log(Map<String, ?> fields) {
        System.out.println(JsonLines.toJson(fields));
    }
}
