package dev.roleproof.s3object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import dev.roleproof.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The S3 object processor on events/s3-object-processor.json (read by the Java runtime's serializer, through
 * aws-lambda-java-tests), reading real objects from moto's S3; and with its self-check, as template.yaml names it.
 * Moto does not enforce IAM (NOTES §4): the forbidden listings are refused by a stand-in for AWS's 403
 * ({@link AccessDeniedInterceptor}).
 */
class S3ObjectProcessorFunctionIT {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-s3-object-processor";
    static final String BUCKET = "roleproof-uploads-111111111111-us-east-1";
    /** The event's keys, decoded: '+' is a space, %2B a plus, the rest UTF-8 percent-encoding. */
    static final List<String> KEYS =
            List.of("reports/monthly summary 2026-11.csv", "math/a+b=c.txt", "café/naïve résumé €.txt");

    static final List<Integer> SIZES = List.of(1536, 77, 4096);

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;
    static S3Client admin;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
        admin = moto.configure(S3Client.builder())
                .forcePathStyle(true)
                .credentialsProvider(moto.sessionOf("arn:aws:iam::111111111111:role/admin", "admin"))
                .build();
        admin.createBucket(r -> r.bucket(BUCKET));
        executionRole = moto.sessionOf(ROLE_ARN, "roleproof-s3-object-processor");
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            admin.close();
            moto.close();
        }
    }

    @BeforeEach
    void uploadTheEventsObjects() {
        for (int i = 0; i < KEYS.size(); i++) {
            String key = KEYS.get(i);
            admin.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(content(key, SIZES.get(i))));
        }
    }

    /** Deterministic content of a given size, different per key. */
    static byte[] content(String key, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (key.hashCode() * 31 + i);
        }
        return bytes;
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The handler with the execution role's S3 client; moto does not enforce IAM, so refusals are stand-ins. */
    private static S3ObjectProcessorHandler handler(ExecutionInterceptor... refusals) {
        S3Client s3 = moto.configure(S3Client.builder(), refusals)
                .forcePathStyle(true)
                .credentialsProvider(executionRole)
                .build();
        return new S3ObjectProcessorHandler(UrlConnectionHttpClient.create(), s3);
    }

    private static S3ObjectProcessorFunction function(String mode, PrintStream log) {
        S3ObjectProcessorHandler handler =
                handler(AccessDeniedInterceptor.s3("ListBuckets"), AccessDeniedInterceptor.s3("ListObjectsV2"));
        StsClient sts = moto.client(StsClient.builder(), executionRole);
        return new S3ObjectProcessorFunction(
                handler,
                S3ObjectProcessorFunction.selfCheck(handler, BUCKET)
                        .identity(() -> sts.getCallerIdentity().arn())
                        .expectedRoleArn(ROLE_ARN)
                        .functionName("roleproof-s3-object-processor")
                        .environment(Map.of("ROLEPROOF_SELF_CHECK", mode)::get)
                        .log(log));
    }

    @ParameterizedTest
    @Event(value = "s3-object-processor.json", type = S3Event.class)
    void decodesEveryKeyAndStreamsItsChecksumAndSize(S3Event event) throws Exception {
        TestContext context = new TestContext();

        List<Map<String, Object>> objects = handler().handleRequest(event, context);

        assertThat(objects)
                .extracting(o -> o.get("object"))
                .containsExactlyElementsOf(
                        KEYS.stream().map(k -> "s3://" + BUCKET + "/" + k).toList());
        for (int i = 0; i < KEYS.size(); i++) {
            assertThat(objects.get(i))
                    .containsEntry("size", (long) SIZES.get(i))
                    .containsEntry("sha256", sha256(content(KEYS.get(i), SIZES.get(i))));
        }
        assertThat(context.logged()).hasSize(3);
    }

    @Test
    void aLargeObjectIsStreamedWhole() throws Exception {
        byte[] big = content("big", 12 * 1024 * 1024 + 7);
        admin.putObject(r -> r.bucket(BUCKET).key("big/object.bin"), RequestBody.fromBytes(big));

        Map<String, Object> object = handler().read(BUCKET, "big/object.bin");

        assertThat(object).containsEntry("size", (long) big.length).containsEntry("sha256", sha256(big));
    }

    @ParameterizedTest
    @Event(value = "s3-object-processor.json", type = S3Event.class)
    void anObjectDeletedBeforeItIsReadIsSkippedWithoutRetry(S3Event event) {
        admin.deleteObject(r -> r.bucket(BUCKET).key(KEYS.get(1)));

        // Returning (not throwing) is what stops Lambda's asynchronous retries.
        List<Map<String, Object>> objects = handler().handleRequest(event, new TestContext());

        assertThat(objects.get(1).get("skipped").toString()).startsWith("NoSuchKey: deleted before it was read");
        assertThat(objects.get(0)).containsKey("sha256");
        assertThat(objects.get(2)).containsKey("sha256");
    }

    @ParameterizedTest
    @Event(value = "s3-object-processor.json", type = S3Event.class)
    void accessDeniedOnReadIsSkippedWithoutRetry(S3Event event) {
        // AWS answers 403 for a missing key when the role lacks s3:ListBucket (as this one does): stand-in for it.
        List<Map<String, Object>> objects =
                handler(AccessDeniedInterceptor.s3("GetObject")).handleRequest(event, new TestContext());

        assertThat(objects)
                .allSatisfy(o -> assertThat(o.get("skipped").toString())
                        .startsWith("AccessDenied: deleted before it was read, or not readable by this role"));
    }

    @Test
    void otherErrorsAreThrownSoLambdaRetries() {
        // NoSuchBucket is a 404 too, but a misconfiguration, not an object deleted in between.
        assertThatThrownBy(() -> handler().read("no-such-bucket-roleproof", "k"))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void theSelfCheckEventIsAnsweredWithAPassingReport() {
        S3Event event = EventLoader.loadEvent("self-check.json", S3Event.class);

        Map<?, ?> report = (Map<?, ?>) function("off", System.out).handleRequest(event, new TestContext());

        assertThat(report.get("pattern")).isEqualTo("s3-push");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString())
                .contains("s3:ListAllMyBuckets", "observed=DENIED", "s3:ListBucket, resource=arn:aws:s3:::" + BUCKET);
    }

    @ParameterizedTest
    @Event(value = "s3-object-processor.json", type = S3Event.class)
    void aNotificationProvesTheFunctionPolicyAndProbesTheNotifiedObject(S3Event event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Object response = function("first", new PrintStream(out, true, StandardCharsets.UTF_8))
                .handleRequest(event, new TestContext());

        assertThat(response)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .hasSize(3);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "\"pattern\":\"s3-push\"",
                        "\"proof\":\"invoked by S3 for bucket " + BUCKET
                                + ", so the function policy allowed s3.amazonaws.com\"",
                        "\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::" + BUCKET + "/" + KEYS.get(0)
                                + "\",\"expected\":\"ALLOW\",\"observed\":\"ALLOWED\"",
                        "\"verdict\":\"PASS\"");
    }
}
