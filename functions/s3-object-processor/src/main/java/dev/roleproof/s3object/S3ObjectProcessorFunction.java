package dev.roleproof.s3object;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SelfCheckedHandler;
import java.util.List;

/**
 * The S3 object processor with its self-check, what template.yaml's Handler names: {@link S3ObjectProcessorHandler}
 * as it is, and what its execution role must and must not be able to do, probed with the handler's own S3 client.
 */
public class S3ObjectProcessorFunction extends SelfCheckedHandler<S3Event> {

    public S3ObjectProcessorFunction() {
        this(new S3ObjectProcessorHandler(), System.getenv("BUCKET_NAME"));
    }

    private S3ObjectProcessorFunction(S3ObjectProcessorHandler handler, String bucket) {
        this(handler, selfCheck(handler, bucket).httpClient(handler.http));
    }

    S3ObjectProcessorFunction(S3ObjectProcessorHandler handler, SelfCheck.Builder<S3Event> selfCheck) {
        super(handler, selfCheck);
    }

    static SelfCheck.Builder<S3Event> selfCheck(S3ObjectProcessorHandler handler, String bucket) {
        return SelfCheck.builder(S3Event.class, "s3-push")
                // Listing the account's buckets: nothing this function needs.
                .forbid("s3:ListAllMyBuckets", "*", () -> handler.s3.listBuckets(r -> r.maxBuckets(1)))
                // What SAM's S3ReadPolicy adds; without it S3 answers 403, not 404, for a key deleted before the read.
                .forbid(
                        "s3:ListBucket",
                        "arn:aws:s3:::" + bucket,
                        () -> handler.s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(1)))
                // The read the pattern exists for, on the object S3 notified about (HEAD is authorised by GetObject).
                .eventProbes(event -> {
                    S3EventNotificationRecord first = event.getRecords().get(0);
                    String name = first.getS3().getBucket().getName();
                    String key = first.getS3().getObject().getUrlDecodedKey();
                    return List.of(Probe.require(
                            "s3:GetObject",
                            "arn:aws:s3:::" + name + "/" + key,
                            () -> handler.s3.headObject(r -> r.bucket(name).key(key))));
                })
                .proof(event -> "invoked by S3 for bucket "
                        + event.getRecords().get(0).getS3().getBucket().getName()
                        + ", so the function policy allowed s3.amazonaws.com")
                // SnapStart: the handler's own read, of a key that does not exist (S3 refuses it; nothing changes).
                .primeWith(() -> handler.read(bucket, "roleproof-priming/no-such-object"));
    }
}
