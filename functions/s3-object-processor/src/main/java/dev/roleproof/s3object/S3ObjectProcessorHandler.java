package dev.roleproof.s3object;

import static dev.roleproof.selfcheck.FunctionSupport.endpointOverridden;
import static dev.roleproof.selfcheck.FunctionSupport.lambdaDefaults;
import static dev.roleproof.selfcheck.FunctionSupport.lazy;
import static dev.roleproof.selfcheck.FunctionSupport.lazyCallerIdentity;
import static dev.roleproof.selfcheck.FunctionSupport.log;
import static dev.roleproof.selfcheck.FunctionSupport.required;
import static dev.roleproof.selfcheck.FunctionSupport.respond;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.roleproof.selfcheck.FunctionSupport;
import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SnapStartPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Pattern s3-push: S3 invokes this function (allowed by the function's resource-based policy for s3.amazonaws.com,
 * scoped by SourceArn and SourceAccount); the execution role only needs s3:GetObject on the bucket's objects.
 *
 * <p>For each new object: URL-decodes the key (S3 writes a space as {@code +}, a plus as {@code %2B}, and UTF-8
 * percent-encoded), streams the object through SHA-256 (never the whole object in memory) and logs its checksum and
 * size. An object gone before it is read gets one clear log line and is skipped: retrying cannot bring it back, and
 * the asynchronous invocation would otherwise be retried twice for nothing.
 *
 * <p>A stream handler reading the notification with the SDK's own model (S3EventNotification): no reflection-based
 * POJO mapping on the cold path, and no aws-lambda-java-events with joda-time in the package (1 MB).
 */
public class S3ObjectProcessorHandler implements RequestStreamHandler {

    static final String PATTERN = "s3-push";
    private static final int BUFFER = 64 * 1024;

    private final Supplier<S3Client> s3;
    private final SelfCheck selfCheck;
    private final SnapStartPriming priming;
    private final String bucketName;

    /**
     * Used by the Lambda runtime. The S3 client is built once, from init on, on its own thread, while the runtime reads
     * the first notification; the handler waits for the build under way if it needs the client first.
     */
    public S3ObjectProcessorHandler() {
        this(lazy(Aws::s3), lazyCallerIdentity(() -> Aws.HTTP), System.getenv());
    }

