package dev.roleproof.selfcheck;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Real SDK clients against one endpoint, built as the handlers build theirs (one url-connection HTTP client). */
final class Aws {

    static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    static final AwsCredentialsProvider ADMIN =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "secret"));

    final URI endpoint;
    final AwsCredentialsProvider credentials;
    final AwsErrors errors;

    Aws(URI endpoint, AwsCredentialsProvider credentials, AwsErrors errors) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.errors = errors;
    }

    static AwsCredentialsProvider of(Credentials c) {
        AwsCredentials session = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        return StaticCredentialsProvider.create(session);
    }

    private ClientOverrideConfiguration config() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder();
        if (errors != null) {
            b.addExecutionInterceptor(errors);
        }
        return b.build();
    }

    StsClient sts() {
        return StsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(HTTP)
                .overrideConfiguration(config())
                .build();
    }

    /** GetCallerIdentity with an STS client at this endpoint, as the self-check's default identity call. */
    java.util.concurrent.Callable<String> identity() {
        StsClient sts = sts();
        return () -> sts.getCallerIdentity().arn();
    }

    SqsClient sqs() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(HTTP)
                .overrideConfiguration(config())
                .build();
    }

    DynamoDbClient dynamo() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(HTTP)
                .overrideConfiguration(config())
                .build();
    }

    DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(HTTP)
                .overrideConfiguration(config())
                .build();
    }

    S3Client s3() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClient(HTTP)
                .overrideConfiguration(config())
                .build();
    }
}
