package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every unusable input is one TemplateException line "file:line: what is wrong". */
class TemplateErrorsTest {

    private static TemplateException error(String yaml) {
        return error(yaml, Map.of());
    }

    private static TemplateException error(String text, Map<String, String> params) {
        return Templates.error(text, params);
    }

    @Test
    void badYamlNamesTheLine() {
        TemplateException e = error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: [\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).startsWith("t.yaml:4: bad YAML");
    }

    @Test
    void unknownShortFormIntrinsic() {
        TemplateException e =
                error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Foo bar\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:5: unknown intrinsic '!Foo'");
    }

    @Test
    void unknownLongFormIntrinsic() {
        TemplateException e = error(
                "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {\"Fn::Foo\": bar}\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:5: unknown intrinsic 'Fn::Foo'");
    }

    @Test
    void cyclicRefBetweenNames() {
        TemplateException e = error("""
                Resources:
                  A:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !Sub "${B}-a"
                  B:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !GetAtt A.QueueName
                """);
        assertThat(e.getMessage())
                .matches("t\\.yaml:\\d: (circular dependency between resources|cyclic Ref): .*A.*B.*");
    }

    @Test
    void circularDependencyBetweenBucketNotificationAndRole() {
        // SAM#138: the function's policy names the bucket that notifies it.
        TemplateException e = error("""
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Runtime: java21
                      CodeUri: fn
                      Policies:
                        - S3ReadPolicy: {BucketName: !Ref Bucket}
                      Events:
                        Up:
                          Type: S3
                          Properties: {Bucket: !Ref Bucket, Events: "s3:ObjectCreated:*"}
                """);
        assertThat(e.getMessage()).startsWith("t.yaml:3: circular dependency between resources: Bucket -> ");
    }

    @Test
    void cyclicConditions() {
        TemplateException e = error("""
                Conditions:
                  A: !Condition B
                  B: !Not [!Condition A]
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Condition: A
                """);
        assertThat(e.getMessage()).contains("cyclic condition");
    }

    @Test
    void missingParameterValue() {
        TemplateException e =
                error("Parameters:\n  Secret:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n");
        assertThat(e.getMessage())
                .isEqualTo(
                        "t.yaml:2: parameter 'Secret' has no value: it has no Default, give one with --param Secret=VALUE");
    }

    @Test
    void parameterOutsideAllowedValues() {
        TemplateException e = error(
                "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\n"
                        + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
                Map.of("Env", "test"));
        assertThat(e.getMessage())
                .isEqualTo("t.yaml:2: parameter 'Env' is 'test' (given), not one of its AllowedValues [dev, prod]");
    }

    @Test
    void paramForAnUndeclaredParameter() {
        TemplateException e = error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", Map.of("Nope", "x"));
        assertThat(e.getMessage()).isEqualTo("t.yaml: --param Nope: the template declares no parameter 'Nope'");
    }

    @Test
    void refToUnknownResourceOrParameter() {
        TemplateException e =
                error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Nothing\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:5: Ref to unknown resource or parameter 'Nothing'");
    }

    @Test
    void getAttOfUnknownResource() {
        TemplateException e = error(
                "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Nothing.Arn\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:5: Fn::GetAtt of unknown resource 'Nothing'");
    }

    @Test
    void refToAResourceWhoseConditionIsFalse() {
        TemplateException e = error("""
                Conditions:
                  Never: !Equals [a, b]
                Resources:
                  Gone:
                    Type: AWS::SQS::Queue
                    Condition: Never
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: !GetAtt Gone.QueueName
                """);
        assertThat(e.getMessage())
                .isEqualTo("t.yaml:10: reference to resource 'Gone', which is not created (its Condition is false)");
    }