    /** For tests: the client (e.g. pointed at moto), the identity call and the environment the template would set. */
    S3ObjectProcessorHandler(Supplier<S3Client> s3, Callable<String> identity, Map<String, String> env) {
        this.s3 = s3;
        this.bucketName = required(env, "BUCKET_NAME");
        FunctionSupport.warmInBackground(List.of(s3));
        this.selfCheck = SelfCheck.builder(env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "s3-object-processor"), PATTERN)
                .identity(identity)
                .expectedRoleArn(env.get("ROLEPROOF_EXPECTED_ROLE_ARN"))
                .environment(env::get)
                // Forbidden: listing the account's buckets is the harmless read this role must not have.
                .probe(Probe.forbid(
                        "s3:ListAllMyBuckets",
                        "*",
                        () -> s3.get().listBuckets(r -> r.maxBuckets(1).overrideConfiguration(Probe.BOUNDED))))
                // Forbidden: listing its own bucket (what SAM's S3ReadPolicy adds); it would also turn S3's 403 for a
                // deleted object into a 404, so the handler's reading of a 403 assumes the role lacks it.
                .probe(Probe.forbid(
                        "s3:ListBucket",
                        "arn:aws:s3:::" + bucketName,
                        () -> s3.get()
                                .listObjectsV2(
                                        r -> r.bucket(bucketName).maxKeys(1).overrideConfiguration(Probe.BOUNDED))))
                .build();
        // SnapStart: prove and warm before the snapshot. The primer reads a sample notification and HEADs a key that
        // does not exist (a read; 403 or 404), so the client and its request path are warm even with the self-check
        // off.
        this.priming = SnapStartPriming.register(selfCheck, () -> {
            S3EventNotification.fromJson(PRIMING_EVENT);
            try {
                s3.get()
                        .headObject(r -> r.bucket(bucketName)
                                .key("roleproof-priming/no-such-key")
                                .overrideConfiguration(Probe.BOUNDED));
            } catch (RuntimeException expected) {
                // 403 (no s3:ListBucket) or 404: either way the path is warm.
            }
        });
        selfCheck.startEarly();
    }

    private static final String PRIMING_EVENT = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":"
            + "\"aws:s3\",\"eventTime\":\"2026-01-01T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\",\"s3\":"
            + "{\"bucket\":{\"name\":\"priming\"},\"object\":{\"key\":\"a+b%2Bc\",\"size\":1}}}]}";

    /** Lambda's entry point: the notification as S3 sent it in, the response as JSON out. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        respond(input, output, selfCheck, event -> handle(readEvent(event)));
    }

    /** The notification (or the on-demand {"roleproof": "self-check"}, which has no Records), by the SDK's model. */
    public static S3EventNotification readEvent(byte[] json) {
        return S3EventNotification.fromJson(json);
    }

    /** One notification: each object's checksum and size, or (on demand, with no records) the self-check report. */
    Map<String, Object> handle(S3EventNotification event) {
        List<S3EventNotificationRecord> records = event == null ? null : event.getRecords();
        if (records == null || records.isEmpty()) {
            // {"roleproof": "self-check"} has no Records; a real notification has at least one.
            return selfCheck
                    .run("on demand: no notification from bucket " + bucketName
                            + " in this invocation, so the function policy is not proven by it")
                    .toMap();
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Probe objectProbe = null;
        String bucketSeen = bucketName;
        for (S3EventNotificationRecord record : records) {
            String bucket = record.getS3().getBucket().getName();
            // Handles '+' (space), %2B (plus) and UTF-8 percent-encoding, the way S3 encodes keys in events.
            String key = record.getS3().getObject().getUrlDecodedKey();
            Long eventSize = record.getS3().getObject().getSizeAsLong();
            Read read = read(bucket, key, eventSize);
            Map<String, Object> result = read.line();
            log(result);
            results.add(result);
            bucketSeen = bucket;
            if (objectProbe == null && !"object-missing".equals(result.get("event"))) {
                // Required: reading the object S3 notified about is the pattern. The handler's own GetObject is the
                // evidence, replayed: no second request, and exactly the read the function made (S3's 403 included).
                S3Exception refusal = read.refusal();
                objectProbe = Probe.require("s3:GetObject", "arn:aws:s3:::" + bucket + "/" + key, () -> {
                    if (refusal != null) {
                        throw refusal;
                    }
                });
            }
        }
        String proof = "invoked by S3 for bucket " + bucketSeen + ", so the function policy allowed s3.amazonaws.com";
        if (objectProbe == null) {
            selfCheck.runIfDue(proof);
        } else {
            selfCheck.runIfDue(proof, objectProbe);
        }
        return Map.of("objects", results);
    }

    /** Streams one object through SHA-256; never throws for an object that is gone. */
    Map<String, Object> process(String bucket, String key, Long eventSize) {
        return read(bucket, key, eventSize).line();
    }

    /** One object's log line, and S3's refusal when it answered 403 (what the self-check's GetObject probe replays). */
    private record Read(Map<String, Object> line, S3Exception refusal) {}

    private Read read(String bucket, String key, Long eventSize) {
        S3Exception refusal = null;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bucket", bucket);
        line.put("key", key);
        try (ResponseInputStream<GetObjectResponse> in =
                s3.get().getObject(r -> r.bucket(bucket).key(key))) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = digest(in, sha256);
            line.put("level", "INFO");
            line.put("event", "object-read");
            line.put("size", size);
            line.put("sha256", HexFormat.of().formatHex(sha256.digest()));
            if (eventSize != null && eventSize != size) {
                // The object was overwritten between the notification and the read: a later event follows.
                line.put("note", "size differs from the event's " + eventSize + " bytes: object replaced since");
            }
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e instanceof NoSuchKeyException || status == 404 && "NoSuchKey".equals(code)) {
                line.put("level", "WARN");
                line.put("event", "object-missing");
                line.put("message", "object was deleted before it could be read; skipped, not retried");
            } else if (status == 403) {
                refusal = e;
                // Without s3:ListBucket (deliberately not granted), S3 answers 403 for a missing key too.
                line.put("level", "WARN");
                line.put("event", "object-unreadable");
                line.put(
                        "message",
                        "AccessDenied reading the object: it was deleted before it was read (S3 answers"
                                + " 403 for a missing key without s3:ListBucket), or the role lacks s3:GetObject on it;"
                                + " skipped, not retried (see the self-check)");
            } else {
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + bucket + "/" + key + " failed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return new Read(line, refusal);
    }

    private static long digest(InputStream in, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
            size += n;
        }
        return size;
    }

    /**
     * SDK clients as Lambda runs them: explicit region, Lambda's credentials, one small HTTP client. Nothing here is
     * touched on the init thread, so even the HTTP client (and its TLS setup) is made off the critical path.
     */
    static final class Aws {
        private static final SdkHttpClient HTTP =
                FunctionSupport.startedInBackground(FunctionSupport.URL_CONNECTION, UrlConnectionHttpClient::create);

        private Aws() {}

        // AWS_ENDPOINT_URL (moto, sam local with an emulator) is read by the SDK itself when set; emulators then
        // need path-style addressing, as they do not serve bucket subdomains.
        static S3Client s3() {
            return lambdaDefaults(S3Client.builder(), HTTP)
                    .forcePathStyle(endpointOverridden())
                    .build();
        }
    }
}
