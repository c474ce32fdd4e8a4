package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Baseline of the cross-account reader: the same AWS calls as the reader's first invocation (AssumeRole into B, the
 * requested GetItem; its self-check's identity in A and in B, the GetItem probe and the PutItem that cannot
 * succeed), written the sam init way: clients made in the handler with every default, calls one after the other.
 */
public class CrossAccountBaseline implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        String table = System.getenv("TARGET_TABLE_NAME");
        Credentials c;
        try (StsClient sts = StsClient.builder().build()) {
            sts.getCallerIdentity();
            c = sts.assumeRole(r -> r.roleArn(System.getenv("TARGET_ROLE_ARN"))
                            .roleSessionName("baseline")
                            .externalId(System.getenv("EXTERNAL_ID")))
                    .credentials();
        }
        StaticCredentialsProvider inB = StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        try (DynamoDbClient ddb =
                        DynamoDbClient.builder().credentialsProvider(inB).build();
                StsClient stsInB = StsClient.builder().credentialsProvider(inB).build()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) event.get("key");
            ddb.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(String.valueOf(key.get("pk"))))));
            stsInB.getCallerIdentity();
            Map<String, AttributeValue> probe = Map.of("pk", AttributeValue.fromS("roleproof-self-check-probe"));
            ddb.getItem(r -> r.tableName(table).key(probe));
            try {
                ddb.putItem(r -> r.tableName(table)
                        .item(probe)
                        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pk)"));
            } catch (ConditionalCheckFailedException expected) {
                // The reader's probe is built never to write.
            }
        }
        return "handled";
    }
}
