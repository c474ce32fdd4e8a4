package dev.roleproof.s3object;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Pattern s3-push: S3 invokes this function, allowed by the function's resource-based policy for s3.amazonaws.com
 * (bound by SourceArn and SourceAccount); the execution role only needs s3:GetObject on the bucket's objects.
 *
 * <p>For each new object: decodes the key (S3 writes a space as {@code +}, a plus as {@code %2B}, other characters
 * UTF-8 percent-encoded), streams the object through SHA-256 (never whole in memory) and answers its checksum and
 * size. An object gone before it is read is skipped: retrying cannot bring it back, and the asynchronous invocation
 * would be retried twice for nothing. Without s3:ListBucket (not granted), S3 answers 403, not 404, for a missing key.
 */
public class S3ObjectProcessorHandler implements RequestHandler<S3Event, List<Map<String, Object>>> {

    final SdkHttpClient http;
    final S3Client s3;

    public S3ObjectProcessorHandler() {
        this(UrlConnectionHttpClient.create());
    }

    private S3ObjectProcessorHandler(SdkHttpClient http) {
        this(
                http,
                S3Client.builder()
                        .region(Region.of(System.getenv("AWS_REGION")))
                        // Lambda's credentials: the environment on demand, the container endpoint under SnapStart.
                        .credentialsProvider(AwsCredentialsProviderChain.of(
                                EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create()))
                        .httpClient(http)
                        // An emulator (sam local, roleproof local) set by AWS_ENDPOINT_URL serves no bucket subdomains.
                        .forcePathStyle(System.getenv("AWS_ENDPOINT_URL") != null)
                        .build());
    }

    S3ObjectProcessorHandler(SdkHttpClient http, S3Client s3) {
        this.http = http;
        this.s3 = s3;
    }

    @Override
    public List<Map<String, Object>> handleRequest(S3Event event, Context context) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (S3EventNotificationRecord record : event.getRecords()) {
            String bucket = record.getS3().getBucket().getName();
            String key = record.getS3().getObject().getUrlDecodedKey();
            Map<String, Object> object = read(bucket, key);
            context.getLogger().log(object.toString());
            objects.add(object);
        }
        return objects;
    }

    /** Streams one object through SHA-256: its size and checksum, or why it was skipped. */
    Map<String, Object> read(String bucket, String key) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("object", "s3://" + bucket + "/" + key);
        MessageDigest sha256 = sha256();
        try (InputStream in =
                new DigestInputStream(s3.getObject(r -> r.bucket(bucket).key(key)), sha256)) {
            object.put("size", in.transferTo(OutputStream.nullOutputStream()));
            object.put("sha256", HexFormat.of().formatHex(sha256.digest()));
        } catch (S3Exception e) {
            // A key deleted since the notification: 404 NoSuchKey, or 403 without s3:ListBucket (see above).
            if (!(e instanceof NoSuchKeyException) && e.statusCode() != 403) {
                throw e; // e.g. NoSuchBucket, a misconfiguration: Lambda retries, then the failure shows
            }
            object.put(
                    "skipped",
                    e.awsErrorDetails().errorCode() + ": deleted before it was read, or not readable"
                            + " by this role (see the self-check); not retried");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + object.get("object") + " failed", e);
        }
        return object;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
