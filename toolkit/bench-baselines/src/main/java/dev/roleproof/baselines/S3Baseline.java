package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import software.amazon.awssdk.services.s3.S3Client;

/** Baseline of the S3 object processor: sam init style, client made lazily with every default, no self-check. */
public class S3Baseline implements RequestHandler<S3Event, String> {
    private S3Client s3;

    @Override
    public String handleRequest(S3Event event, Context context) {
        if (s3 == null) {
            s3 = S3Client.builder().build();
        }
        // The processor's AWS work on an upload: a look at the object (missing objects are an answer too).
        var object = event.getRecords().get(0).getS3();
        try {
            s3.headObject(r -> r.bucket(object.getBucket().getName()).key(object.getObject().getUrlDecodedKey()));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return "missing";
        }
        return "handled";
    }
}
