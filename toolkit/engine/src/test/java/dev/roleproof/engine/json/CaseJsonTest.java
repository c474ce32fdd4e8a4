package dev.roleproof.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.policy.InvalidPolicyException;
import org.junit.jupiter.api.Test;

/** The shared case / eval-line format: reading into an AuthorizationInput and writing decisions back. */
class CaseJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void readsAFullEvalLine() throws Exception {
        AuthorizationInput in = CaseJson.toInput(json("""
        {"id": "c1", "request": {"principal": "arn:aws:sts::111111111111:assumed-role/fn-role/fn",
          "action": "sqs:ReceiveMessage", "resource": "arn:aws:sqs:us-east-1:111111111111:orders",
          "resourceAccount": "111111111111", "context": {"aws:SourceArn": "x", "aws:TagKeys": ["a", "b"],
          "s3:max-keys": 10, "aws:SecureTransport": true}},
         "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}},
                              {"name": "inline/Read", "policy": {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}},
                              "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
         "resourcePolicy": null, "permissionsBoundary": null, "sessionPolicy": null,
         "scps": [[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]], "rcps": null}"""));
        assertThat(in.request().context().get("AWS:TAGKEYS")).containsExactly("a", "b");
        assertThat(in.request().context().get("s3:max-keys")).containsExactly("10");
        assertThat(in.request().context().get("aws:SecureTransport")).containsExactly("true");
        assertThat(in.identityPolicies())
                .extracting(p -> p.name())
                .containsExactly(
                        "identity-0",
                        "inline/Read",
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(in.scps()).hasSize(1);
        assertThat(in.rcps()).isEmpty();
        assertThat(in.resourcePolicy()).isNull();
        Decision d = Evaluator.create().evaluate(in, false);
        assertThat(CaseJson.toJson(d).toString()).isEqualTo("{\"decision\":\"Allowed\"}");
    }

    @Test
    void writesDenialsWithDeniedByMessageAndExplain() throws Exception {
        AuthorizationInput in = CaseJson.toInput(json("""
        {"request": {"principal": "s3.amazonaws.com", "action": "lambda:InvokeFunction",
          "resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "context": {"aws:SourceAccount": "222222222222"}},
         "resourcePolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "S3Invoke", "Effect": "Allow",
           "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "*",
           "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}}}]}}"""));
        Decision d = Evaluator.create().evaluate(in);
        JsonNode out = CaseJson.toJson(d);
        assertThat(out.get("decision").asText()).isEqualTo("ImplicitlyDenied");
        assertThat(out.get("deniedBy").asText()).isEqualTo("RESOURCE");
        assertThat(out.get("message").asText())
                .isEqualTo("User: s3.amazonaws.com is not authorized to perform: "
                        + "lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:111111111111:function:f because no "
                        + "resource-based policy allows the lambda:InvokeFunction action");
        JsonNode st = out.at("/explain/analyses/0/unmatched/0");
        assertThat(st.get("policyName").asText()).isEqualTo("resource");
        assertThat(st.get("sid").asText()).isEqualTo("S3Invoke");
        assertThat(st.get("principalMatched").asBoolean()).isTrue();
        assertThat(st.at("/reasons/0").asText()).isEqualTo("CONDITION_FAILED");
        assertThat(st.at("/conditions/0/operator").asText()).isEqualTo("StringEquals");
        assertThat(st.at("/conditions/0/requestValues/0").asText()).isEqualTo("222222222222");
        assertThat(st.at("/conditions/0/policyValues/0").asText()).isEqualTo("111111111111");
        assertThat(st.at("/conditions/0/reason").asText()).isEqualTo("VALUE_MISMATCH");
        assertThat(st.at("/conditions/1/reason").asText()).isEqualTo("MISSING_KEY");
        assertThat(out.at("/explain/principalType").asText()).isEqualTo("AWSService");
        assertThat(out.at("/explain/derivedContext/aws:PrincipalServiceName/0").asText())
                .isEqualTo("s3.amazonaws.com");
        assertThat(out.at("/explain/analyses/1/type").asText()).isEqualTo("IDENTITY");
        assertThat(out.at("/explain/analyses/1/applies").asBoolean()).isFalse();
        assertThat(out.at("/explain/analyses/1/note").asText()).isEqualTo("SERVICE_PRINCIPAL");
    }

    @Test
    void policyErrorsCarryThePointerInsideTheCase() throws Exception {
        assertThatThrownBy(() -> CaseJson.toInput(json("""
        {"request": {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:GetObject", "resource": "*"},
         "identityPolicies": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}},
           {"name": "bad", "policy": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringLik": {"a": "b"}}}]}}]}""")))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("Unknown operator 'StringLik' at /identityPolicies/1/policy/Statement/0/Condition");
        assertThatThrownBy(() -> CaseJson.toInput(json("""
        {"request": {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:GetObject", "resource": "*"},
         "scps": [[{"Statement": {"Effect": "Allow", "Action": "s3:*"}}, {"Statement": {"Effect": "Alow", "Action": "s3:*"}}]]}""")))
                .hasMessage("Effect must be Allow or Deny, not 'Alow' at /scps/0/1/Statement/Effect");
    }

    @Test
    void unusableLinesAreOneClearLine() throws Exception {
        String ok =
                "\"request\": {\"principal\": \"arn:aws:iam::111111111111:user/a\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}";
        assertThatThrownBy(() -> CaseJson.toInput(json("[1]"))).hasMessage("A case must be a JSON object");
        assertThatThrownBy(() -> CaseJson.toInput(json("{}")))
                .hasMessage("Missing request object {principal, action, resource}");
        assertThatThrownBy(() -> CaseJson.toInput(json("{" + ok + ", \"identityPolicy\": []}")))
                .hasMessageStartingWith("Unknown field 'identityPolicy' in case");
        assertThatThrownBy(() -> CaseJson.toInput(
                        json("{\"request\": {\"principal\": \"x\", \"action\": \"GetObject\", \"resource\": \"*\"}}")))
                .hasMessage("request.action must be service:Action, not 'GetObject'");
        assertThatThrownBy(() ->
                        CaseJson.toInput(json("{\"request\": {\"action\": \"s3:GetObject\", \"resource\": \"*\"}}")))
                .hasMessage("request.principal must be a non-empty string");
        assertThatThrownBy(() -> CaseJson.toInput(json("{" + ok + ", \"scps\": [{}]}")))
                .hasMessage("scps[0] must be an array of policies (one array per level)");
        assertThatThrownBy(() -> CaseJson.toInput(
                        json("{" + ok + ", \"identityPolicies\": [\"arn:aws:iam::aws:policy/Nope\"]}")))
                .hasMessage("Unknown AWS managed policy 'arn:aws:iam::aws:policy/Nope' at /identityPolicies/0");
        assertThatThrownBy(
                        () -> CaseJson.toInput(
                                json(
                                        "{\"request\": {\"principal\": \"x\", \"action\": \"s3:A\", \"resource\": \"*\", \"context\": {\"k\": {}}}}")))
                .hasMessage("Context key 'k' must be a string, number, boolean or array of them");
        AuthorizationInput in = CaseJson.toInput(
                json("{\"request\": {\"principal\": \"not a principal\", \"action\": \"s3:A\", \"resource\": \"*\"}}"));
        assertThatThrownBy(() -> Evaluator.create().evaluate(in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unrecognised principal 'not a principal'");
    }
}
