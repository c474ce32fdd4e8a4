package dev.roleproof.local.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request → IAM mapping, per service and protocol, without a server: the wire shapes are the SDK v2's. */
class RequestMapperTest {
    static final String A = "111111111111";
    final StreamIterators iterators = new StreamIterators();
    /** Tables whose partition key is known, as moto's DescribeTable would tell. */
    final RequestMapper mapper = new RequestMapper(
            iterators, arn -> arn.endsWith(":table/Orders") ? "customer" : arn.endsWith(":table/T1") ? "pk" : null);

    // ------------------------------------------------------------------------------------------------------- SQS

    @Test
    void sqsJsonUsesTheQueueUrlAndBatchApisMapToTheirNonBatchAction() {
        Mapping m = json(
                "sqs",
                "AmazonSQS.ChangeMessageVisibilityBatch",
                "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/222222222222/jobs\",\"Entries\":[]}");
        assertThat(m.protocol()).isEqualTo(Protocol.SQS_JSON);
        assertCalls(m, tuple("sqs:ChangeMessageVisibility", "arn:aws:sqs:us-east-1:222222222222:jobs"));
        assertCalls(
                json("sqs", "AmazonSQS.DeleteMessageBatch", "{\"QueueUrl\":\"http://127.0.0.1:5000/111111111111/q\"}"),
                tuple("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:111111111111:q"));
        assertCalls(
                json("sqs", "AmazonSQS.SendMessageBatch", "{\"QueueUrl\":\"http://127.0.0.1:5000/111111111111/q\"}"),
                tuple("sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q"));
        assertCalls(json("sqs", "AmazonSQS.ListQueues", "{}"), tuple("sqs:ListQueues", "*"));
    }

    @Test
    void sqsGetQueueUrlNamesTheOwnersQueue() {
        assertCalls(
                json(
                        "sqs",
                        "AmazonSQS.GetQueueUrl",
                        "{\"QueueName\":\"q\",\"QueueOwnerAWSAccountId\":\"333333333333\"}"),
                tuple("sqs:GetQueueUrl", "arn:aws:sqs:us-east-1:333333333333:q"));
        assertCalls(
                json("sqs", "AmazonSQS.GetQueueUrl", "{\"QueueName\":\"q\"}"),
                tuple("sqs:GetQueueUrl", "arn:aws:sqs:us-east-1:" + A + ":q"));
    }

    @Test
    void sqsQueryProtocolByFormOrByPath() {
        Mapping byForm = form(
                "sqs",
                "/",
                "Action=ReceiveMessage&QueueUrl="
                        + "https%3A%2F%2Fsqs.eu-west-1.amazonaws.com%2F111111111111%2Fq&Version=2012-11-05",
                "eu-west-1");
        assertThat(byForm.protocol()).isEqualTo(Protocol.SQS_QUERY);
        assertCalls(byForm, tuple("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:111111111111:q"));
        assertCalls(
                form("sqs", "/111111111111/q", "Action=DeleteMessageBatch&Version=2012-11-05", "us-east-1"),
                tuple("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:111111111111:q"));
    }

    // -------------------------------------------------------------------------------------------------- DynamoDB

    @Test
    void dynamodbTableIndexAndContextKeys() {
        Mapping query = json(
                "dynamodb",
                "DynamoDB_20120810.Query",
                "{\"TableName\":\"Orders\",\"IndexName\":\"byCustomer\",\"Select\":\"ALL_PROJECTED_ATTRIBUTES\"}");
        assertThat(query.protocol()).isEqualTo(Protocol.DYNAMODB);
        assertCalls(
                query, tuple("dynamodb:Query", "arn:aws:dynamodb:us-east-1:" + A + ":table/Orders/index/byCustomer"));
        assertThat(query.calls().get(0).context())
                .containsEntry("dynamodb:Select", List.of("ALL_PROJECTED_ATTRIBUTES"));
        assertCalls(
                json(
                        "dynamodb",
                        "DynamoDB_20120810.GetItem",
                        "{\"TableName\":\"arn:aws:dynamodb:us-east-1:222222222222:table/Shared\",\"Key\":{}}"),
                tuple("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:222222222222:table/Shared"));
        assertCalls(json("dynamodb", "DynamoDB_20120810.ListTables", "{}"), tuple("dynamodb:ListTables", "*"));
        Mapping update =
                json("dynamodb", "DynamoDB_20120810.UpdateItem", "{\"TableName\":\"T\",\"ReturnValues\":\"ALL_NEW\"}");
        assertThat(update.calls().get(0).context()).containsEntry("dynamodb:ReturnValues", List.of("ALL_NEW"));
    }

