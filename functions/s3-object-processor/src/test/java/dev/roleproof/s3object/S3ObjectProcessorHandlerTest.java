package dev.roleproof.s3object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.selfcheck.CallerIdentity;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 object processor over the events/ file, reading real objects from moto's S3. */
class S3ObjectProcessorHandlerTest {

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
        moto = MotoServer.startIfInstalled();
        if (moto == null) {
            return;
        }
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
        MotoServer.assumeRunning(moto);
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

    private static S3ObjectProcessorHandler handler(ExecutionInterceptor... interceptors) {
        return handler("off", interceptors);
    }

    private static S3ObjectProcessorHandler handler(String selfCheckMode, ExecutionInterceptor... interceptors) {
        // moto does not enforce IAM: the forbidden ListBuckets and ListObjectsV2 are refused by this stand-in for
        // AWS's 403.
        ExecutionInterceptor[] all = new ExecutionInterceptor[interceptors.length + 2];
        all[0] = AccessDeniedInterceptor.s3("ListBuckets");
        all[1] = AccessDeniedInterceptor.s3("ListObjectsV2");
        System.arraycopy(interceptors, 0, all, 2, interceptors.length);
        S3Client s3 = moto.configure(S3Client.builder(), all)
                .forcePathStyle(true)
                .credentialsProvider(executionRole)
                .build();
        CallerIdentity identity = CallerIdentity.of(
                UrlConnectionHttpClient.create(),
                executionRole,
                MotoServer.REGION,
                Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get);
        return new S3ObjectProcessorHandler(
                () -> s3,
                identity,
                Map.of(
                        "BUCKET_NAME",
                        BUCKET,
                        "ROLEPROOF_EXPECTED_ROLE_ARN",
                        ROLE_ARN,
                        "ROLEPROOF_SELF_CHECK",
                        selfCheckMode));
    }

    /** An events/ file, as sam local invoke -e sends it. */
    static byte[] eventFile(String name) {
        try (InputStream in = S3ObjectProcessorHandlerTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name + " on the test classpath (events/)").isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static S3EventNotification event(String name) {
        return S3EventNotification.fromJson(eventFile(name));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object response) {
        return (List<Map<String, Object>>) ((Map<String, Object>) response).get("objects");
    }

    @Test
    void decodesEveryKeyAndStreamsItsChecksumAndSize() throws Exception {
        S3EventNotification event = event("s3-object-processor.json");
        List<Map<String, Object>> objects = objects(handler().handle(event));

        assertThat(objects).extracting(o -> o.get("key")).containsExactlyElementsOf(KEYS);
        for (int i = 0; i < KEYS.size(); i++) {
            assertThat(objects.get(i))
                    .containsEntry("event", "object-read")
                    .containsEntry("size", (long) SIZES.get(i))
                    .containsEntry("sha256", sha256(content(KEYS.get(i), SIZES.get(i))))
                    .doesNotContainKey("note");
        }
    }

    @Test
    void aLargeObjectIsStreamedWhole() throws Exception {
        byte[] big = content("big", 12 * 1024 * 1024 + 7);
        admin.putObject(r -> r.bucket(BUCKET).key("big/object.bin"), RequestBody.fromBytes(big));

        Map<String, Object> line = handler().process(BUCKET, "big/object.bin", (long) big.length);

        assertThat(line).containsEntry("size", (long) big.length).containsEntry("sha256", sha256(big));
    }

    @Test
    void anObjectDeletedBeforeItIsReadIsLoggedAndSkippedWithoutRetry() {
        S3EventNotification event = event("s3-object-processor.json");
        admin.deleteObject(r -> r.bucket(BUCKET).key(KEYS.get(1)));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<Map<String, Object>> objects;
        try {
            // Returning (not throwing) is what stops Lambda's asynchronous retries.
            objects = objects(handler().handle(event));
        } finally {
            System.setOut(original);
        }

        assertThat(objects.get(1)).containsEntry("event", "object-missing").containsEntry("key", KEYS.get(1));
        assertThat(objects.get(0)).containsEntry("event", "object-read");
        assertThat(objects.get(2)).containsEntry("event", "object-read");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("object was deleted before it could be read; skipped, not retried");
    }

    @Test
    void accessDeniedOnReadIsExplainedNotRetried() {
        S3EventNotification event = event("s3-object-processor.json");
        // AWS answers 403 for a missing key when the role lacks s3:ListBucket (as this one does): stand-in for it.
        List<Map<String, Object>> objects =
                objects(handler(AccessDeniedInterceptor.s3("GetObject")).handle(event));

        assertThat(objects).allSatisfy(o -> assertThat(o).containsEntry("event", "object-unreadable"));
        assertThat(objects.get(0).get("message").toString())
                .contains("deleted before it was read", "lacks s3:GetObject");
    }

    @Test
    void otherErrorsAreThrownSoLambdaRetries() {
        // NoSuchBucket is a 404 too, but a misconfiguration, not an object deleted in between.
        assertThatThrownBy(() -> handler().process("no-such-bucket-roleproof", "k", 1L))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void theSelfCheckEventReturnsTheReport() {
        S3EventNotification event = event("self-check.json");
        assertThat(event.getRecords()).isNullOrEmpty();

        Map<?, ?> report = (Map<?, ?>) handler().handle(event);

        assertThat(report.get("pattern")).isEqualTo("s3-push");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString())
                .contains("s3:ListAllMyBuckets", "observed=DENIED", "s3:ListBucket, resource=arn:aws:s3:::" + BUCKET);
    }

    @Test
    void aNotificationProvesTheFunctionPolicyAndProbesTheNotifiedObject() {
        S3EventNotification event = event("s3-object-processor.json");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            handler("first").handle(event);
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "\"pattern\":\"s3-push\"",
                        "\"proof\":\"invoked by S3 for bucket " + BUCKET
                                + ", so the function policy allowed s3.amazonaws.com\"",
                        "\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::" + BUCKET + "/" + KEYS.get(0)
                                + "\",\"expected\":\"ALLOW\",\"observed\":\"ALLOWED\"",
                        "\"verdict\":\"PASS\"");
    }

    @Test
    void lambdasEntryPointReadsTheRawEventAndAnswersJson() throws Exception {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler().handleRequest(new ByteArrayInputStream(eventFile("s3-object-processor.json")), response, null);
        String json = response.toString(StandardCharsets.UTF_8);
        assertThat(json)
                .startsWith("{\"objects\":[")
                .contains("\"key\":\"" + KEYS.get(0) + "\"", "\"event\":\"object-read\"");

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        handler().handleRequest(new ByteArrayInputStream(eventFile("self-check.json")), report, null);
        assertThat(report.toString(StandardCharsets.UTF_8)).contains("\"pattern\":\"s3-push\"", "\"verdict\":\"PASS\"");
    }
}
