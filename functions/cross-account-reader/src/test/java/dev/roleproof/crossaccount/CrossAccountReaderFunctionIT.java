package dev.roleproof.crossaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import dev.roleproof.testing.TestContext;
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
 * reads B's table; and with its self-check, as template.yaml names it. Moto checks neither A's identity policy nor B's
 * trust policy (NOTES §4), so the refused paths use a stand-in for AWS's 403 answers ({@link AccessDeniedInterceptor}).
 */
class CrossAccountReaderFunctionIT {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-cross-account-reader";
    static final String TARGET_ROLE_ARN = "arn:aws:iam::222222222222:role/roleproof-target-reader";
    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:222222222222:table/roleproof-reports";
    static final String SESSION_IN_B = "arn:aws:sts::222222222222:assumed-role/roleproof-target-reader/s";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
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
        return new CrossAccountReaderHandler(
                UrlConnectionHttpClient.create(),
                moto.client(StsClient.builder(), executionRole, onA),
                moto.configure(DynamoDbClient.builder(), onB),
                Map.of(
                        "TARGET_ROLE_ARN",
                        TARGET_ROLE_ARN,
                        "EXTERNAL_ID",
                        "roleproof-demo-external-id",
                        "TARGET_TABLE_NAME",
                        "roleproof-reports",
                        "AWS_REGION",
                        "us-east-1",
                        "AWS_LAMBDA_FUNCTION_NAME",
                        "roleproof-cross-account-reader"));
    }

    private static CrossAccountReaderHandler handler() {
        return handler(new ExecutionInterceptor[0]);
    }

    private static CrossAccountReaderFunction function(CrossAccountReaderHandler handler) {
        StsClient sts = moto.client(StsClient.builder(), executionRole);
        return new CrossAccountReaderFunction(
                handler,
                CrossAccountReaderFunction.selfCheck(
                                handler,
                                moto.configure(StsClient.builder())
                                        .credentialsProvider(handler.roleInB)
                                        .build())
                        .identity(() -> sts.getCallerIdentity().arn())
                        .expectedRoleArn(ROLE_ARN)
                        .functionName("roleproof-cross-account-reader")
                        .environment(Map.of("ROLEPROOF_SELF_CHECK", "off")::get));
    }

    @ParameterizedTest
    @Event(value = "cross-account-reader.json", type = CrossAccountRequest.class)
    void readsTheItemFromAccountB(CrossAccountRequest request) {
        TestContext context = new TestContext();

        Map<String, Object> response = handler().handleRequest(request, context);

        assertThat(response)
                .containsEntry("table", TABLE_ARN)
                .containsEntry("found", true)
                .containsEntry("item", Map.of("pk", "report-2026-11", "total", "42", "title", "November"));
        assertThat(context.logged()).containsExactly("item-read " + TABLE_ARN + " found=true");
    }

    @Test
    void aMissingItemIsFoundFalse() {
        CrossAccountRequest request = new CrossAccountRequest();
        request.setKey(Map.of("pk", "no-such-report"));

        assertThat(handler().handleRequest(request, new TestContext()))
                .containsEntry("found", false)
                .containsEntry("table", TABLE_ARN);
    }

    @ParameterizedTest
    @Event(value = "cross-account-reader.json", type = CrossAccountRequest.class)
    void aRefusedAssumeRoleBlamesTheTrustPolicy(CrossAccountRequest request) {
        CrossAccountReaderHandler handler =
                handler(new ExecutionInterceptor[] {AccessDeniedInterceptor.stsAssumeRole(ROLE_ARN, TARGET_ROLE_ARN)});

        assertThatThrownBy(() -> handler.handleRequest(request, new TestContext()))
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
                AccessDeniedInterceptor.json("GetItem", SESSION_IN_B, "dynamodb:GetItem", TABLE_ARN));

        assertThatThrownBy(() -> handler.handleRequest(request, new TestContext()))
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

        assertThatThrownBy(() -> handler().handleRequest(request, new TestContext()))
                .isInstanceOfSatisfying(
                        CrossAccountAccessException.class,
                        e -> assertThat(e.side()).isEqualTo(CrossAccountAccessException.Side.NOT_FOUND))
                .hasMessageContaining("no-such-table does not exist in B");
    }

    @Test
    void aRequestWithoutAKeyIsRefusedWithAnExample() {
        assertThatThrownBy(() -> handler().handleRequest(new CrossAccountRequest(), new TestContext()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{\"key\": {\"pk\":");
    }

    @Test
    void theSelfCheckEventProvesBothSidesAndThatBCannotWrite() {
        CrossAccountRequest request = EventLoader.loadEvent("self-check.json", CrossAccountRequest.class);
        // B's role has no write: stand-in for AWS's 403 on the impossible PutItem (moto would let it reach the
        // condition check, which the probe counts as authorised).
        CrossAccountReaderHandler handler = handler(
                new ExecutionInterceptor[0],
                AccessDeniedInterceptor.json("PutItem", SESSION_IN_B, "dynamodb:PutItem", TABLE_ARN));

        Map<?, ?> report = (Map<?, ?>) function(handler).handleRequest(request, new TestContext());

        assertThat(report.get("pattern")).isEqualTo("cross-account");
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("proof").toString())
                .startsWith("AssumeRole into " + TARGET_ROLE_ARN + " succeeded; B's caller identity is "
                        + "arn:aws:sts::222222222222:assumed-role/roleproof-target-reader/roleproof-cross-account-reader"
                        + ", a session of it");
        assertThat(report.get("probes").toString()).contains("sts:AssumeRole", "dynamodb:GetItem", "dynamodb:PutItem");
    }

    @Test
    void aWronglyPermissiveWriteIsCaughtWithoutWritingAnything() {
        CrossAccountRequest request = EventLoader.loadEvent("self-check.json", CrossAccountRequest.class);

        // moto lets the write through to its condition, which can never hold: FAIL, and no item appears.
        Map<?, ?> report = (Map<?, ?>) function(handler()).handleRequest(request, new TestContext());

        assertThat(report.get("verdict")).isEqualTo("FAIL");
        assertThat(report.get("probes").toString()).contains("remove dynamodb:PutItem on " + TABLE_ARN);
        try (DynamoDbClient b = moto.client(DynamoDbClient.builder(), MotoServer.ACCOUNT_B)) {
            assertThat(b.getItem(r -> r.tableName("roleproof-reports").key(CrossAccountReaderFunction.PROBE_KEY))
                            .hasItem())
                    .isFalse();
        }
    }
}
