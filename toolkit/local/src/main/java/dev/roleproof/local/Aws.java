package dev.roleproof.local;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * SDK clients of the emulated Lambda service. Admin clients go straight to moto in one account (RoleProof's own
 * setup, as the account's administrator); role clients go through the enforcing proxy with a role session's keys,
 * so the engine judges what Lambda itself does with the execution role (polling, deleting, sending to a destination).
 */
final class Aws implements AutoCloseable {

    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final String region;

    Aws(String region) {
        this.region = region;
    }

    /** Clients acting as {@code account}'s administrator, directly on moto (not judged). */
    Admin admin(URI moto, String account) {
        return new Admin(this, moto, account);
    }

    /** Clients acting with a role session's credentials, through the proxy. */
    Session session(URI proxy, Credentials c) {
        return new Session(this, proxy, c);
    }

    <B extends AwsClientBuilder<B, ?>> B configure(
            B builder, URI endpoint, AwsCredentials credentials, String account) {
        ClientOverrideConfiguration.Builder o =
                ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD);
        if (account != null) {
            // moto picks the account per request from this header (moto's multi-account support).
            o.putHeader("x-moto-account-id", account);
        }
        return builder.endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(o.build());
    }

    SdkHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
    }

    record Admin(Aws aws, URI moto, String account) {
        private AwsCredentials creds() {
            return AwsBasicCredentials.create("roleproof-admin", "roleproof-admin");
        }

        IamClient iam() {
            return aws.configure(IamClient.builder().httpClient(aws.http), moto, creds(), account)
                    .build();
        }

        SqsClient sqs() {
            return aws.configure(SqsClient.builder().httpClient(aws.http), moto, creds(), account)
                    .build();
        }

        DynamoDbClient dynamodb() {
            return aws.configure(DynamoDbClient.builder().httpClient(aws.http), moto, creds(), account)
                    .build();
        }

        S3Client s3() {
            return aws.configure(S3Client.builder().httpClient(aws.http).forcePathStyle(true), moto, creds(), account)
                    .build();
        }

        StsClient sts() {
            return aws.configure(StsClient.builder().httpClient(aws.http), moto, creds(), account)
                    .build();
        }
    }

    record Session(Aws aws, URI proxy, Credentials c) {
        private AwsCredentials creds() {
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }

        SqsClient sqs() {
            return aws.configure(SqsClient.builder().httpClient(aws.http), proxy, creds(), null)
                    .build();
        }

        DynamoDbStreamsClient streams() {
            return aws.configure(DynamoDbStreamsClient.builder().httpClient(aws.http), proxy, creds(), null)
                    .build();
        }
    }
}
