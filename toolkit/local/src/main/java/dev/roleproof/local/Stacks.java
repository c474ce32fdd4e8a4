package dev.roleproof.local;

import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Account A's and account B's models, loaded with their parameters wired to each other as a two-account deploy
 * would: B trusts A's reader role, A's reader targets B's role, table and account, and both share the ExternalId.
 */
record Stacks(SamTemplate a, SamTemplate b) {

    static final String SQS = "sqs-esm";
    static final String STREAM = "dynamodb-stream-esm";
    static final String S3 = "s3-push";
    static final String XACCT = "cross-account";

    /**
     * @param paramsA overrides for A's parameters that win over the wiring (a break's wrong ExternalId)
     * @param paramsB the same for B
     */
    static Stacks load(
            Path template,
            Path target,
            String account,
            String targetAccount,
            Map<String, String> paramsA,
            Map<String, String> paramsB) {
        LoadOptions optionsA = LoadOptions.defaults().withAccount(account);
        LoadOptions optionsB = LoadOptions.defaults().withAccount(targetAccount);
        // A as written (defaults): its reader role and ExternalId wire B; a break then changes one side only.
        SamTemplate a = TemplateLoader.load(template, optionsA);
        String readerRole = functionFor(a, XACCT)
                .map(FunctionSpec::roleArn)
                .orElse("arn:aws:iam::" + account + ":role/roleproof-cross-account-reader");
        SamTemplate probeB = TemplateLoader.load(target, optionsB);
        Map<String, String> wiredB = new HashMap<>();
        wiredB.put("SourceRoleArn", readerRole);
        if (a.parameters().containsKey("ExternalId")) {
            wiredB.put("ExternalId", a.parameters().get("ExternalId"));
        }
        SamTemplate b = TemplateLoader.load(target, optionsB.withParameters(only(probeB, wiredB, paramsB)));
        Map<String, String> wiredA = new HashMap<>(a.parameters());
        wiredA.put("TargetAccountId", targetAccount);
        b.roles().stream()
                .filter(r -> r.trustPolicy() != null)
                .findFirst()
                .ifPresent(r -> wiredA.put("TargetRoleArn", r.arn()));
        b.resources().stream()
                .filter(r -> r.type().equals("AWS::DynamoDB::Table"))
                .findFirst()
                .ifPresent(r -> wiredA.put("TargetTableName", r.physicalName()));
        a = TemplateLoader.load(template, optionsA.withParameters(only(a, wiredA, paramsA)));
        return new Stacks(a, b);
    }

    /** Keeps the wired values of parameters the template declares, then applies the overrides. */
    private static Map<String, String> only(SamTemplate t, Map<String, String> wired, Map<String, String> overrides) {
        Map<String, String> out = new HashMap<>();
        wired.forEach((k, v) -> {
            if (t.parameters().containsKey(k)) {
                out.put(k, v);
            }
        });
        out.putAll(overrides);
        return out;
    }

    /** The function that plays a pattern, recognised by what it is wired to rather than by name. */
    static Optional<FunctionSpec> functionFor(SamTemplate t, String pattern) {
        return t.functions().stream()
                .filter(f -> switch (pattern) {
                    case SQS -> t.mappingsOf(f.logicalId()).stream().anyMatch(m -> "SQS".equals(m.sourceType()));
                    case STREAM ->
                        t.mappingsOf(f.logicalId()).stream().anyMatch(m -> "DynamoDB".equals(m.sourceType()));
                    case S3 ->
                        f.environment().containsKey("BUCKET_NAME")
                                || t.permissionsOf(f.logicalId()).stream()
                                        .anyMatch(p -> "s3.amazonaws.com".equals(p.principal()));
                    case XACCT ->
                        f.environment().containsKey("TARGET_ROLE_ARN")
                                || f.calls().stream().anyMatch(c -> c.as() != null);
                    default -> false;
                })
                .findFirst();
    }

    Optional<FunctionSpec> function(String pattern) {
        return functionFor(a, pattern);
    }

    /** The execution role of a function, from either account. */
    Optional<RoleSpec> roleOf(FunctionSpec f) {
        return a.roleByArn(f.roleArn()).or(() -> b.roleByArn(f.roleArn()));
    }

    /** Any role of either account by ARN. */
    Optional<RoleSpec> roleByArn(String arn) {
        return a.roleByArn(arn).or(() -> b.roleByArn(arn));
    }

    Stacks withA(SamTemplate newA) {
        return new Stacks(newA, b);
    }

    Stacks withB(SamTemplate newB) {
        return new Stacks(a, newB);
    }
}