    @Test
    void dynamodbBatchAndTransactionsNeedEveryTableAndItemAction() {
        assertCalls(
                json(
                        "dynamodb",
                        "DynamoDB_20120810.BatchGetItem",
                        "{\"RequestItems\":{\"T1\":{\"Keys\":[]},\"T2\":{\"Keys\":[]}}}"),
                tuple("dynamodb:BatchGetItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T1"),
                tuple("dynamodb:BatchGetItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T2"));
        assertCalls(
                json(
                        "dynamodb",
                        "DynamoDB_20120810.TransactWriteItems",
                        "{\"TransactItems\":["
                                + "{\"ConditionCheck\":{\"TableName\":\"T1\"}},{\"Put\":{\"TableName\":\"T2\"}},"
                                + "{\"Update\":{\"TableName\":\"T2\"}},{\"Delete\":{\"TableName\":\"T1\"}}]}"),
                tuple("dynamodb:ConditionCheckItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T1"),
                tuple("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T2"),
                tuple("dynamodb:UpdateItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T2"),
                tuple("dynamodb:DeleteItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T1"));
        assertCalls(
                json(
                        "dynamodb",
                        "DynamoDB_20120810.TransactGetItems",
                        "{\"TransactItems\":[{\"Get\":{\"TableName\":\"T1\"}}]}"),
                tuple("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:" + A + ":table/T1"));
    }

