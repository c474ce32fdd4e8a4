package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of the evaluation logic ("Policy evaluation logic": explicit deny overrides any allow; permissions are
 * the intersection of what each policy type allows), over generated policies and requests in the Lambda-pattern
 * vocabulary: users, sessions and service principals of two accounts; SQS, S3, DynamoDB streams, Lambda, STS, KMS;
 * conditions; NotAction/NotResource; boundaries, session policies, SCPs and RCPs.
 */
class EvaluatorPropertiesTest {
  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final List<String> PRINCIPALS = List.of("arn:aws:iam::" + A + ":user/alice",
      "arn:aws:sts::" + A + ":assumed-role/app/s1", "arn:aws:sts::" + B + ":assumed-role/reader/s2",
      "arn:aws:iam::" + B + ":user/bob", "s3.amazonaws.com", "lambda.amazonaws.com");
  private static final List<String> ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "s3:GetObject",
      "dynamodb:GetRecords", "dynamodb:ListStreams", "lambda:InvokeFunction", "sts:AssumeRole", "kms:Decrypt");
  private static final List<String> RESOURCES = List.of("arn:aws:sqs:us-east-1:" + A + ":orders",
      "arn:aws:s3:::bucket-a/data/file.txt", "arn:aws:dynamodb:us-east-1:" + A + ":table/orders/stream/2026",
      "arn:aws:lambda:us-east-1:" + A + ":function:f", "arn:aws:iam::" + B + ":role/target",
      "arn:aws:kms:us-east-1:" + A + ":key/k1", "*");
  private static final List<String> ACTION_PATTERNS = List.of("*", "*", "*", "sqs:*", "sqs:ReceiveMessage", "s3:Get*",
      "dynamodb:*", "lambda:InvokeFunction", "sts:AssumeRole", "kms:*", "sqs:Delete?essage");
  private static final List<String> RESOURCE_PATTERNS = List.of("*", "*", "*", "arn:aws:sqs:*:" + A + ":orders",
      "arn:aws:s3:::bucket-a/*", "arn:aws:dynamodb:us-east-1:" + A + ":table/orders/stream/*",
      "arn:aws:lambda:us-east-1:" + A + ":function:f", "arn:aws:iam::" + B + ":role/*", "arn:aws:kms:*");
  private static final List<Principals> RESOURCE_PRINCIPALS = List.of(Principals.ANY, Principals.aws(A),
      Principals.aws("arn:aws:iam::" + B + ":root"), Principals.aws("arn:aws:iam::" + A + ":role/app"),
      Principals.aws("arn:aws:sts::" + B + ":assumed-role/reader/s2"), Principals.aws("arn:aws:iam::" + A + ":user/alice"),
      Principals.service("s3.amazonaws.com"), Principals.service("lambda.amazonaws.com"));

  private final Evaluator evaluator = Evaluator.create();

  @Provide
  Arbitrary<AuthorizationInput> inputs() {
    Arbitrary<Request> requests = Combinators.combine(Arbitraries.of(PRINCIPALS), Arbitraries.of(ACTIONS),
        Arbitraries.of(RESOURCES), Arbitraries.of("true", "false"), Arbitraries.of(A, B))
        .as((p, a, r, tls, src) -> new Request(p, a, r, null,
            Map.of("aws:SecureTransport", List.of(tls), "aws:SourceAccount", List.of(src))));
    Arbitrary<Policy> identity = policies(false);
    Arbitrary<Policy> resource = policies(true);
    return Combinators.combine(requests, identity.list().ofMinSize(1).ofMaxSize(2), resource.injectNull(0.4),
        identity.injectNull(0.8), identity.injectNull(0.85), identity.list().ofMaxSize(2).injectNull(0.8),
        resource.list().ofMinSize(1).ofMaxSize(1).injectNull(0.85))
        .as((req, ids, rp, pb, sp, scp, rcp) -> {
          AuthorizationInput.Builder b = AuthorizationInput.builder(req).identityPolicies(ids).resourcePolicy(rp)
              .permissionsBoundary(pb).sessionPolicy(sp);
          if (scp != null && !scp.isEmpty()) {
            b.scpLevel(scp);
          }
          if (rcp != null) {
            b.rcpLevel(rcp);
          }
          return b.build();
        });
  }

  private Arbitrary<Policy> policies(boolean withPrincipal) {
    Arbitrary<Effect> mostlyAllow = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Effect.ALLOW)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Effect.DENY)));
    return statement(withPrincipal, mostlyAllow).list().ofMinSize(1).ofMaxSize(3)
        .map(ss -> new Policy("generated", Policy.V2012, reindex(ss)));
  }

  private Arbitrary<Statement> statement(boolean withPrincipal, Arbitrary<Effect> effects) {
    Arbitrary<List<Condition>> conditions = Arbitraries.of(
        List.<Condition>of(), List.<Condition>of(), List.<Condition>of(), List.<Condition>of(),
        List.of(Condition.of("Bool", "aws:SecureTransport", List.of("true"), true)),
        List.of(Condition.of("StringEquals", "aws:SourceAccount", List.of(A), true)),
        List.of(Condition.of("StringNotEquals", "aws:PrincipalAccount", List.of(A), true)),
        List.of(Condition.of("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:role/*"), true)),
        List.of(Condition.of("StringEqualsIfExists", "aws:PrincipalServiceName", List.of("s3.amazonaws.com"), true)));
    return Combinators.combine(effects, Arbitraries.of(ACTION_PATTERNS).list().ofMinSize(1).ofMaxSize(2),
        Arbitraries.of(RESOURCE_PATTERNS).list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false, false, false, false),
        Arbitraries.of(true, false, false, false, false), Arbitraries.of(RESOURCE_PRINCIPALS),
        Arbitraries.of(true, false, false, false, false),
        conditions)
        .as((effect, actions, resources, notAction, notResource, principal, notPrincipal, conds) -> new Statement(0, null,
            effect, notAction ? null : actions, notAction ? actions : null, notResource ? null : resources,
            notResource ? resources : null, withPrincipal && !notPrincipal ? principal : null,
            withPrincipal && notPrincipal ? principal : null, conds, true));
  }

  private static List<Statement> reindex(List<Statement> ss) {
    List<Statement> out = new ArrayList<>();
    for (int i = 0; i < ss.size(); i++) {
      Statement s = ss.get(i);
      out.add(new Statement(i, s.sid(), s.effect(), s.actions(), s.notActions(), s.resources(), s.notResources(),
          s.principal(), s.notPrincipal(), s.conditions(), true));
    }
    return out;
  }

  private static Policy plus(Policy p, Statement s) {
    List<Statement> ss = new ArrayList<>(p == null ? List.of() : p.statements());
    ss.add(s);
    return new Policy(p == null ? "added" : p.name(), Policy.V2012, reindex(ss));
  }

  /** The input with one statement added to the policy type chosen by where (0..5). */
  private static AuthorizationInput with(AuthorizationInput in, int where, Statement s) {
    List<Policy> ids = new ArrayList<>(in.identityPolicies());
    Policy rp = in.resourcePolicy();
    Policy pb = in.permissionsBoundary();
    Policy sp = in.sessionPolicy();
    List<List<Policy>> scps = new ArrayList<>(in.scps());
    List<List<Policy>> rcps = new ArrayList<>(in.rcps());
    switch (where) {
      case 0:
        ids.add(new Policy("added", Policy.V2012, List.of(s)));
        break;
      case 1:
        rp = plus(rp, s);
        break;
      case 2:
        if (pb != null) {
          pb = plus(pb, s);
        }
        break;
      case 3:
        if (sp != null) {
          sp = plus(sp, s);
        }
        break;
      case 4:
        if (!scps.isEmpty()) {
          List<Policy> level = new ArrayList<>(scps.get(0));
          level.add(new Policy("added", Policy.V2012, List.of(s)));
          scps.set(0, level);
        }
        break;
      default:
        if (!rcps.isEmpty()) {
          List<Policy> level = new ArrayList<>(rcps.get(0));
          level.add(new Policy("added", Policy.V2012, List.of(s)));
          rcps.set(0, level);
        }
        break;
    }
    return new AuthorizationInput(in.request(), ids, rp, pb, sp, scps, rcps);
  }

  @Provide
  Arbitrary<Statement> denies() {
    return statement(true, Arbitraries.just(Effect.DENY));
  }

  @Provide
  Arbitrary<Statement> allows() {
    return statement(true, Arbitraries.just(Effect.ALLOW));
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void addingADenyNeverYieldsAllowed(@ForAll("inputs") AuthorizationInput in, @ForAll("denies") Statement deny,
                                     @ForAll("where") int where) {
    Statement d = principalFor(deny, where);
    Decision before = evaluator.evaluate(in, false);
    Decision after = evaluator.evaluate(with(in, where, d), false);
    if (after.allowed()) {
      assertThat(before.allowed()).as("a Deny made %s Allowed", before.outcome()).isTrue();
    }
    assertThat(after.outcome().ordinal()).isGreaterThanOrEqualTo(before.outcome().ordinal());
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void addingAnAllowNeverDeniesWhatWasAllowed(@ForAll("inputs") AuthorizationInput in, @ForAll("allows") Statement allow,
                                              @ForAll("where") int where) {
    Decision before = evaluator.evaluate(in, false);
    Decision after = evaluator.evaluate(with(in, where, principalFor(allow, where)), false);
    if (before.allowed()) {
      assertThat(after.outcome()).isEqualTo(Outcome.ALLOWED);
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void actionCaseNeverMatters(@ForAll("inputs") AuthorizationInput in, @ForAll boolean upper) {
    Request r = in.request();
    String action = upper ? r.action().toUpperCase(Locale.ROOT) : r.action().toLowerCase(Locale.ROOT);
    Request changed = new Request(r.principal(), action, r.resource(), r.resourceAccount(), r.context());
    AuthorizationInput other = new AuthorizationInput(changed, in.identityPolicies(), in.resourcePolicy(),
        in.permissionsBoundary(), in.sessionPolicy(), in.scps(), in.rcps());
    assertThat(evaluator.evaluate(other, false).outcome()).isEqualTo(evaluator.evaluate(in, false).outcome());
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void resourceCaseAlwaysMatters(@ForAll("literalResources") String resource, @ForAll("principals") String principal) {
    String changed = resource.toUpperCase(Locale.ROOT);
    Policy exact = new Policy("exact", Policy.V2012,
        List.of(Statement.of(0, Effect.ALLOW, List.of("*"), List.of(resource))));
    AuthorizationInput ok = AuthorizationInput.builder(new Request(principal, "s3:GetObject", resource, A, Map.of()))
        .identityPolicy(exact).build();
    AuthorizationInput other = AuthorizationInput.builder(new Request(principal, "s3:GetObject", changed, A, Map.of()))
        .identityPolicy(exact).build();
    assertThat(evaluator.evaluate(ok).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(evaluator.evaluate(other).outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void explainNeverChangesTheDecision(@ForAll("inputs") AuthorizationInput in) {
    Decision quick = evaluator.evaluate(in, false);
    Decision full = evaluator.evaluate(in, true);
    assertThat(full.outcome()).isEqualTo(quick.outcome());
    assertThat(full.deniedBy()).isEqualTo(quick.deniedBy());
    assertThat(full.message()).isEqualTo(quick.message());
    assertThat(full.explanation().deniedBy()).isEqualTo(full.deniedBy());
    // The generator must reach every outcome, or the invariants above prove little.
    Statistics.label("outcome").collect(quick.outcome()).coverage(c -> {
      c.check(Outcome.ALLOWED).percentage(p -> p > 5);
      c.check(Outcome.IMPLICITLY_DENIED).percentage(p -> p > 5);
      c.check(Outcome.EXPLICITLY_DENIED).percentage(p -> p > 5);
    });
  }

  @Provide
  Arbitrary<Integer> where() {
    return Arbitraries.integers().between(0, 5);
  }

  @Provide
  Arbitrary<String> principals() {
    return Arbitraries.of("arn:aws:iam::" + A + ":user/alice", "arn:aws:sts::" + A + ":assumed-role/app/s1");
  }

  @Provide
  Arbitrary<String> literalResources() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
        .map(k -> "arn:aws:s3:::bucket-a/" + k);
  }

  /** Principal elements only where the policy type has them (resource policies, RCPs). */
  private static Statement principalFor(Statement s, int where) {
    boolean principal = where == 1 || where == 5;
    if (principal == (s.principal() != null || s.notPrincipal() != null)) {
      return s;
    }
    return new Statement(0, null, s.effect(), s.actions(), s.notActions(), s.resources(), s.notResources(),
        principal ? Principals.ANY : null, null, s.conditions(), true);
  }
}
