package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loader on the repository's own templates (account A and account B), with and without samconfig.toml. */
class ReferenceTemplatesTest {

    private static final Path ROOT = RepoPaths.root();

    @Test
    void accountATemplateHasFourFunctionsEachWithItsOwnDeclaredRole() {
        SamTemplate t = TemplateLoader.load(ROOT.resolve("template.yaml"), LoadOptions.defaults());
        assertThat(t.functions())
                .extracting(FunctionSpec::logicalId)
                .contains(
                        "SqsConsumerFunction",
                        "DdbStreamProcessorFunction",
                        "S3ObjectProcessorFunction",
                        "CrossAccountReaderFunction");
        for (FunctionSpec f : t.functions()) {
            assertThat(f.roleLogicalId()).as(f.logicalId() + "'s role").isNotNull();
            RoleSpec role = t.role(f.roleLogicalId()).orElseThrow();
            assertThat(role.functions()).containsExactly(f.logicalId());
            assertThat(role.generated()).isFalse();
            assertThat(role.trustPolicy()).isNotNull();
            assertThat(f.runtime()).isEqualTo("java21");
            assertThat(f.handler()).startsWith("dev.roleproof.").endsWith("::handleRequest");
            assertThat(f.line()).isPositive();
            assertThat(f.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:111111111111:function:" + f.functionName());
            assertThat(f.calls()).as(f.logicalId() + " declares its calls").isNotEmpty();
            for (AttachedPolicy p : role.policies()) {
                assertThat(p.policy()).as(p.name()).isNotNull();
                assertThat(p.policy().name()).isEqualTo(role.logicalId() + "/" + p.name());
                assertThat(p.statementLines())
                        .hasSize(p.policy().statements().size())
                        .allMatch(l -> l > 0);
            }
        }
    }

    @Test
    void accountAMappingsAndPermission() {
        SamTemplate t = TemplateLoader.load(ROOT.resolve("template.yaml"), LoadOptions.defaults());
        EventSourceMapping sqs = t.mappingsOf("SqsConsumerFunction").get(0);
        assertThat(sqs.sourceType()).isEqualTo("SQS");
        assertThat(sqs.reportsBatchItemFailures()).isTrue();
        assertThat(t.resourceByArn(sqs.eventSourceArn()).orElseThrow().type()).isEqualTo("AWS::SQS::Queue");
        EventSourceMapping ddb = t.mappingsOf("DdbStreamProcessorFunction").get(0);
        assertThat(ddb.sourceType()).isEqualTo("DynamoDB");
        assertThat(ddb.eventSourceArn()).contains(":table/").contains("/stream/");
        assertThat(t.resourceByArn(ddb.eventSourceArn()).orElseThrow().type()).isEqualTo("AWS::DynamoDB::Table");
        FunctionPermission s3 = t.permissionsOf("S3ObjectProcessorFunction").get(0);
        assertThat(s3.principal()).isEqualTo("s3.amazonaws.com");
        assertThat(s3.sourceAccount()).isEqualTo("111111111111");
        ResourceSpec bucket = t.resourceByArn(s3.sourceArn()).orElseThrow();
        assertThat(bucket.type()).isEqualTo("AWS::S3::Bucket");
        assertThat(bucket.properties()).containsKey("NotificationConfiguration");
    }

    @Test
    void crossAccountCallsUseTheTargetParameters() {
        SamTemplate t = TemplateLoader.load(ROOT.resolve("template.yaml"), LoadOptions.defaults());
        List<DeclaredCall> calls =
                t.function("CrossAccountReaderFunction").orElseThrow().calls();
        String target = t.parameters().get("TargetRoleArn");
        assertThat(calls).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo("sts:AssumeRole");
            assertThat(c.resource()).isEqualTo(target);
            assertThat(c.context()).containsKey("sts:ExternalId");
        });
        assertThat(calls).anySatisfy(c -> {
            assertThat(c.as()).isEqualTo(target);
            assertThat(c.resource()).contains(":" + t.parameters().get("TargetAccountId") + ":table/");
        });
    }

    @Test
    void samconfigDefaultEnvironmentOverridesParametersAndNamesTheStack() {
        Path samconfig = ROOT.resolve("samconfig.toml");
        SamTemplate t = TemplateLoader.load(
                ROOT.resolve("template.yaml"), LoadOptions.defaults().withSamconfig(samconfig, null));
        String external = t.parameters().get("ExternalId");
        assertThat(external)
                .isNotEqualTo(TemplateLoader.load(ROOT.resolve("template.yaml"), LoadOptions.defaults())
                        .parameters()
                        .get("ExternalId"));
        DeclaredCall assume = t.function("CrossAccountReaderFunction").orElseThrow().calls().stream()
                .filter(c -> c.action().equals("sts:AssumeRole"))
                .findFirst()
                .orElseThrow();
        assertThat(assume.context().get("sts:ExternalId")).containsExactly(external);
    }

    @Test
    void accountBTemplateInItsOwnAccount() {
        Path target = ROOT.resolve("target-account/template.yaml");
        Path samconfig = ROOT.resolve("samconfig.toml");
        LoadOptions options = LoadOptions.defaults().withAccount("222222222222").withSamconfig(samconfig, "target");
        SamTemplate b = TemplateLoader.load(target, options);
        assertThat(b.account()).isEqualTo("222222222222");
        assertThat(b.stackName()).isEqualTo("roleproof-target");
        assertThat(b.functions()).isEmpty();
        RoleSpec role = b.roles().get(0);
        assertThat(role.arn()).startsWith("arn:aws:iam::222222222222:role/");
        assertThat(role.trustPolicy().statements()).isNotEmpty();
        assertThat(b.resources())
                .anyMatch(r -> r.type().equals("AWS::DynamoDB::Table")
                        && r.arn().startsWith("arn:aws:dynamodb:us-east-1:222222222222:table/"));
    }
}
