package dev.roleproof.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code roleproof eval}: IAM decisions for JSON-lines cases on stdin, one JSON line out per case, in order. */
@Command(name = "eval",
    mixinStandardHelpOptions = true,
    description = {
        "Decides IAM requests: reads one JSON case a line on stdin, writes one JSON line per case on stdout, in order.",
        "",
        "In:  {\"id\": \"c1\", \"request\": {\"principal\": ARN | service | \"anonymous\", \"action\": \"sqs:ReceiveMessage\",",
        "      \"resource\": ARN, \"resourceAccount\": \"111111111111\" (optional when the ARN has one),",
        "      \"context\": {\"aws:SourceArn\": \"...\", \"aws:TagKeys\": [\"a\", \"b\"]}},",
        "      \"identityPolicies\": [policy, ...], \"resourcePolicy\": policy, \"permissionsBoundary\": policy,",
        "      \"sessionPolicy\": policy, \"scps\": [[policy, ...] per level, root first], \"rcps\": same}",
        "Out: {\"id\": \"c1\", \"decision\": \"Allowed\" | \"ImplicitlyDenied\" | \"ExplicitlyDenied\", \"message\": denial,",
        "      \"explain\": {...} (with --explain)}  or  {\"id\": \"c1\", \"line\": 7, \"error\": \"one line\"} (the run goes on)",
        "A policy is a document, {\"name\": ..., \"policy\": document}, an AWS managed policy ARN, or a document as a",
        "JSON string. Exit code 2 when any line was an error.",
    })
public final class EvalCommand implements Callable<Integer> {

  @ParentCommand
  RoleProofCommand root;

  @Mixin
  CommonOptions common;

  @Option(names = "--explain", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = {"Add the explanation tree (per policy type: the statements that matched or decided, each",
          "condition's key, values and result; deniedBy) to each answer.",
          "Off by default: eval is the bulk, machine-facing door (>= 100,000 simple cases/s), and the",
          "explanation costs several times the decision. The decision and AWS's denial message are always",
          "there; add --explain to learn why."})
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
      console.err().println("roleproof eval: " + stats.errors() + " of " + stats.cases()
          + " cases could not be decided (see their \"error\" lines)");
      return ExitCode.UNUSABLE.code();
    }
    return ExitCode.OK.code();
  }
}
