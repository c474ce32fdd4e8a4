package dev.roleproof.selfcheck.internal;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The self-check's default identity call: sts:GetCallerIdentity with an StsClient configured as Lambda runs clients
 * (explicit region from AWS_REGION, the execution role's credentials, the function's HTTP client). The client is made
 * by the first call, which runs on a self-check thread, so the init thread never waits for it.
 */
public final class LambdaSts {

    private LambdaSts() {}

    public static Callable<String> callerIdentity(UnaryOperator<String> env, Supplier<SdkHttpClient> httpClient) {
        return new Callable<>() {
            private StsClient sts;

            @Override
            public synchronized String call() {
                if (sts == null) {
                    String region = env.apply("AWS_REGION");
                    if (region == null || region.isBlank()) {
                        throw new IllegalStateException("AWS_REGION is not set (Lambda and sam local set it)");
                    }
                    sts = StsClient.builder()
                            .region(Region.of(region))
                            // On demand Lambda gives the role's credentials in the environment; under SnapStart the
                            // Java runtime gets them from the container endpoint instead (Lambda guide, SnapStart).
                            .credentialsProvider(AwsCredentialsProviderChain.of(
                                    EnvironmentVariableCredentialsProvider.create(),
                                    ContainerCredentialsProvider.create()))
                            .httpClient(httpClient != null ? httpClient.get() : UrlConnectionHttpClient.create())
                            .build();
                }
                return sts.getCallerIdentity().arn();
            }
        };
    }
}
