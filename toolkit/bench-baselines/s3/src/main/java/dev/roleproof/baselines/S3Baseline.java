package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Baseline of the S3 object processor: the same AWS calls as the processor's first invocation (each notified object
 * streamed through SHA-256; its self-check's identity, HEAD of the first object and the two forbidden listings),
 * written the sam init way: typed S3Event, clients made in the handler with every default, calls one after the other.
 */
public class S3Baseline implements RequestHandler<S3Event, String> {
    private StsClient sts;
    private S3Client s3;

    @Override
    public String handleRequest(S3Event event, Context context) {
        if (s3 == null) {
            sts = StsClient.builder().build();
            // Path-style only against an emulator (AWS_ENDPOINT_URL), which serves no bucket subdomains.
            s3 = S3Client.builder()
                    .forcePathStyle(System.getenv("AWS_ENDPOINT_URL") != null)
                    .build();
        }
        String bucket = null;
        String firstKey = null;
        for (S3EventNotificationRecord record : event.getRecords()) {
            bucket = record.getS3().getBucket().getName();
            String key = record.getS3().getObject().getUrlDecodedKey();
            firstKey = firstKey == null ? key : firstKey;
            try (InputStream in = s3.getObject(
                    r -> r.bucket(record.getS3().getBucket().getName()).key(key))) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
                sha256.digest();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        String b = bucket;
        String k = firstKey;
        sts.getCallerIdentity();
        s3.headObject(r -> r.bucket(b).key(k));
        s3.listBuckets();
        s3.listObjectsV2(r -> r.bucket(b).maxKeys(1));
        return "handled";
    }
}
