package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the SAM expansion gives the model, beyond what the samtranslator comparison covers: kinds, names, lines. */
class SamExpansionTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: java21
                Timeout: 20
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Worker:
                Type: AWS::Serverless::Function
                Metadata:
                  RoleProof:
                    Calls:
                      - Action: [sqs:SendMessage, sqs:GetQueueAttributes]
                        Resource: !GetAtt Queue.Arn
                      - As: arn:aws:iam::222222222222:role/reader
                        Action: dynamodb:GetItem
                        Resource: arn:aws:dynamodb:us-east-1:222222222222:table/t
                        Context:
                          aws:SourceIp: 10.0.0.1
                          dynamodb:LeadingKeys: [a, b]
                Properties:
                  CodeUri: functions/worker
                  Handler: example.Worker::handleRequest
                  Policies:
                    - SQSPollerPolicy:
                        QueueName: !GetAtt Queue.QueueName
                    - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
                    - Statement:
                        - Effect: Allow
                          Action: s3:GetObject
                          Resource: arn:aws:s3:::config/*
                        - Effect: Allow
                          Action: s3:ListBucket
                          Resource: arn:aws:s3:::config
                  Events:
                    Jobs:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt Queue.Arn
            """;

    @Test
    void generatedRoleWithEachKindOfPolicyAndItsSourceLines() {
        SamTemplate t = Templates.load(TEMPLATE);
        FunctionSpec fn = t.function("Worker").orElseThrow();
        assertThat(fn.roleLogicalId()).isEqualTo("WorkerRole");
        assertThat(fn.timeoutSeconds()).isEqualTo(20);
        assertThat(fn.memoryMb()).isEqualTo(128);
        assertThat(fn.codeUri()).isEqualTo("functions/worker");
        assertThat(fn.line()).isEqualTo(9);
        RoleSpec role = t.role("WorkerRole").orElseThrow();
        assertThat(role.generated()).isTrue();
        assertThat(role.line()).isEqualTo(9);
        assertThat(role.arn()).matches("arn:aws:iam::111111111111:role/roleproof-WorkerRole-[A-Z0-9]{12}");
        assertThat(role.trustPolicy().statements().get(0).principal().service())
                .containsExactly("lambda.amazonaws.com");

        AttachedPolicy template = policy(role, "WorkerRolePolicy0");
        assertThat(template.kind()).isEqualTo(AttachedPolicy.Kind.POLICY_TEMPLATE);
        assertThat(template.template()).isEqualTo("SQSPollerPolicy");
        assertThat(template.line()).isEqualTo(26);
        assertThat(template.statementLine(0)).isEqualTo(26);
        assertThat(template.policy().name()).isEqualTo("WorkerRole/WorkerRolePolicy0");
        assertThat(template.policy().statements().get(0).resources())
                .containsExactly(t.resource("Queue").orElseThrow().arn());

        AttachedPolicy inline = policy(role, "WorkerRolePolicy2");
        assertThat(inline.kind()).isEqualTo(AttachedPolicy.Kind.INLINE);
        assertThat(inline.statementLines()).containsExactly(30, 33);

        AttachedPolicy s3 = policy(role, "AmazonS3ReadOnlyAccess");
        assertThat(s3.kind()).isEqualTo(AttachedPolicy.Kind.MANAGED);
        assertThat(s3.line()).isEqualTo(28);
        AttachedPolicy basic = policy(role, "AWSLambdaBasicExecutionRole");
        assertThat(basic.policy()).as("the engine ships this one").isNotNull();
        assertThat(basic.policy().name()).isEqualTo("WorkerRole/AWSLambdaBasicExecutionRole");
        AttachedPolicy sqs = policy(role, "AWSLambdaSQSQueueExecutionRole");
        assertThat(sqs.line()).as("added for the SQS event").isEqualTo(37);
        assertThat(sqs.policy()).isNotNull();
    }

    @Test
    void everyAwsManagedPolicyComesWithItsDocument() {
        RoleSpec role = Templates.load(TEMPLATE).role("WorkerRole").orElseThrow();
        AttachedPolicy s3 = policy(role, "AmazonS3ReadOnlyAccess");
        assertThat(s3.arn()).isEqualTo("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(s3.policy()).as("the engine ships every AWS managed policy").isNotNull();
        assertThat(s3.policy().name()).isEqualTo("WorkerRole/AmazonS3ReadOnlyAccess");
        assertThat(s3.policy().statements().get(0).actions()).contains("s3:Get*", "s3:List*");
    }

    @Test
    void mappingAndDeclaredCalls() {
        SamTemplate t = Templates.load(TEMPLATE);
        EventSourceMapping m = t.mappings().get(0);
        assertThat(m.logicalId()).isEqualTo("WorkerJobs");
        assertThat(m.functionLogicalId()).isEqualTo("Worker");
        assertThat(m.sourceType()).isEqualTo("SQS");
        assertThat(m.line()).isEqualTo(37);
        assertThat(m.enabled()).isTrue();
        List<DeclaredCall> calls = t.function("Worker").orElseThrow().calls();
        String queueArn = t.resource("Queue").orElseThrow().arn();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).isEqualTo(new DeclaredCall(null, "sqs:SendMessage", queueArn, java.util.Map.of(), 14));
        assertThat(calls.get(1).action()).isEqualTo("sqs:GetQueueAttributes");
        DeclaredCall cross = calls.get(2);
        assertThat(cross.as()).isEqualTo("arn:aws:iam::222222222222:role/reader");
        assertThat(cross.line()).isEqualTo(16);
        assertThat(cross.context())
                .containsEntry("aws:SourceIp", List.of("10.0.0.1"))
                .containsEntry("dynamodb:LeadingKeys", List.of("a", "b"));
    }

    @Test
    void explicitRoleArnOutsideTheTemplateGeneratesNoRole() {
        SamTemplate t = Templates.load("""
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: fn
                      Handler: a.B::handleRequest
                      Runtime: java21
                      Role: arn:aws:iam::111111111111:role/elsewhere
                """);
        assertThat(t.roles()).isEmpty();
        FunctionSpec fn = t.function("Fn").orElseThrow();
        assertThat(fn.roleLogicalId()).isNull();
        assertThat(fn.roleArn()).isEqualTo("arn:aws:iam::111111111111:role/elsewhere");
    }

    @Test
    void s3EventPermissionHasSourceAccountButNoSourceArnAndTheBucketNotifies() {
        SamTemplate t = Templates.load("""
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: fn
                      Handler: a.B::handleRequest
                      Runtime: java21
                      Events:
                        Up:
                          Type: S3
                          Properties: {Bucket: !Ref Bucket, Events: "s3:ObjectCreated:*"}
                """);
        FunctionPermission p = t.permissionsOf("Fn").get(0);
        assertThat(p.logicalId()).isEqualTo("FnUpPermission");
        assertThat(p.eventType()).isEqualTo("S3");
        assertThat(p.sourceArn()).isNull();
        assertThat(p.sourceAccount()).isEqualTo("111111111111");
        assertThat(p.line()).isEqualTo(12);
        ResourceSpec bucket = t.resource("Bucket").orElseThrow();
        assertThat(bucket.physicalName()).matches("roleproof-bucket-[a-z0-9]{12}");
        assertThat(bucket.properties().toString())
                .contains("s3:ObjectCreated:*", t.function("Fn").orElseThrow().functionArn());
    }

    @Test
    void plainCloudFormationResourcesAndResourcePolicies() {
        SamTemplate t = Templates.load("""
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                    Properties:
                      FifoQueue: true
                  QueuePolicy:
                    Type: AWS::SQS::QueuePolicy
                    Properties:
                      Queues: [!Ref Queue]
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Allow
                            Principal: {Service: sns.amazonaws.com}
                            Action: sqs:SendMessage
                            Resource: !GetAtt Queue.Arn
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      Path: /app/
                      AssumeRolePolicyDocument:
                        Statement:
                          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
                  Managed:
                    Type: AWS::IAM::ManagedPolicy
                    Properties:
                      Roles: [!Ref Role]
                      PolicyDocument:
                        Statement:
                          - {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt Queue.Arn}
                  Fn:
                    Type: AWS::Lambda::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Runtime: java21
                      Role: !GetAtt Role.Arn
                      Code: {ZipFile: x}
                  Mapping:
                    Type: AWS::Lambda::EventSourceMapping
                    Properties:
                      FunctionName: !Ref Fn
                      EventSourceArn: !GetAtt Queue.Arn
                      BatchSize: 1
                """);
        ResourceSpec queue = t.resource("Queue").orElseThrow();
        assertThat(queue.physicalName()).endsWith(".fifo");
        ResourcePolicy qp = t.resourcePoliciesOf("Queue").get(0);
        assertThat(qp.targetArns()).containsExactly(queue.arn());
        assertThat(qp.statementLines()).containsExactly(13);
        RoleSpec role = t.role("Role").orElseThrow();
        assertThat(role.arn()).matches("arn:aws:iam::111111111111:role/app/roleproof-Role-[A-Z0-9]{12}");
        assertThat(role.functions()).containsExactly("Fn");
        AttachedPolicy managed = role.policies().get(0);
        assertThat(managed.kind()).isEqualTo(AttachedPolicy.Kind.CUSTOMER_MANAGED);
        assertThat(managed.policy().statements()).hasSize(1);
        assertThat(t.mappingsOf("Fn")).singleElement().satisfies(m -> {
            assertThat(m.batchSize()).isEqualTo(1);
            assertThat(m.eventSourceArn()).isEqualTo(queue.arn());
            assertThat(t.functionByNameOrArn(m.functionName()).orElseThrow().logicalId())
                    .isEqualTo("Fn");
        });
        FunctionSpec fn = t.function("Fn").orElseThrow();
        assertThat(t.functionByNameOrArn(fn.functionArn() + ":live")).contains(fn);
        assertThat(t.functionByNameOrArn("other")).isEmpty();
    }

    @Test
    void jsonTemplatesKeepLinesToo() {
        SamTemplate t = TemplateLoader.load("t.json", """
                {
                  "Resources": {
                    "Queue": {
                      "Type": "AWS::SQS::Queue",
                      "Properties": {"QueueName": "q"}
                    }
                  }
                }
                """, java.nio.file.Path.of("t.json"), LoadOptions.defaults());
        assertThat(t.resource("Queue").orElseThrow().line()).isEqualTo(3);
        assertThat(t.line("/Resources/Queue/Properties/QueueName")).isEqualTo(5);
    }

    private static AttachedPolicy policy(RoleSpec role, String name) {
        return role.policies().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in "
                        + role.policies().stream().map(AttachedPolicy::name).toList()));
    }
}
