package dev.roleproof.stack;

import static dev.roleproof.stack.Templates.list;
import static dev.roleproof.stack.Templates.resources;
import static dev.roleproof.stack.Templates.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 2's acceptance properties, asserted on what CloudFormation will really create: account A's template after
 * the SAM transform (samtranslator), account B's as written.
 */
class TransformedTemplateIT {

    /** Services whose actions must never be granted on Resource "*" (dynamodb:ListStreams excepted). */
    private static final Set<String> SCOPED_SERVICES = Set.of("sqs", "dynamodb", "s3", "sts", "lambda", "iam");
    /** The broad managed policies SAM attaches for event sources, on Resource "*" (SAM#2118). */
    private static final List<String> BROAD_MANAGED = List.of(
            "AWSLambdaSQSQueueExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaInvocation-DynamoDB",
            "AWSLambdaBasicExecutionRole",
            "AdministratorAccess",
            "PowerUserAccess");

    private final JsonNode a = Templates.accountA();

    private Map<String, JsonNode> functions() {
        return resources(a, "AWS::Lambda::Function");
    }

    /**
     * SnapStart applies to published versions only: each function publishes the alias every event source targets,
     * or its cold starts would never restore a snapshot.
     */
    @Test
    void everyFunctionHasSnapStartOnItsPublishedAliasAndEventSourcesTargetIt() {
        for (Map.Entry<String, JsonNode> f : functions().entrySet()) {
            JsonNode props = f.getValue().path("Properties");
            assertThat(props.path("SnapStart").path("ApplyOn").asText())
                    .as(f.getKey())
                    .isEqualTo("PublishedVersions");
            JsonNode alias = resource(aliasOf(f.getKey()));
            assertThat(alias.path("Type").asText()).isEqualTo("AWS::Lambda::Alias");
            assertThat(target(alias.path("Properties").path("FunctionName"))).isEqualTo(f.getKey());
        }
        for (Map.Entry<String, JsonNode> m :
                resources(a, "AWS::Lambda::EventSourceMapping").entrySet()) {
            assertThat(target(m.getValue().path("Properties").path("FunctionName")))
                    .as(m.getKey())
                    .endsWith("Aliaslive");
        }
        for (Map.Entry<String, JsonNode> p :
                resources(a, "AWS::Lambda::Permission").entrySet()) {
            assertThat(target(p.getValue().path("Properties").path("FunctionName")))
                    .as(p.getKey())
                    .endsWith("Aliaslive");
        }
    }

    private JsonNode resource(String logicalId) {
        JsonNode node = a.path("Resources").path(logicalId);
        assertThat(node.isMissingNode()).as("resource " + logicalId).isFalse();
        return node;
    }

    /** The alias SAM publishes for a function (AutoPublishAlias: live): what every event source invokes. */
    private static String aliasOf(String functionId) {
        return functionId + "Aliaslive";
    }

