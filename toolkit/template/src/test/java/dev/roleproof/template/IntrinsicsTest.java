package dev.roleproof.template;

import static dev.roleproof.template.Templates.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {

    private static final String PARAMS = """
            Parameters:
              Env:
                Type: String
                Default: prod
              Names:
                Type: CommaDelimitedList
                Default: "a,b,c"
            Mappings:
              Sizes:
                prod: {Memory: "1024"}
                dev: {Memory: "256"}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsDev: !Not [!Condition IsProd]
              Both: !And [!Condition IsProd, !Equals [a, a]]
              Either: !Or [!Condition IsDev, !Equals [x, y]]
            """;

    @Test
    void refResolvesParametersPseudoParametersAndResources() {
        assertThat(value(PARAMS, "!Ref Env")).isEqualTo("prod");
        assertThat(value(PARAMS, "!Ref Names")).isEqualTo(List.of("a", "b", "c"));
        assertThat(value(PARAMS, "!Ref AWS::AccountId")).isEqualTo("111111111111");
        assertThat(value(PARAMS, "!Ref AWS::Region")).isEqualTo("us-east-1");
        assertThat(value(PARAMS, "!Ref AWS::Partition")).isEqualTo("aws");
        assertThat(value(PARAMS, "!Ref AWS::StackName")).isEqualTo("roleproof");
        assertThat(value(PARAMS, "!Ref AWS::URLSuffix")).isEqualTo("amazonaws.com");
        assertThat((String) value(PARAMS, "!Ref AWS::StackId"))
                .matches("arn:aws:cloudformation:us-east-1:111111111111:stack/roleproof/[0-9a-f-]{36}");
        assertThat(value(PARAMS, "!Ref Queue")).isEqualTo("https://sqs.us-east-1.amazonaws.com/111111111111/jobs");
        assertThat(value(PARAMS, "!Ref Table")).isEqualTo("items");
        assertThat(value(PARAMS, "{Ref: Env}")).isEqualTo("prod");
    }

    @Test
    void getAttInBothShortFormsAndTheLongForm() {
        assertThat(value(PARAMS, "!GetAtt Queue.Arn")).isEqualTo("arn:aws:sqs:us-east-1:111111111111:jobs");
        assertThat(value(PARAMS, "!GetAtt [Queue, QueueName]")).isEqualTo("jobs");
        assertThat(value(PARAMS, "{\"Fn::GetAtt\": [Table, StreamArn]}"))
                .isEqualTo("arn:aws:dynamodb:us-east-1:111111111111:table/items/stream/2020-01-01T00:00:00.000");
        assertThat(value(PARAMS, "{\"Fn::GetAtt\": Queue.QueueUrl}"))
                .isEqualTo("https://sqs.us-east-1.amazonaws.com/111111111111/jobs");
    }

    @Test
    void getAttOfAnAttributeRoleProofDoesNotKnowIsSymbolic() {
        assertThat(value(PARAMS, "!GetAtt Queue.Mystery")).isEqualTo("{{GetAtt:Queue.Mystery}}");
    }

    @Test
    void subInStringAndListFormsWithLiteralsAndAttributes() {
        assertThat(value(PARAMS, "!Sub 'arn:${AWS::Partition}:s3:::${Env}-${AWS::AccountId}/*'"))
                .isEqualTo("arn:aws:s3:::prod-111111111111/*");
        assertThat(value(PARAMS, "!Sub '${Queue.Arn}|${!Literal}'"))
                .isEqualTo("arn:aws:sqs:us-east-1:111111111111:jobs|${Literal}");
        assertThat(value(PARAMS, "!Sub ['${Name}-${Env}', {Name: !Select [1, !Ref Names]}]"))
                .isEqualTo("b-prod");
    }

    @Test
    void joinSelectSplit() {
        assertThat(value(PARAMS, "!Join ['-', [x, !Ref Env, !Select [2, !Ref Names]]]"))
                .isEqualTo("x-prod-c");
        assertThat(value(PARAMS, "!Join [',', !Ref Names]")).isEqualTo("a,b,c");
        assertThat(value(PARAMS, "!Split ['/', 'a/b//c']")).isEqualTo(List.of("a", "b", "", "c"));
        assertThat(value(PARAMS, "!Select [1, !Split [':', !GetAtt Queue.Arn]]"))
                .isEqualTo("aws");
    }

    @Test
    void ifWithConditionsAndNoValue() {
        assertThat(value(PARAMS, "!If [IsProd, big, small]")).isEqualTo("big");
        assertThat(value(PARAMS, "!If [IsDev, big, small]")).isEqualTo("small");
        assertThat(value(PARAMS, "!If [Both, yes, no]")).isEqualTo("yes");
        assertThat(value(PARAMS, "!If [Either, yes, no]")).isEqualTo("no");
        assertThat(value(PARAMS, "{A: 1, B: !If [IsDev, 2, !Ref AWS::NoValue]}"))
                .isEqualTo(Map.of("A", "1"));
        assertThat(value(PARAMS, "[x, !If [IsDev, y, !Ref AWS::NoValue]]")).isEqualTo(List.of("x"));
    }

    @Test
    void conditionsFollowParameterOverrides() {
        String yaml = PARAMS
                + "\nResources:\n  Probe:\n    Type: Custom::Probe\n    Properties:\n      Value: !If [IsProd, big, small]\n";
        assertThat(Templates.load(yaml, Map.of("Env", "dev"))
                        .resource("Probe")
                        .orElseThrow()
                        .properties()
                        .get("Value"))
                .isEqualTo("small");
    }

    @Test
    void findInMapWithParameterKeysAndDefault() {
        assertThat(value(PARAMS, "!FindInMap [Sizes, !Ref Env, Memory]")).isEqualTo("1024");
        assertThat(value(PARAMS, "!FindInMap [Sizes, test, Memory, {DefaultValue: '128'}]"))
                .isEqualTo("128");
    }

    @Test
    void importValueIsSymbolic() {
        assertThat(value(PARAMS, "!ImportValue shared-vpc")).isEqualTo("{{ImportValue:shared-vpc}}");
        assertThat(value(PARAMS, "!ImportValue {'Fn::Sub': '${Env}-key'}")).isEqualTo("{{ImportValue:prod-key}}");
    }

    @Test
    void base64GetAzsCidr() {
        assertThat(value(PARAMS, "{'Fn::Base64': !Sub 'hello ${Env}'}"))
                .isEqualTo(Base64.getEncoder().encodeToString("hello prod".getBytes()));
        assertThat(value(PARAMS, "!GetAZs ''")).isEqualTo(List.of("us-east-1a", "us-east-1b", "us-east-1c"));
        assertThat(value(PARAMS, "!Cidr ['10.0.0.0/16', 3, 8]"))
                .isEqualTo(List.of("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"));
    }

    @Test
    void resourcesWhoseConditionIsFalseAreDropped() {
        SamTemplate t = Templates.load(PARAMS + """
                Resources:
                  ProdQueue:
                    Type: AWS::SQS::Queue
                    Condition: IsProd
                  DevQueue:
                    Type: AWS::SQS::Queue
                    Condition: IsDev
                """);
        assertThat(t.resource("ProdQueue")).isPresent();
        assertThat(t.resource("DevQueue")).isEmpty();
    }

    @Test
    void parameterPrecedenceIsParamOverDefault() {
        String yaml =
                PARAMS + "\nResources:\n  Probe:\n    Type: Custom::Probe\n    Properties:\n      Value: !Ref Env\n";
        assertThat(Templates.load(yaml, Map.of("Env", "dev")).parameters()).containsEntry("Env", "dev");
        assertThat(Templates.load(yaml).parameters()).containsEntry("Names", "a,b,c");
    }

    @Test
    void stackNameOverrideChangesGeneratedNames() {
        String yaml = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        SamTemplate a = Templates.load(yaml);
        SamTemplate b = Templates.load(yaml, Map.of("AWS::StackName", "other"));
        assertThat(a.resource("Q").orElseThrow().physicalName()).startsWith("roleproof-Q-");
        assertThat(b.resource("Q").orElseThrow().physicalName()).startsWith("other-Q-");
        assertThat(b.stackName()).isEqualTo("other");
    }
}
