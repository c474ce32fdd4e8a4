package dev.roleproof.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Request;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.SamTemplate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Pattern s3-push, played as S3 and Lambda: an object whose key has a space and non-ASCII letters is put as the
 * account admin; the engine judges the function policy for s3.amazonaws.com lambda:InvokeFunction with
 * aws:SourceArn = the bucket ARN and aws:SourceAccount = the bucket owner (what S3's invocation carries); then the
 * function is invoked with the S3 event, keys URL-encoded as S3 encodes them (space as +).
 */
final class S3Pattern {

    /** A space (S3 writes '+'), a '+' (written %2B) and a non-ASCII letter: the keys handlers get wrong. */
    static final String KEY = "uploads/monthly report é+1.txt";

    private final LocalRun.Context ctx;

    S3Pattern(LocalRun.Context ctx) {
        this.ctx = ctx;
    }

    void run(LambdaService.Environment env, SamTemplate a, PatternRun run) {
        String bucket = env.function().environment().get("BUCKET_NAME");
        if (bucket == null) {
            run.fail(env.function().logicalId() + " has no BUCKET_NAME variable: RoleProof cannot tell which bucket"
                    + " notifies it");
            return;
        }
        String account = a.account();
        String bucketArn = "arn:" + a.partition() + ":s3:::" + bucket;
        Request request = Request.of(
                        "s3.amazonaws.com",
                        "lambda:InvokeFunction",
                        env.function().functionArn())
                .withResourceAccount(account)
                .withContext("aws:SourceArn", bucketArn)
                .withContext("aws:SourceAccount", account);
        AuthorizationInput input = AuthorizationInput.builder(request)
                .resourcePolicy(ModelPolicySource.functionPolicy(a, env.function()))
                .build();
        Decision decision = ctx.evaluator().evaluate(input, false);
        ctx.recordServiceCall(
                env.function().functionName(),
                "s3.amazonaws.com",
                "lambda:InvokeFunction",
                env.function().functionArn(),
                decision);
        if (!decision.allowed()) {
            run.fail("S3 may not invoke the function for bucket " + bucket + " (" + decision.message() + "): in AWS,"
                    + " PutBucketNotificationConfiguration fails with \"InvalidArgument: Unable to validate the following"
                    + " destination configurations\", so the stack does not deploy and no object ever invokes it");
            return;
        }
        run.step("the function policy allows s3.amazonaws.com to invoke it for " + bucketArn + " (aws:SourceArn) in "
                + account + " (aws:SourceAccount)");
        String body = "date,amount\n2026-11-01,42\n";
        PutObjectResponse put;
        try (S3Client s3 = ctx.aws().admin(ctx.moto(), account).s3()) {
            put = s3.putObject(r -> r.bucket(bucket).key(KEY), RequestBody.fromString(body));
        }
        run.step("put s3://" + bucket + "/" + KEY + " as the account admin; S3 invokes the function");
        FunctionRuntime.Invocation inv =
                env.invoke(event(bucket, bucketArn, KEY, body.length(), put.eTag(), a.region(), account)
                        .toString());
        run.logged(inv);
        if (inv.error()) {
            run.fail("the function failed on the S3 event: " + inv.response());
        } else {
            run.step("invocation succeeded: " + abbreviate(inv.response()));
        }
    }

    /** The S3 event notification for one put (event version 2.1), key URL-encoded as S3 does (space as +). */
    static ObjectNode event(
            String bucket, String bucketArn, String key, long size, String etag, String region, String account) {
        ObjectNode event = PolicyJson.MAPPER.createObjectNode();
        ObjectNode r = event.putArray("Records").addObject();
        r.put("eventVersion", "2.1");
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", region);
        r.put("eventTime", Instant.now().toString());
        r.put("eventName", "ObjectCreated:Put");
        r.putObject("userIdentity").put("principalId", "AWS:" + account);
        r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = r.putObject("responseElements");
        response.put("x-amz-request-id", Long.toHexString(System.nanoTime()).toUpperCase());
        response.put("x-amz-id-2", "roleproof-local");
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "roleproof-local");
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", account);
        b.put("arn", bucketArn);
        ObjectNode o = s3.putObject("object");
        // URLEncoder writes a space as '+', as S3 does in event notifications.
        o.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        o.put("size", size);
        o.put("eTag", etag == null ? "" : etag.replace("\"", ""));
        o.put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase());
        return event;
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
