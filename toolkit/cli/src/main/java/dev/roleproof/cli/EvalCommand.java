package dev.roleproof.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code roleproof eval}: IAM decisions for JSON-lines cases on stdin, one JSON line out per case, in order. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Decides IAM requests: JSON lines in on stdin, one JSON answer line each.",
            "Answers come in input order. --format: json only.",
            "",
            "In:  {\"id\": \"c1\",",
            "      \"request\": {\"principal\": ARN | \"s3.amazonaws.com\" | \"anonymous\",",
            "                  \"action\": \"sqs:ReceiveMessage\", \"resource\": ARN,",
            "                  \"resourceAccount\": \"111111111111\" (when the ARN has none),",
            "                  \"context\": {\"aws:SourceArn\": \"...\", \"aws:TagKeys\": [\"a\"]}},",
            "      \"identityPolicies\": [policy, ...], \"resourcePolicy\": policy,",
            "      \"permissionsBoundary\": policy, \"sessionPolicy\": policy,",
            "      \"scps\": [[policy, ...] per level, root first], \"rcps\": same}",
            "     A policy: a document, {\"name\": ..., \"policy\": document}, an AWS",
            "     managed policy ARN, or a document as a JSON string.",
            "Out: {\"id\": \"c1\", \"decision\": \"Allowed\" | \"ImplicitlyDenied\" |",
            "      \"ExplicitlyDenied\", \"message\": AWS's denial message,",
            "      \"explain\": {...} (with --explain)}",
            "  or {\"id\": \"c1\", \"line\": 7, \"error\": \"one line\"}: the run goes on, exit 2.",
            "",
        })
public final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    RoleProofCommand root;

    @Mixin
    CommonOptions common;

    @Option(
            names = "--explain",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description = {
                "Add the explanation (per policy type the statements that matched or "
                        + "decided; per condition its key, values and result; deniedBy) to each answer. Off by default: eval "
                        + "is the bulk, machine-facing door (>= 100,000 simple cases/s) and an explanation costs several "
                        + "times the decision; the decision and the denial message are always there."
            })
    boolean explain;

    @Override
    public Integer call() {
        common.format(Format.json, Format.json);
        Console console = root.console();
        EvalRunner.Stats stats;
        try {
            stats = new EvalRunner(explain).run(console.in(), console.out());
        } catch (IOException e) {
            throw new UserException(ExitCode.UNUSABLE, "cannot read stdin or write stdout: " + e.getMessage(), e);
        }
        if (stats.errors() > 0) {
            console.err()
                    .println("roleproof eval: " + stats.errors() + " of " + stats.cases()
                            + " cases could not be decided (see their \"error\" lines)");
            return ExitCode.UNUSABLE.code();
        }
        return ExitCode.OK.code();
    }
}
