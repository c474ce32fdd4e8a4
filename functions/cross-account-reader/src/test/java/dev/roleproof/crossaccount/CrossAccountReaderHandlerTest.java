package dev.roleproof.crossaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.selfcheck.CallerIdentity;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The cross-account reader against moto's STS and DynamoDB in two accounts: A's execution role assumes B's role and
 * reads B's table. Moto checks neither A's identity policy nor B's trust policy (NOTES §4), so the two "refused"
 * paths use a stand-in for AWS's 403 answers ({@link AccessDeniedInterceptor}).
 */
class CrossAccountReaderHandlerTest {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-cross-account-reader";
    static final String TARGET_ROLE_ARN = "arn:aws:iam::222222222222:role/roleproof-target-reader";
    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:222222222222:table/roleproof-reports";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startIfInstalled();
        if (moto == null) {
            return;
        }
        try (DynamoDbClient b = moto.client(DynamoDbClient.builder(), MotoServer.ACCOUNT_B)) {
            b.createTable(r -> r.tableName("roleproof-reports")
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build()));
            b.putItem(r -> r.tableName("roleproof-reports")
                    .item(Map.of(
                            "pk",
                            AttributeValue.fromS("report-2026-11"),
                            "total",
                            AttributeValue.fromN("42"),
                            "title",
                            AttributeValue.fromS("November"))));
        }
        executionRole = moto.sessionOf(ROLE_ARN, "roleproof-cross-account-reader");
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /** The handler with A's STS client and B's DynamoDB client, each optionally refused by a stand-in 403. */
    private static CrossAccountReaderHandler handler(ExecutionInterceptor[] onA, ExecutionInterceptor... onB) {
        MotoServer.assumeRunning(moto);
        StsClient sts = moto.client(StsClient.builder(), executionRole, onA);
        CallerIdentity identity = CallerIdentity.of(
                UrlConnectionHttpClient.create(),
                executionRole,
                MotoServer.REGION,
                Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get);
        return new CrossAccountReaderHandler(
                () -> sts,
                identity,
                Map.of(
                        "TARGET_ROLE_ARN",
                        TARGET_ROLE_ARN,
                        "EXTERNAL_ID",
                        "roleproof-demo-external-id",
                        "TARGET_TABLE_NAME",
                        "roleproof-reports",
                        "ROLEPROOF_EXPECTED_ROLE_ARN",
                        ROLE_ARN,
                        "ROLEPROOF_SELF_CHECK",
                        "off",
                        "AWS_LAMBDA_FUNCTION_NAME",
                        "roleproof-cross-account-reader"),
                credentials -> moto.configure(DynamoDbClient.builder(), onB)
                        .credentialsProvider(credentials)
                        .build(),
                credentials -> CallerIdentity.of(
                        UrlConnectionHttpClient.create(),
                        credentials,
                        MotoServer.REGION,
                        Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get),
                MotoServer.REGION);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object response) {
        assertThat(response).isInstanceOf(Map.class);
        return (Map<String, Object>) response;
    }

    private static CrossAccountReaderHandler handler() {
        return handler(new ExecutionInterceptor[0]);
    }

    @ParameterizedTest
    @Event(value = "cross-account-reader.json", type = CrossAccountRequest.class)
    void readsTheItemFromAccountB(CrossAccountRequest request) {
        Object response = handler().handle(request, null);

        assertThat(response).isInstanceOf(Map.class);
        assertThat(asMap(response))
                .containsEntry("table", TABLE_ARN)
                .containsEntry("found", true)
                .containsEntry("item", Map.of("pk", "report-2026-11", "total", "42", "title", "November"));
    }

    @Test
    void aMissingItemIsFoundFalse() {
        CrossAccountRequest request = new CrossAccountRequest();
        request.setKey(Map.of("pk", "no-such-report"));

        assertThat(asMap(handler().handle(request, null)))
                .containsEntry("found", false)
                .containsEntry("table", TABLE_ARN);
    }

    @ParameterizedTest
    @Event(value = "cross-account-reader.json", type = CrossAccountRequest.class)
    void aRefusedAssumeRoleBlamesTheTrustPolicy(CrossAccountRequest request) {
        CrossAccountReaderHandler handler =
                handler(new ExecutionInterceptor[] {AccessDeniedInterceptor.stsAssumeRole(ROLE_ARN, TARGET_ROLE_ARN)});

        assertThatThrownBy(() -> handler.handle(request, null))
                .isInstanceOfSatisfying(
                        CrossAccountAccessException.class,
                        e -> assertThat(e.side()).isEqualTo(CrossAccountAccessException.Side.ASSUME_ROLE_REFUSED))
                .hasMessageContaining("AssumeRole into " + TARGET_ROLE_ARN + " was refused (AccessDenied)")
                .hasMessageContaining("B's trust policy does not trust this role with this ExternalId");
    }

    @ParameterizedTest
    @Event(value = "cross-account-reader.json", type = CrossAccountRequest.class)
    void aRefusedReadBlamesBsRolePolicy(CrossAccountRequest request) {
        CrossAccountReaderHandler handler = handler(
                new ExecutionInterceptor[0],
                AccessDeniedInterceptor.json(
                        "GetItem",
                        "arn:aws:sts::222222222222:assumed-role/roleproof-target-reader/s",
                        "dynamodb:GetItem",
                        TABLE_ARN));

        assertThatThrownBy(() -> handler.handle(request, null))
                .isInstanceOfSatisfying(
                        CrossAccountAccessException.class,
                        e -> assertThat(e.side()).isEqualTo(CrossAccountAccessException.Side.TABLE_ACCESS_DENIED))
                .hasMessage("AssumeRole into " + TARGET_ROLE_ARN + " succeeded, but B's role lacks dynamodb:GetItem"
                        + " on " + TABLE_ARN + " (AccessDeniedException)");
    }

    @Test
    void aMissingTableIsSaidSo() {
        CrossAccountRequest request = new CrossAccountRequest();
        request.setTable("no-such-table");
        request.setKey(Map.of("pk", "x"));

        CrossAccountReaderHandler handler = handler();

        assertThatThrownBy(() -> handler.handle(request, null))
                .isInstanceOfSatisfying(
                        CrossAccountAccessException.class,
                        e -> assertThat(e.side()).isEqualTo(CrossAccountAccessException.Side.NOT_FOUND))
                .hasMessageContaining("no-such-table does not exist in account B");
    }

    @Test
    void aRequestWithoutAKeyIsRefusedWithAnExample() {
        CrossAccountReaderHandler handler = handler();

        assertThatThrownBy(() -> handler.handle(new CrossAccountRequest(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{\"key\": {\"pk\":");
    }

    @Test
    void theSessionNameNamesTheFunctionAndRequestWithinAssumeRolesLimits() {
        assertThat(CrossAccountReaderHandler.sessionName(
                        "roleproof-cross-account-reader", "8f5e2a4c-1b3d-4e6f-a7b8-c9d0e1f2a3b4"))
                .isEqualTo("roleproof-cross-account-reader-8f5e2a4c-1b3d-4e6f-a7b8-c9d0e1f2a")
                .hasSizeLessThanOrEqualTo(64)
                .matches("[\\w+=,.@-]{2,64}");
        assertThat(CrossAccountReaderHandler.sessionName("f", "a b/c")).isEqualTo("f-a-b-c");
    }

    @Test
    void theSelfCheckEventProvesBothSidesAndThatBCannotWrite() {
        CrossAccountRequest request = EventLoader.loadEvent("self-check.json", CrossAccountRequest.class);
        // B's role has no write: stand-in for AWS's 403 on the impossible PutItem (moto would let it reach the
        // condition check, which the probe counts as authorised).
        CrossAccountReaderHandler handler = handler(
                new ExecutionInterceptor[0],
                AccessDeniedInterceptor.json(
                        "PutItem",
                        "arn:aws:sts::222222222222:assumed-role/roleproof-target-reader/s",
                        "dynamodb:PutItem",
                        TABLE_ARN));

        Map<?, ?> report = (Map<?, ?>) handler.handle(request, null);

        assertThat(report.get("pattern")).isEqualTo("cross-account");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("proof").toString())
                .startsWith("AssumeRole into " + TARGET_ROLE_ARN
                        + " succeeded; B's caller identity is arn:aws:sts::222222222222:assumed-role/roleproof-target-reader/"
                        + "roleproof-cross-account-reader-local");
        assertThat(report.get("probes").toString()).contains("sts:AssumeRole", "dynamodb:GetItem", "dynamodb:PutItem");
    }

    @Test
    void aWronglyPermissiveWriteIsCaughtWithoutWritingAnything() {
        CrossAccountRequest request = EventLoader.loadEvent("self-check.json", CrossAccountRequest.class);

        // moto lets the write through to its condition, which can never hold: FAIL, and no item appears.
        Map<?, ?> report = (Map<?, ?>) handler().handle(request, null);

        assertThat(report.get("verdict")).isEqualTo("FAIL");
        assertThat(report.get("probes").toString()).contains("remove dynamodb:PutItem on " + TABLE_ARN);
        try (DynamoDbClient b = moto.client(DynamoDbClient.builder(), MotoServer.ACCOUNT_B)) {
            assertThat(b.getItem(r -> r.tableName("roleproof-reports")
                                    .key(Map.of("pk", AttributeValue.fromS(CrossAccountReaderHandler.PROBE_KEY))))
                            .hasItem())
                    .isFalse();
        }
    }

    /** readEvent reads what the Java runtime's own POJO mapping reads, on every events/ file the reader receives. */
    @Test
    void readEventAgreesWithTheRuntimesMapping() throws Exception {
        for (String file : List.of("cross-account-reader.json", "self-check.json")) {
            CrossAccountRequest ours = CrossAccountReaderHandler.readEvent(eventFile(file));
            CrossAccountRequest runtime = EventLoader.loadEvent(file, CrossAccountRequest.class);
            assertThat(ours).as(file).usingRecursiveComparison().isEqualTo(runtime);
        }
    }

    @Test
    void theStreamEntryPointAnswersJson() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        handler().handleRequest(new java.io.ByteArrayInputStream(eventFile("cross-account-reader.json")), out, null);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"table\":\"arn:aws:dynamodb:us-east-1:222222222222:table/roleproof-reports\"")
                .contains("\"found\":true");
    }

    static byte[] eventFile(String name) throws java.io.IOException {
        try (java.io.InputStream in = CrossAccountReaderHandlerTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name + " on the test classpath (events/)").isNotNull();
            return in.readAllBytes();
        }
    }
}
