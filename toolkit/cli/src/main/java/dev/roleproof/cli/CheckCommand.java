package dev.roleproof.cli;

import dev.roleproof.check.Checker;
import dev.roleproof.check.Report;
import dev.roleproof.check.Severity;
import dev.roleproof.cli.render.Renderers;
import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateException;
import dev.roleproof.template.TemplateLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code roleproof check}: offline verification of a SAM template's permission chains. Loads the template (and
 * account B's with --target), derives what each function needs, lets the engine decide every need, runs the lints,
 * and renders the report. Exit 0 without error findings, 1 with, 2 for unusable input.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a SAM template's permission chains offline, and where it grants too much.",
            "Every chain: event source mappings, push sources, trust, logs, the calls declared in",
            "Metadata.RoleProof.Calls, cross-account with --target; each with the statement that decided and the fix.",
            "Formats: text (default), json, sarif (SARIF 2.1.0), mermaid (one flowchart per pattern)."
        },
        footer = {
            "",
            "What a handler calls is declared in its function's Metadata (the event sources' needs are derived):",
            "  Metadata:",
            "    RoleProof:",
            "      Calls:",
            "        - Action: s3:GetObject",
            "          Resource: !Sub arn:$${AWS::Partition}:s3:::$${BucketName}/*",
            "        - Action: sts:AssumeRole",
            "          Resource: !Ref TargetRoleArn",
            "          Context: {sts:ExternalId: !Ref ExternalId}",
            "        - As: !Ref TargetRoleArn      # made with the assumed role's credentials (judged with --target)",
            "          Action: dynamodb:GetItem",
            "          Resource: !Sub arn:$${AWS::Partition}:dynamodb:$${AWS::Region}:$${TargetAccountId}:table/reports",
            "",
            "A function whose handler returns partial batch responses says so with Metadata: RoleProof:",
            "ReportsBatchItemFailures: true (its mappings then need FunctionResponseTypes: [ReportBatchItemFailures]).",
            "",
            "Findings: error (a need that fails, a wildcard principal, a missing confused-deputy guard), warning",
            "(least privilege, failure handling, ...), note (not judged offline, e.g. --target missing)."
        })
public final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    RoleProofCommand root;

    @Mixin
    CommonOptions common;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "TEMPLATE",
            defaultValue = "template.yaml",
            description = "The SAM or CloudFormation template, YAML or JSON (default: ${DEFAULT-VALUE}).")
    Path template;

    @Option(
            names = "--account",
            paramLabel = "ID",
            defaultValue = LoadOptions.DEFAULT_ACCOUNT,
            description = "AWS::AccountId of the template (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            defaultValue = LoadOptions.DEFAULT_REGION,
            description = "AWS::Region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = "--param",
            paramLabel = "KEY=VALUE",
            description = "A template parameter (repeatable; KEY= gives an empty value); wins over samconfig and the"
                    + " Default.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--config-env",
            paramLabel = "NAME",
            description = "Read parameter_overrides of this samconfig environment (samconfig.toml next to the template"
                    + " unless --samconfig).")
    String configEnv;

    @Option(names = "--samconfig", paramLabel = "FILE", description = "The samconfig.toml to read.")
    Path samconfig;

    @Option(
            names = "--target",
            paramLabel = "B.yaml",
            description = "Account B's template: its trust and role policies are judged too (cross-account).")
    Path target;

    @Option(
            names = "--target-account",
            paramLabel = "ID",
            defaultValue = "222222222222",
            description = "AWS::AccountId of the --target template (default: ${DEFAULT-VALUE}).")
    String targetAccount;

    @Option(
            names = "--target-param",
            paramLabel = "KEY=VALUE",
            description = "A parameter of the --target template (repeatable).")
    Map<String, String> targetParams = new LinkedHashMap<>();

    @Option(
            names = "--target-config-env",
            paramLabel = "NAME",
            description = "Read the --target template's parameter_overrides from this environment of the samconfig"
                    + " (the one --samconfig or --config-env uses).")
    String targetConfigEnv;

    @Option(names = "--no-color", description = "No ANSI colours in text output (they are only used on a terminal).")
    boolean noColor;

    @Option(
            names = "--fail-on",
            paramLabel = "SEVERITY",
            defaultValue = "error",
            description = "Exit 1 when a finding is at least this severe: error (default) or warning.")
    String failOn;

    @Override
    public Integer call() {
        Format format = common.format(Format.text, Format.text, Format.json, Format.sarif, Format.mermaid);
        Severity threshold = switch (failOn) {
            case "error" -> Severity.ERROR;
            case "warning" -> Severity.WARNING;
            default ->
                throw new UserException(ExitCode.UNUSABLE, "--fail-on must be error or warning, not '" + failOn + "'");
        };
        account("--account", account);
        account("--target-account", targetAccount);
        Path config = samconfig;
        if (config == null && (configEnv != null || targetConfigEnv != null)) {
            Path parent = template.toAbsolutePath().getParent();
            config = parent == null ? Path.of("samconfig.toml") : parent.resolve("samconfig.toml");
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw new UserException(ExitCode.UNUSABLE, config + ": cannot read samconfig: no such file");
        }
        LoadOptions options = new LoadOptions(
                account,
                region,
                LoadOptions.DEFAULT_PARTITION,
                params,
                configEnv != null || samconfig != null ? config : null,
                configEnv);
        SamTemplate a = load(template, options);
        SamTemplate b = target == null
                ? null
                : load(
                        target,
                        new LoadOptions(
                                targetAccount,
                                region,
                                LoadOptions.DEFAULT_PARTITION,
                                targetParams,
                                targetConfigEnv != null ? config : null,
                                targetConfigEnv));
        Report report = Checker.create().check(a, b);
        Console console = root.console();
        boolean color = format == Format.text && !noColor && System.console() != null;
        Renderers.forFormat(format, color, Path.of("")).render(report, console.outWriter());
        console.outWriter().flush();
        return report.hasFindingsAtLeast(threshold) ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
    }

    /** Loads a template; an unusable one is one line "file:line: what is wrong" and exit 2. */
    private static SamTemplate load(Path file, LoadOptions options) {
        try {
            return TemplateLoader.load(file, options);
        } catch (TemplateException e) {
            throw new UserException(ExitCode.UNUSABLE, e.getMessage(), e);
        } catch (InvalidPolicyException e) {
            throw new UserException(ExitCode.UNUSABLE, file + ": " + e.getMessage(), e);
        }
    }

    private static void account(String option, String value) {
        if (value == null || !value.matches("\\d{12}")) {
            throw new UserException(ExitCode.UNUSABLE, option + " must be 12 digits, not '" + value + "'");
        }
    }
}
