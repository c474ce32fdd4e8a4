package dev.roleproof.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The strict parser, against "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). Error cases live in
 * src/test/resources/parser/errors.json: each names the exact one-line message with its JSON pointer.
 */
class PolicyParserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> errorCases() throws IOException {
        JsonNode cases;
        try (InputStream in = PolicyParserTest.class.getResourceAsStream("/parser/errors.json")) {
            cases = MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                String json = c.has("raw") ? c.get("raw").asText() : MAPPER.writeValueAsString(c.get("policy"));
                String expected = c.get("error").asText();
                if (expected.startsWith("PREFIX:")) {
                    assertThatThrownBy(() -> PolicyParser.parse(json))
                            .isInstanceOf(InvalidPolicyException.class)
                            .hasMessageStartingWith(expected.substring("PREFIX:".length()))
                            .hasMessageEndingWith(" at /")
                            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                } else {
                    assertThatThrownBy(() -> PolicyParser.parse(json))
                            .isInstanceOf(InvalidPolicyException.class)
                            .hasMessage(expected);
                }
            }));
        }
        assertThat(tests).hasSizeGreaterThan(30);
        return tests.stream();
    }

    @Test
    void pointerIsExposed() {
        assertThatThrownBy(() -> PolicyParser.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                        + "\"Resource\":\"*\",\"Condition\":{\"Nope\":{}}}}"))
                .isInstanceOfSatisfying(
                        InvalidPolicyException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/Statement/Condition"));
    }

    @Test
    void readsEveryPrincipalForm() {
        Policy p = PolicyParser.parse("trust", """
        {"Version": "2012-10-17", "Id": "doc-1", "Statement": [
          {"Sid": "Any", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
          {"Effect": "Allow", "Principal": {"AWS": ["111111111111", "arn:aws:iam::111111111111:root",
             "arn:aws:iam::111111111111:user/a", "arn:aws:iam::111111111111:role/path/r",
             "arn:aws:sts::111111111111:assumed-role/r/s", "arn:aws:sts::111111111111:federated-user/f", "*",
             "AROAEXAMPLEEXAMPLE1234"]}, "Action": "sts:AssumeRole"},
          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
          {"Effect": "Allow", "Principal": {"Federated": ["cognito-identity.amazonaws.com",
             "arn:aws:iam::111111111111:saml-provider/idp"]}, "Action": "sts:AssumeRoleWithWebIdentity"},
          {"Effect": "Allow", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
          {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"}, "NotAction": "s3:Get*",
             "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}
        ]}""");
        assertThat(p.name()).isEqualTo("trust");
        assertThat(p.id()).isEqualTo("doc-1");
        assertThat(p.statements()).hasSize(6);
        Statement any = p.statements().get(0);
        assertThat(any.sid()).isEqualTo("Any");
        assertThat(any.principal().any()).isTrue();
        assertThat(any.resources()).isNull();
        assertThat(p.statements().get(1).principal().aws()).hasSize(8);
        assertThat(p.statements().get(2).principal().service()).containsExactly("lambda.amazonaws.com");
        assertThat(p.statements().get(3).principal().federated()).hasSize(2);
        assertThat(p.statements().get(4).principal().canonicalUser()).hasSize(1);
        Statement last = p.statements().get(5);
        assertThat(last.effect()).isEqualTo(Effect.DENY);
        assertThat(last.notPrincipal().aws()).containsExactly("arn:aws:iam::111111111111:root");
        assertThat(last.hasNotAction()).isTrue();
        assertThat(last.hasNotResource()).isTrue();
        assertThat(last.index()).isEqualTo(5);
    }

    @Test
    void readsConditionsWithPrefixesSuffixesAndScalarValues() {
        Policy p = PolicyParser.parse("""
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
          "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
                        "NumericLessThanEquals": {"s3:max-keys": 10},
                        "Bool": {"aws:SecureTransport": true}}}}""");
        Statement s = p.statements().get(0);
        assertThat(s.index()).isZero();
        assertThat(s.conditions()).hasSize(3);
        Condition c = s.conditions().get(0);
        assertThat(c.operatorText()).isEqualTo("ForAnyValue:StringLikeIfExists");
        assertThat(c.qualifier()).isEqualTo(SetQualifier.FOR_ANY_VALUE);
        assertThat(c.operator()).isEqualTo(ConditionOperator.STRING_LIKE);
        assertThat(c.ifExists()).isTrue();
        assertThat(c.values()).containsExactly("a*", "b");
        assertThat(s.conditions().get(1).values()).containsExactly("10");
        assertThat(s.conditions().get(2).values()).containsExactly("true");
    }

    @Test
    void versionIsOptionalAndControlsVariables() {
        assertThat(PolicyParser.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}")
                        .variablesEnabled())
                .isFalse();
        assertThat(PolicyParser.parse("{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}")
                        .variablesEnabled())
                .isFalse();
        assertThat(PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}")
                        .variablesEnabled())
                .isTrue();
    }

    @Test
    void acceptsADocumentCarriedAsAString() throws IOException {
        JsonNode asString =
                MAPPER.readTree("\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:*\\\","
                        + "\\\"Resource\\\":\\\"*\\\"}}\"");
        assertThat(PolicyParser.parse("p", asString).statements()).hasSize(1);
    }

    @Test
    void writesBackWhatItReadAndEqualityIgnoresCompiledForms() throws IOException {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\",\"Condition\":"
                + "{\"ArnLike\":{\"aws:SourceArn\":[\"arn:aws:s3:::a\",\"arn:aws:s3:::b\"]}}},{\"Effect\":\"Deny\",\"NotPrincipal\":"
                + "\"*\",\"NotAction\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::x\"}]}";
        Policy p = PolicyParser.parse(doc);
        assertThat(MAPPER.writeValueAsString(p)).isEqualTo(doc);
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(p.statements().get(0))))
                .isEqualTo(MAPPER.readTree(doc).get("Statement").get(0));
        assertThat(PolicyParser.parse(doc)).isEqualTo(p);
        assertThat(PolicyParser.parse(doc).hashCode()).isEqualTo(p.hashCode());
        assertThat(PolicyParser.parse(doc.replace("arn:aws:s3:::b", "arn:aws:s3:::c")))
                .isNotEqualTo(p);
    }
}