    private JsonNode mappingOf(String functionId) {
        return resources(a, "AWS::Lambda::EventSourceMapping").values().stream()
                .filter(m ->
                        aliasOf(functionId).equals(target(m.path("Properties").path("FunctionName"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event source mapping for " + functionId));
    }

    private static List<JsonNode> statements(JsonNode role) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode policy : list(role.path("Properties").path("Policies"))) {
            out.addAll(list(policy.path("PolicyDocument").path("Statement")));
        }
        return out;
    }

    @Test
    void fourFunctionsEachWithItsOwnExplicitRole() {
        Map<String, JsonNode> functions = functions();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(4);
        Set<String> roles = new HashSet<>();
        functions.forEach((id, function) -> {
            String role = target(function.path("Properties").path("Role"));
            assertThat(role).as(id + " Role").isNotNull();
            assertThat(resource(role).path("Type").asText()).isEqualTo("AWS::IAM::Role");
            assertThat(roles.add(role)).as(id + " shares its role " + role).isTrue();
            assertThat(function.path("Properties").path("Runtime").asText()).isEqualTo("java21");
        });
        // SAM generates no role of its own (it would attach managed policies on "*").
        assertThat(resources(a, "AWS::IAM::Role")).hasSize(roles.size());
    }

    @Test
    void everyFunctionKnowsItsExpectedRoleAndSelfChecksOnFirstInvocation() {
        functions().forEach((id, function) -> {
            JsonNode env = function.path("Properties").path("Environment").path("Variables");
            assertThat(target(env.path("ROLEPROOF_EXPECTED_ROLE_ARN")))
                    .as(id)
                    .isEqualTo(target(function.path("Properties").path("Role")));
            assertThat(env.path("ROLEPROOF_SELF_CHECK").asText()).as(id).isEqualTo("first");
        });
    }

    @Test
    void everyFunctionIsBuiltByTheMakefileAndDeclaresItsCalls() {
        functions().forEach((id, function) -> {
            JsonNode metadata = function.path("Metadata");
            assertThat(metadata.path("BuildMethod").asText()).as(id).isEqualTo("makefile");
            JsonNode calls = metadata.path("RoleProof").path("Calls");
            assertThat(calls.isArray() && calls.size() > 0)
                    .as(id + " Metadata.RoleProof.Calls")
                    .isTrue();
            calls.forEach(call -> assertThat(call.has("Action") && call.has("Resource"))
                    .as(id + " " + call)
                    .isTrue());
        });
    }

    @Test
    void theSqsMappingReportsBatchItemFailuresAndTheQueueRedrivesWithEnoughVisibility() {
        JsonNode mapping = mappingOf("SqsConsumerFunction").path("Properties");
        assertThat(mapping.path("FunctionResponseTypes").toString()).contains("ReportBatchItemFailures");
        String queueId = target(mapping.path("EventSourceArn"));
        JsonNode queue = resource(queueId).path("Properties");

        JsonNode redrive = queue.path("RedrivePolicy");
        assertThat(target(redrive.path("deadLetterTargetArn"))).as("DLQ").isNotNull();
        assertThat(resource(target(redrive.path("deadLetterTargetArn")))
                        .path("Type")
                        .asText())
                .isEqualTo("AWS::SQS::Queue");
        assertThat(redrive.path("maxReceiveCount").asInt()).isBetween(1, 10);

        int timeout = resource("SqsConsumerFunction")
                .path("Properties")
                .path("Timeout")
                .asInt();
        assertThat(timeout).isPositive();
        assertThat(queue.path("VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(6 * timeout);
    }

    @Test
    void theStreamMappingIsBoundedBisectsAndHasAnOnFailureDestination() {
        JsonNode mapping = mappingOf("DdbStreamProcessorFunction").path("Properties");
        assertThat(mapping.path("FunctionResponseTypes").toString()).contains("ReportBatchItemFailures");
        assertThat(mapping.path("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(mapping.path("MaximumRetryAttempts").asInt(-1)).isBetween(0, 10);
        assertThat(mapping.path("MaximumRecordAgeInSeconds").asInt(-1)).isBetween(60, 86_400);
        String destination =
                target(mapping.path("DestinationConfig").path("OnFailure").path("Destination"));
        assertThat(resource(destination).path("Type").asText()).isEqualTo("AWS::SQS::Queue");
        assertThat(target(mapping.path("EventSourceArn"))).isEqualTo("AuditTable");
        assertThat(resource("AuditTable")
                        .path("Properties")
                        .path("StreamSpecification")
                        .path("StreamViewType")
                        .asText())
                .isEqualTo("NEW_AND_OLD_IMAGES");

        // The mapping sends to the destination with the execution role: the role must allow exactly that.
        JsonNode role = resource(
                target(resource("DdbStreamProcessorFunction").path("Properties").path("Role")));
        assertThat(statements(role)).anySatisfy(s -> {
            assertThat(list(s.path("Action")).stream().map(JsonNode::asText)).containsExactly("sqs:SendMessage");
            assertThat(target(s.path("Resource"))).isEqualTo(destination);
        });
    }

    @Test
    void theStreamIsReadOnItsOwnArnAndOnlyListStreamsIsOnStar() {
        JsonNode role = resource("DdbStreamProcessorRole");
        assertThat(statements(role)).anySatisfy(s -> {
            assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                    .containsExactlyInAnyOrder(
                            "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator");
            assertThat(s.path("Resource").path("Fn::GetAtt").toString()).isEqualTo("[\"AuditTable\",\"StreamArn\"]");
        });
        assertThat(statements(role))
                .filteredOn(s -> "*".equals(s.path("Resource").asText()))
                .allSatisfy(s -> assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                        .containsExactly("dynamodb:ListStreams"));
    }

    @Test
    void theS3PermissionCarriesSourceArnAndSourceAccountOfTheNotifyingBucket() {
        Map<String, JsonNode> permissions = resources(a, "AWS::Lambda::Permission");
        assertThat(permissions).isNotEmpty();
        for (Map.Entry<String, JsonNode> e : permissions.entrySet()) {
            JsonNode p = e.getValue().path("Properties");
            if (!"s3.amazonaws.com".equals(p.path("Principal").asText())) {
                continue;
            }
            assertThat(p.has("SourceArn")).as(e.getKey() + " SourceArn").isTrue();
            assertThat(p.path("SourceAccount").path("Ref").asText())
                    .as(e.getKey() + " SourceAccount")
                    .isEqualTo("AWS::AccountId");
        }
        JsonNode permission =
                permissions.get("S3ObjectProcessorInvokePermission").path("Properties");
        JsonNode bucket = resource("UploadsBucket").path("Properties");
        // The same !Sub string in both places: the permission names exactly the bucket that notifies.
        assertThat(permission.path("SourceArn").path("Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:s3:::"
                        + bucket.path("BucketName").path("Fn::Sub").asText());
        JsonNode notification = bucket.path("NotificationConfiguration")
                .path("LambdaConfigurations")
                .get(0);
        assertThat(notification.path("Event").asText()).startsWith("s3:ObjectCreated:");
        assertThat(target(notification.path("Function")))
                .isEqualTo(target(permission.path("FunctionName")))
                .isEqualTo(aliasOf("S3ObjectProcessorFunction"));
        // S3 checks its permission when the notification is created.
        assertThat(list(resource("UploadsBucket").path("DependsOn")).stream().map(JsonNode::asText))
                .contains("S3ObjectProcessorInvokePermission");
    }

    @Test
    void theS3RoleReadsOnlyThatBucketsObjects() {
        String bucketName = resource("UploadsBucket")
                .path("Properties")
                .path("BucketName")
                .path("Fn::Sub")
                .asText();
        assertThat(statements(resource("S3ObjectProcessorRole")))
                .filteredOn(s -> s.toString().contains("s3:"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                            .containsExactly("s3:GetObject");
                    assertThat(s.path("Resource").path("Fn::Sub").asText())
                            .isEqualTo("arn:${AWS::Partition}:s3:::" + bucketName + "/*");
                });
    }

    @Test
    void theCrossAccountRoleMayOnlyAssumeTheTargetRole() {
        assertThat(statements(resource("CrossAccountReaderRole")))
                .filteredOn(s -> s.toString().contains("sts:"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                            .containsExactly("sts:AssumeRole");
                    assertThat(s.path("Resource").path("Ref").asText()).isEqualTo("TargetRoleArn");
                });
        JsonNode env = resource("CrossAccountReaderFunction")
                .path("Properties")
                .path("Environment")
                .path("Variables");
        assertThat(env.path("EXTERNAL_ID").path("Ref").asText()).isEqualTo("ExternalId");
        assertThat(env.path("TARGET_ROLE_ARN").path("Ref").asText()).isEqualTo("TargetRoleArn");
    }

    @Test
    void noRoleUsesBroadManagedPoliciesOrStarOnSensitiveServices() {
        resources(a, "AWS::IAM::Role").forEach((id, role) -> {
            String managed = role.path("Properties").path("ManagedPolicyArns").toString();
            BROAD_MANAGED.forEach(name -> assertThat(managed).as(id).doesNotContain(name));
            for (JsonNode s : statements(role)) {
                assertThat(s.path("Sid").asText())
                        .as(id + " statement without Sid: " + s)
                        .isNotBlank();
                boolean onStar = list(s.path("Resource")).stream().anyMatch(r -> "*".equals(r.asText()));
                if (!onStar || !"Allow".equals(s.path("Effect").asText())) {
                    continue;
                }
                for (JsonNode action : list(s.path("Action"))) {
                    String name = action.asText().toLowerCase(Locale.ROOT);
                    String service = name.substring(0, name.indexOf(':'));
                    if (SCOPED_SERVICES.contains(service) || name.contains("*")) {
                        assertThat(name)
                                .as(id + " allows " + name + " on \"*\"")
                                .isEqualTo("dynamodb:liststreams");
                    }
                }
            }
            assertThat(role.path("Properties").has("NotAction")).isFalse();
        });
    }

    @Test
    void logsGoOnlyToTheFunctionsOwnLogGroup() {
        functions().forEach((id, function) -> {
            String name = function.path("Properties")
                    .path("FunctionName")
                    .path("Fn::Sub")
                    .asText();
            String logGroup =
                    target(function.path("Properties").path("LoggingConfig").path("LogGroup"));
            assertThat(resource(logGroup)
                            .path("Properties")
                            .path("LogGroupName")
                            .path("Fn::Sub")
                            .asText())
                    .isEqualTo("/aws/lambda/" + name);
            assertThat(resource(logGroup)
                            .path("Properties")
                            .path("RetentionInDays")
                            .asInt())
                    .isPositive();
            JsonNode role = resource(target(function.path("Properties").path("Role")));
            List<JsonNode> logStatements = statements(role).stream()
                    .filter(s -> s.toString().contains("logs:"))
                    .toList();
            assertThat(logStatements).as(id).singleElement().satisfies(s -> {
                assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                        .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
                assertThat(s.path("Resource").path("Fn::Sub").asText())
                        .endsWith(":log-group:/aws/lambda/" + name + ":*");
            });
        });
    }

    @Test
    void theOutputsWireAccountBAndTheTests() {
        assertThat(a.path("Outputs").fieldNames())
                .toIterable()
                .contains(
                        "CrossAccountReaderRoleArn",
                        "OrdersQueueUrl",
                        "AuditTableName",
                        "AuditTableArn",
                        "AuditStreamArn",
                        "UploadsBucketName",
                        "SqsConsumerFunctionName",
                        "DdbStreamProcessorFunctionName",
                        "S3ObjectProcessorFunctionName",
                        "CrossAccountReaderFunctionName",
                        "SqsConsumerRoleArn",
                        "DdbStreamProcessorRoleArn",
                        "S3ObjectProcessorRoleArn");
    }

    @Test
    void accountBsRoleTrustsOneSpecificPrincipalUnderAnExternalIdAndOnlyReadsItsTable() {
        JsonNode b = Templates.accountB();
        Map<String, JsonNode> roles = resources(b, "AWS::IAM::Role");
        assertThat(roles).hasSize(1);
        JsonNode role = roles.values().iterator().next().path("Properties");
        List<JsonNode> trust = list(role.path("AssumeRolePolicyDocument").path("Statement"));
        assertThat(trust).singleElement().satisfies(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Action").asText()).isEqualTo("sts:AssumeRole");
            // A parameter holding A's role ARN (validated as a role ARN), not an account root or "*".
            String parameter = s.path("Principal").path("AWS").path("Ref").asText();
            assertThat(b.path("Parameters")
                            .path(parameter)
                            .path("AllowedPattern")
                            .asText())
                    .contains(":role/");
            assertThat(s.path("Condition")
                            .path("StringEquals")
                            .path("sts:ExternalId")
                            .path("Ref")
                            .asText())
                    .isEqualTo("ExternalId");
        });
        List<JsonNode> grants = statements(roles.values().iterator().next());
        assertThat(grants).singleElement().satisfies(s -> {
            assertThat(list(s.path("Action")).stream().map(JsonNode::asText))
                    .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:Query");
            assertThat(s.path("Resource").path("Fn::GetAtt").toString()).isEqualTo("[\"ReportsTable\",\"Arn\"]");
        });
        // A's defaults point at B's defaults, and the ExternalId defaults agree.
        assertThat(b.path("Parameters").path("ExternalId").path("Default").asText())
                .isEqualTo(Templates.accountA()
                        .path("Parameters")
                        .path("ExternalId")
                        .path("Default")
                        .asText());
    }
}
