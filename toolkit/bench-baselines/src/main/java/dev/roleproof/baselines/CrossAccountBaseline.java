package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Baseline of the cross-account reader: sam init style, clients made per call with every default, no self-check. */
public class CrossAccountBaseline implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        Credentials c;
        try (StsClient sts = StsClient.builder().build()) {
            c = sts.assumeRole(r -> r.roleArn(System.getenv("TARGET_ROLE_ARN")).roleSessionName("baseline")
                    .externalId(System.getenv("EXTERNAL_ID"))).credentials();
        }
        try (DynamoDbClient ddb = DynamoDbClient.builder().credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))).build()) {
            ddb.describeTable(r -> r.tableName(System.getenv("TARGET_TABLE_NAME")));
        }
        return "handled";
    }
}