    @Test
    void dynamodbLeadingKeysAreThePartitionKeyValuesTheRequestNames() {
        assertThat(json(
                                "dynamodb",
                                "DynamoDB_20120810.GetItem",
                                "{\"TableName\":\"Orders\",\"Key\":{\"customer\":{\"S\":\"c-1\"},\"order\":{\"N\":\"7\"}}}")
                        .calls()
                        .get(0)
                        .context())
                .containsEntry("dynamodb:LeadingKeys", List.of("c-1"));
        assertThat(json(
                                "dynamodb",
                                "DynamoDB_20120810.PutItem",
                                "{\"TableName\":\"Orders\",\"Item\":{\"customer\":{\"S\":\"c-2\"}}}")
                        .calls()
                        .get(0)
                        .context())
                .containsEntry("dynamodb:LeadingKeys", List.of("c-2"));
        assertThat(json(
                                "dynamodb",
                                "DynamoDB_20120810.Query",
                                "{\"TableName\":\"Orders\","
                                        + "\"KeyConditionExpression\":\"#c = :c AND #o > :o\","
                                        + "\"ExpressionAttributeNames\":{\"#c\":\"customer\",\"#o\":\"order\"},"
                                        + "\"ExpressionAttributeValues\":{\":c\":{\"S\":\"c-3\"},\":o\":{\"N\":\"1\"}}}")
                        .calls()
                        .get(0)
                        .context())
                .containsEntry("dynamodb:LeadingKeys", List.of("c-3"));
        assertThat(json(
                                "dynamodb",
                                "DynamoDB_20120810.Query",
                                "{\"TableName\":\"Orders\",\"KeyConditions\":"
                                        + "{\"customer\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[{\"S\":\"c-4\"}]}}}")
                        .calls()
                        .get(0)
                        .context())
                .containsEntry("dynamodb:LeadingKeys", List.of("c-4"));
        Mapping batch = json(
                "dynamodb",
                "DynamoDB_20120810.BatchWriteItem",
                "{\"RequestItems\":{\"T1\":["
                        + "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"}}}},"
                        + "{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"b\"}}}}]}}");
        assertThat(batch.calls().get(0).context()).containsEntry("dynamodb:LeadingKeys", List.of("a", "b"));
        // Scans name no key, and a table whose schema is unknown gets no LeadingKeys rather than a guess.
        assertThat(json("dynamodb", "DynamoDB_20120810.Scan", "{\"TableName\":\"Orders\"}")
                        .calls()
                        .get(0)
                        .context())
                .doesNotContainKey("dynamodb:LeadingKeys");
        assertThat(json(
                                "dynamodb",
                                "DynamoDB_20120810.GetItem",
                                "{\"TableName\":\"Other\",\"Key\":{\"id\":{\"S\":\"x\"}}}")
                        .calls()
                        .get(0)
                        .context())
                .doesNotContainKey("dynamodb:LeadingKeys");
    }

    @Test
    void streamsGetRecordsNeedsAKnownIterator() {
        String stream = "arn:aws:dynamodb:us-east-1:" + A + ":table/T/stream/2026-11-29T06:00:00.000";
        assertCalls(
                json("dynamodb", "DynamoDBStreams_20120810.DescribeStream", "{\"StreamArn\":\"" + stream + "\"}"),
                tuple("dynamodb:DescribeStream", stream));
        assertCalls(
                json("dynamodb", "DynamoDBStreams_20120810.ListStreams", "{\"TableName\":\"T\"}"),
                tuple("dynamodb:ListStreams", "*"));
        Mapping unknown = json("dynamodb", "DynamoDBStreams_20120810.GetRecords", "{\"ShardIterator\":\"opaque\"}");
        assertThat(unknown.unmapped()).contains("shard iterator");
        assertThat(unknown.protocol()).isEqualTo(Protocol.DYNAMODB);
        iterators.remember("opaque", stream);
        assertCalls(
                json("dynamodb", "DynamoDBStreams_20120810.GetRecords", "{\"ShardIterator\":\"opaque\"}"),
                tuple("dynamodb:GetRecords", stream));
        // moto's own iterators begin with their stream's ARN.
        assertCalls(
                json("dynamodb", "DynamoDBStreams_20120810.GetRecords", "{\"ShardIterator\":\"" + stream + "|1|abc\"}"),
                tuple("dynamodb:GetRecords", stream));
    }

    // -------------------------------------------------------------------------------------------------------- S3

    @Test
    void s3ObjectsKeysAreDecodedAndPlusStaysPlus() {
        assertCalls(
                s3("GET", "/bucket/dir/a%20b+c%C3%A9.txt", null),
                tuple("s3:GetObject", "arn:aws:s3:::bucket/dir/a b+cé.txt"));
        assertCalls(s3("HEAD", "/bucket/k", null), tuple("s3:GetObject", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("GET", "/bucket/k", "versionId=3"), tuple("s3:GetObjectVersion", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("PUT", "/bucket/k", null), tuple("s3:PutObject", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("PUT", "/bucket/k", "tagging"), tuple("s3:PutObjectTagging", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("DELETE", "/bucket/k", null), tuple("s3:DeleteObject", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("DELETE", "/bucket/k", "uploadId=u"), tuple("s3:AbortMultipartUpload", "arn:aws:s3:::bucket/k"));
        assertCalls(s3("POST", "/bucket/k", "uploads"), tuple("s3:PutObject", "arn:aws:s3:::bucket/k"));
        IamCall get = s3("GET", "/bucket/k", null).calls().get(0);
        assertThat(get.resourceAccount()).isEqualTo(A);
        assertThat(get.context())
                .containsEntry("s3:authType", List.of("REST-HEADER"))
                .containsEntry("s3:ResourceAccount", List.of(A));
    }

    @Test
    void s3BucketsAndTheServiceRoot() {
        Mapping list = s3("GET", "/bucket", "list-type=2&prefix=in%20box%2F&delimiter=%2F");
        assertCalls(list, tuple("s3:ListBucket", "arn:aws:s3:::bucket"));
        assertThat(list.calls().get(0).context())
                .containsEntry("s3:prefix", List.of("in box/"))
                .containsEntry("s3:delimiter", List.of("/"));
        assertCalls(s3("HEAD", "/bucket", null), tuple("s3:ListBucket", "arn:aws:s3:::bucket"));
        assertCalls(s3("GET", "/bucket", "location"), tuple("s3:GetBucketLocation", "arn:aws:s3:::bucket"));
        assertCalls(s3("PUT", "/bucket", null), tuple("s3:CreateBucket", "arn:aws:s3:::bucket"));
        assertCalls(s3("PUT", "/bucket", "notification"), tuple("s3:PutBucketNotification", "arn:aws:s3:::bucket"));
        assertCalls(s3("DELETE", "/bucket", "tagging"), tuple("s3:PutBucketTagging", "arn:aws:s3:::bucket"));
        assertCalls(s3("GET", "/", null), tuple("s3:ListAllMyBuckets", "*"));
    }

    @Test
    void s3CopyNeedsReadOnTheSourceAndWriteOnTheTarget() {
        HttpCall call = new HttpCall(
                "PUT", "/dst/new", null, Map.of("x-amz-copy-source", List.of("src/old%20one.txt?versionId=7")), null);
        assertCalls(
                mapper.map(call, new SigV4Credential("K", "us-east-1", "s3"), A),
                tuple("s3:GetObjectVersion", "arn:aws:s3:::src/old one.txt"),
                tuple("s3:PutObject", "arn:aws:s3:::dst/new"));
    }

    @Test
    void s3DeleteObjectsIsDeleteObjectPerKey() {
        String body = "<Delete><Object><Key>a.txt</Key></Object><Object><Key>b/c.txt</Key><VersionId>1</VersionId>"
                + "</Object></Delete>";
        HttpCall call = new HttpCall("POST", "/bucket", "delete", Map.of(), body.getBytes(StandardCharsets.UTF_8));
        assertCalls(
                mapper.map(call, new SigV4Credential("K", "us-east-1", "s3"), A),
                tuple("s3:DeleteObject", "arn:aws:s3:::bucket/a.txt"),
                tuple("s3:DeleteObjectVersion", "arn:aws:s3:::bucket/b/c.txt"));
    }

    // ------------------------------------------------------------------------------------------------------- STS

    @Test
    void assumeRoleCarriesItsConditionKeysAndTagsNeedTagSession() {
        String role = "arn:aws:iam::222222222222:role/path/Reader";
        Mapping m = form(
                "sts",
                "/",
                "Action=AssumeRole&Version=2011-06-15&RoleArn=" + enc(role)
                        + "&RoleSessionName=s1&ExternalId=ext&Tags.member.1.Key=team&Tags.member.1.Value=blue",
                "us-east-1");
        assertThat(m.protocol()).isEqualTo(Protocol.QUERY);
        assertCalls(m, tuple("sts:AssumeRole", role), tuple("sts:TagSession", role));
        assertThat(m.calls().get(0).context())
                .containsEntry("sts:ExternalId", List.of("ext"))
                .containsEntry("sts:RoleSessionName", List.of("s1"))
                .containsEntry("aws:RequestTag/team", List.of("blue"))
                .containsEntry("aws:TagKeys", List.of("team"));
        Mapping who = form("sts", "/", "Action=GetCallerIdentity&Version=2011-06-15", "us-east-1");
        assertThat(who.exempt()).isTrue();
        assertCalls(
                form("sts", "/", "Action=GetSessionToken&Version=2011-06-15", "us-east-1"),
                tuple("sts:GetSessionToken", "*"));
    }

    @Test
    void assumedRoleSessionArnDropsTheRolePath() {
        assertThat(EnforcingProxy.assumedRole("arn:aws:iam::222222222222:role/path/Reader", "s1"))
                .isEqualTo(new Principal("arn:aws:sts::222222222222:assumed-role/Reader/s1", "222222222222"));
    }

    // --------------------------------------------------------------------------------------------------- others

    @Test
    void otherJsonAndQueryServicesByOperationAndRestIsUnmapped() {
        assertCalls(json("logs", "Logs_20140328.PutLogEvents", "{}"), tuple("logs:PutLogEvents", "*"));
        HttpCall rest = new HttpCall("POST", "/2015-03-31/functions/f/invocations", null, Map.of(), new byte[0]);
        Mapping lambda = mapper.map(rest, new SigV4Credential("K", "us-east-1", "lambda"), A);
        assertThat(lambda.unmapped()).contains("lambda");
        assertThat(lambda.calls()).isEmpty();
        Mapping broken = json("sqs", "AmazonSQS.ReceiveMessage", "{\"QueueUrl\":\"not a url at all\"}");
        assertThat(broken.unmapped()).isNotNull();
        assertThat(broken.protocol()).isEqualTo(Protocol.SQS_JSON);
    }

    @Test
    void sigV4CredentialScope() {
        assertThat(SigV4Credential.fromAuthorization("AWS4-HMAC-SHA256 Credential=AKIA1/20261129/eu-west-1/sqs/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"))
                .contains(new SigV4Credential("AKIA1", "eu-west-1", "sqs"));
        assertThat(SigV4Credential.fromAuthorization("AWS AKIA:sig")).isEmpty();
        assertThat(SigV4Credential.fromAuthorization(null)).isEmpty();
        assertThat(SigV4Credential.fromQuery("AKIA2/20261129/us-east-1/s3/aws4_request"))
                .contains(new SigV4Credential("AKIA2", "us-east-1", "s3"));
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private Mapping json(String service, String target, String body) {
        HttpCall call = new HttpCall(
                "POST",
                "/",
                null,
                Map.of("X-Amz-Target", List.of(target), "Content-Type", List.of("application/x-amz-json-1.0")),
                body.getBytes(StandardCharsets.UTF_8));
        return mapper.map(call, new SigV4Credential("K", "us-east-1", service), A);
    }

    private Mapping form(String service, String path, String body, String region) {
        HttpCall call = new HttpCall(
                "POST",
                path,
                null,
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
        return mapper.map(call, new SigV4Credential("K", region, service), A);
    }

    private Mapping s3(String method, String rawPath, String rawQuery) {
        String path = URI.create("http://h" + rawPath).getPath();
        return mapper.map(
                new HttpCall(method, path, rawQuery, Map.of(), null), new SigV4Credential("K", "us-east-1", "s3"), A);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertCalls(Mapping m, org.assertj.core.groups.Tuple... expected) {
        assertThat(m.unmapped()).as("unmapped reason").isNull();
        assertThat(m.calls()).extracting(IamCall::action, IamCall::resource).containsExactly(expected);
    }
}
