package dev.roleproof.crossaccount;

import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.ProbeCall;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SelfCheckedHandler;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The cross-account reader with its self-check, what template.yaml's Handler names: {@link CrossAccountReaderHandler}
 * as it is, and what its role (and B's role, assumed) must and must not be able to do, probed with the handler's own
 * clients.
 */
public class CrossAccountReaderFunction extends SelfCheckedHandler<CrossAccountRequest> {

    /** A key no report uses: the probes' read and impossible write never touch a real item. */
    static final Map<String, AttributeValue> PROBE_KEY =
            Map.of("pk", AttributeValue.fromS("roleproof-self-check-probe"));

    public CrossAccountReaderFunction() {
        this(new CrossAccountReaderHandler());
    }

    private CrossAccountReaderFunction(CrossAccountReaderHandler handler) {
        this(
                handler,
                selfCheck(
                                handler,
                                StsClient.builder()
                                        .region(Region.of(System.getenv("AWS_REGION")))
                                        .credentialsProvider(handler.roleInB)
                                        .httpClient(handler.http)
                                        .build())
                        .httpClient(handler.http));
    }

    CrossAccountReaderFunction(CrossAccountReaderHandler handler, SelfCheck.Builder<CrossAccountRequest> selfCheck) {
        super(handler, selfCheck);
    }

    static SelfCheck.Builder<CrossAccountRequest> selfCheck(CrossAccountReaderHandler handler, StsClient stsInB) {
        String role = handler.targetRoleArn;
        String table = handler.defaultTable;
        Supplier<String> proof = () -> {
            try {
                String identity = stsInB.getCallerIdentity().arn();
                return "AssumeRole into " + role + " succeeded; B's caller identity is " + identity
                        + (SelfCheck.isSessionOf(identity, role) ? ", a session of it" : ", NOT a session of it");
            } catch (RuntimeException e) {
                return "AssumeRole into " + role + " did not succeed: "
                        + CrossAccountAccessException.explain(e, role, handler.tableArnPrefix + table)
                                .getMessage();
            }
        };
        return SelfCheck.builder(CrossAccountRequest.class, "cross-account")
                // A's half (its identity policy) and B's half (the trust policy, with the ExternalId) of the chain.
                .require("sts:AssumeRole", role, () -> handler.sts.assumeRole(handler.assumeRole))
                // The read the function exists for, as B's role, on a key no report uses.
                .probe(Probe.require(
                                "dynamodb:GetItem",
                                handler.tableArnPrefix + table,
                                () -> handler.dynamoDbInB.getItem(
                                        r -> r.tableName(table).key(PROBE_KEY)))
                        .as(role))
                // A write in B whose condition never holds: nothing is written even if B's role wrongly may write;
                // reaching the condition check means the write was authorised.
                .probe(Probe.forbid(
                                "dynamodb:PutItem",
                                handler.tableArnPrefix + table,
                                ProbeCall.authorizedIfErrorCode(
                                        () -> handler.dynamoDbInB.putItem(r -> r.tableName(table)
                                                .item(PROBE_KEY)
                                                .conditionExpression(
                                                        "attribute_exists(pk) AND attribute_not_exists(pk)")),
                                        "ConditionalCheckFailedException"))
                        .as(role))
                .proof(request -> proof.get())
                .onDemandProof(proof);
    }
}