    @Test
    void unusedConditionsAndOutputsAreCheckedToo() {
        assertThat(error("Conditions:\n  C: !Equals [!Ref Missing, x]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n")
                        .getMessage())
                .isEqualTo("t.yaml:2: Ref to unknown resource or parameter 'Missing'");
        assertThat(error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  Url:\n    Value: !GetAtt Nope.Arn\n")
                        .getMessage())
                .isEqualTo("t.yaml:6: Fn::GetAtt of unknown resource 'Nope'");
    }

    @Test
    void dependsOnAnUnknownResource() {
        assertThat(error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    DependsOn: [Nope]\n")
                        .getMessage())
                .isEqualTo("t.yaml:4: DependsOn of Q names unknown resource 'Nope'");
    }

    @Test
    void duplicateKeys() {
        TemplateException e = error("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n");
        assertThat(e.getMessage()).isEqualTo("t.yaml:4: duplicate key 'Q'");
    }

    @Test
    void resourceWithoutType() {
        assertThat(error("Resources:\n  Q:\n    Properties: {}\n").getMessage())
                .isEqualTo("t.yaml:2: resource 'Q' has no Type");
        assertThat(error("AWSTemplateFormatVersion: '2010-09-09'\n").getMessage())
                .isEqualTo("t.yaml: bad template: it has no Resources");
    }

    @Test
    void invalidPolicyDocumentPointsAtTheStatement() {
        TemplateException e = error("""
                Resources:
                  R:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Allow
                            Principal: {Service: lambda.amazonaws.com}
                            Action: sts:AssumeRole
                      Policies:
                        - PolicyName: p
                          PolicyDocument:
                            Version: "2012-10-17"
                            Statement:
                              - Effect: Allow
                                Action: s3:GetObject
                                Resource: "*"
                                Condition: {StringLik: {"s3:prefix": "a"}}
                """);
        assertThat(e.getMessage()).startsWith("t.yaml:19: policy R/p: ").contains("StringLik");
    }

    @Test
    void unknownPolicyTemplateAndMissingTemplateParameter() {
        String fn = """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Runtime: java21
                      CodeUri: fn
                      Policies:
                        - %s
                """;
        assertThat(error(fn.formatted("SQSPolerPolicy: {QueueName: q}")).getMessage())
                .isEqualTo("t.yaml:10: unknown SAM policy template 'SQSPolerPolicy' in Policies of Fn");
        assertThat(error(fn.formatted("SQSPollerPolicy: {}")).getMessage())
                .isEqualTo("t.yaml:10: policy template SQSPollerPolicy needs parameter 'QueueName' (Policies of Fn)");
    }

    @Test
    void s3EventMustReferenceABucketOfTheTemplate() {
        TemplateException e = error("""
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Runtime: java21
                      CodeUri: fn
                      Events:
                        Up:
                          Type: S3
                          Properties: {Bucket: some-bucket, Events: "s3:ObjectCreated:*"}
                """);
        assertThat(e.getMessage()).startsWith("t.yaml:12: S3 event FnUp must reference an AWS::S3::Bucket");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> TemplateLoader.load(missing, LoadOptions.defaults()))
                .isInstanceOf(TemplateException.class)
                .hasMessage(missing + ": cannot read template: no such file");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> TemplateLoader.load(binary, LoadOptions.defaults()))
                .isInstanceOf(TemplateException.class)
                .hasMessage(binary + ": cannot read template: not UTF-8 text");
        assertThatThrownBy(() -> TemplateLoader.load(dir, LoadOptions.defaults()))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith(dir + ": cannot read template: ");
    }

    @Test
    void badCallsMetadata() {
        TemplateException e = error("""
                Resources:
                  Fn:
                    Type: AWS::Lambda::Function
                    Metadata:
                      RoleProof:
                        Calls:
                          - Resource: "*"
                    Properties:
                      Handler: a.B::handleRequest
                      Runtime: java21
                      Role: arn:aws:iam::111111111111:role/r
                      Code: {ZipFile: x}
                """);
        assertThat(e.getMessage()).isEqualTo("t.yaml:7: Metadata.RoleProof.Calls entry of Fn has no Action");
    }
}
