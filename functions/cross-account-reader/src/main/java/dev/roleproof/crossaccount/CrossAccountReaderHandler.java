package dev.roleproof.crossaccount;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Pattern cross-account: reads one item from a table in account B with the credentials of B's role, assumed with an
 * ExternalId. Both sides must allow: A's identity policy (sts:AssumeRole on B's role) and B's trust policy (this role,
 * with the ExternalId); then B's role policy must allow the read. A refusal says which link of the chain refused.
 */
public class CrossAccountReaderHandler implements RequestHandler<CrossAccountRequest, Map<String, Object>> {

    final SdkHttpClient http;
    final StsClient sts;
    final String targetRoleArn;
    final String defaultTable;
    final String tableArnPrefix;
    final AssumeRoleRequest assumeRole;
    /** B's role: the provider assumes it once, caches the session and assumes it again before it expires. */
    final StsAssumeRoleCredentialsProvider roleInB;

    final DynamoDbClient dynamoDbInB;

    public CrossAccountReaderHandler() {
        this(UrlConnectionHttpClient.create(), Region.of(System.getenv("AWS_REGION")), System.getenv());
    }

    private CrossAccountReaderHandler(SdkHttpClient http, Region region, Map<String, String> env) {
        this(
                http,
                StsClient.builder()
                        .region(region)
                        // A's credentials: in the environment on demand, from the container endpoint under SnapStart.
                        .credentialsProvider(AwsCredentialsProviderChain.of(
                                EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create()))
                        .httpClient(http)
                        .build(),
                DynamoDbClient.builder().region(region).httpClient(http),
                env);
    }

    CrossAccountReaderHandler(SdkHttpClient http, StsClient sts, DynamoDbClientBuilder inB, Map<String, String> env) {
        this.http = http;
        this.sts = sts;
        this.targetRoleArn = env.get("TARGET_ROLE_ARN");
        this.defaultTable = env.get("TARGET_TABLE_NAME");
        this.tableArnPrefix = "arn:aws:dynamodb:" + env.get("AWS_REGION") + ":"
                + targetRoleArn.split(":")[4] + ":table/";
        this.assumeRole = AssumeRoleRequest.builder()
                .roleArn(targetRoleArn)
                .externalId(env.get("EXTERNAL_ID"))
                .roleSessionName(env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cross-account-reader"))
                .build();
        this.roleInB = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(assumeRole)
                // Refresh on the calling thread: Lambda freezes background threads between invocations.
                .asyncCredentialUpdateEnabled(false)
                .build();
        this.dynamoDbInB = inB.credentialsProvider(roleInB).build();
    }

    @Override
    public Map<String, Object> handleRequest(CrossAccountRequest request, Context context) {
        if (request.getKey() == null || request.getKey().isEmpty()) {
            throw new IllegalArgumentException("The request needs a key, e.g. {\"key\": {\"pk\": \"report-2026-11\"}}");
        }
        String table = request.getTable() == null ? defaultTable : request.getTable();
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        request.getKey().forEach((name, value) -> key.put(name, AttributeValue.fromS(value)));
        Map<String, AttributeValue> item;
        try {
            item = dynamoDbInB.getItem(r -> r.tableName(table).key(key)).item();
        } catch (RuntimeException e) {
            throw CrossAccountAccessException.explain(e, targetRoleArn, tableArnPrefix + table);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", tableArnPrefix + table);
        result.put("key", request.getKey());
        result.put("found", item != null && !item.isEmpty());
        Map<String, String> plain = new LinkedHashMap<>();
        if (item != null) {
            item.forEach((name, value) -> plain.put(name, value.s() != null ? value.s() : value.n()));
        }
        result.put("item", plain);
        context.getLogger().log("item-read " + tableArnPrefix + table + " found=" + result.get("found"));
        return result;
    }
}
