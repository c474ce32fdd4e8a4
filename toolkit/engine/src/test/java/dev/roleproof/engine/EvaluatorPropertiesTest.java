package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the evaluation logic ("Policy evaluation logic": explicit deny overrides any allow; permissions are
 * the intersection of what each policy type allows), over generated policies and requests in the Lambda-pattern
 * vocabulary: users, sessions and service principals of two accounts; SQS, S3, DynamoDB streams, Lambda, STS, KMS;
 * conditions; NotAction/NotResource; boundaries, session policies, SCPs and RCPs.
 *
 * <p>Each property runs a fixed number of tries; try {@code i} draws its input from {@code new SplittableRandom(SEED +
 * i)} with a fixed seed per property, so any failure names its seed and try and reproduces on its own. The
 * generators are {@link Gen} below.
 */
class EvaluatorPropertiesTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final List<String> PRINCIPALS = List.of(
            "arn:aws:iam::" + A + ":user/alice",
            "arn:aws:sts::" + A + ":assumed-role/app/s1",
            "arn:aws:sts::" + B + ":assumed-role/reader/s2",
            "arn:aws:iam::" + B + ":user/bob",
            "s3.amazonaws.com",
            "lambda.amazonaws.com");
    private static final List<String> ACTIONS = List.of(
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "s3:GetObject",
            "dynamodb:GetRecords",
            "dynamodb:ListStreams",
            "lambda:InvokeFunction",
            "sts:AssumeRole",
            "kms:Decrypt");
    private static final List<String> RESOURCES = List.of(
            "arn:aws:sqs:us-east-1:" + A + ":orders",
            "arn:aws:s3:::bucket-a/data/file.txt",
            "arn:aws:dynamodb:us-east-1:" + A + ":table/orders/stream/2026",
            "arn:aws:lambda:us-east-1:" + A + ":function:f",
            "arn:aws:iam::" + B + ":role/target",
            "arn:aws:kms:us-east-1:" + A + ":key/k1",
            "*");
    private static final List<String> ACTION_PATTERNS = List.of(
            "*",
            "*",
            "*",
            "sqs:*",
            "sqs:ReceiveMessage",
            "s3:Get*",
            "dynamodb:*",
            "lambda:InvokeFunction",
            "sts:AssumeRole",
            "kms:*",
            "sqs:Delete?essage");
    private static final List<String> RESOURCE_PATTERNS = List.of(
            "*",
            "*",
            "*",
            "arn:aws:sqs:*:" + A + ":orders",
            "arn:aws:s3:::bucket-a/*",
            "arn:aws:dynamodb:us-east-1:" + A + ":table/orders/stream/*",
            "arn:aws:lambda:us-east-1:" + A + ":function:f",
            "arn:aws:iam::" + B + ":role/*",
            "arn:aws:kms:*");
    private static final List<Principals> RESOURCE_PRINCIPALS = List.of(
            Principals.ANY,
            Principals.aws(A),
            Principals.aws("arn:aws:iam::" + B + ":root"),
            Principals.aws("arn:aws:iam::" + A + ":role/app"),
            Principals.aws("arn:aws:sts::" + B + ":assumed-role/reader/s2"),
            Principals.aws("arn:aws:iam::" + A + ":user/alice"),
            Principals.service("s3.amazonaws.com"),
            Principals.service("lambda.amazonaws.com"));

    private static final List<List<Condition>> CONDITIONS = List.of(
            List.<Condition>of(),
            List.<Condition>of(),
            List.<Condition>of(),
            List.<Condition>of(),
            List.of(Condition.of("Bool", "aws:SecureTransport", List.of("true"), true)),
            List.of(Condition.of("StringEquals", "aws:SourceAccount", List.of(A), true)),
            List.of(Condition.of("StringNotEquals", "aws:PrincipalAccount", List.of(A), true)),
            List.of(Condition.of("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:role/*"), true)),
            List.of(Condition.of(
                    "StringEqualsIfExists", "aws:PrincipalServiceName", List.of("s3.amazonaws.com"), true)));

    private final Evaluator evaluator = Evaluator.create();

    /** One try of a property: its generator and its check. */
    @FunctionalInterface
    private interface Try {
        /** Draws the input from gen, checks it, and returns a description of the input for failure messages. */
        void run(Gen gen, StringBuilder input);
    }

    /** Runs tries of a property, try i seeded with seed + i; a failure names the property, seed, try and input. */
    private static void forAll(String property, long seed, int tries, Try body) {
        for (int i = 0; i < tries; i++) {
            StringBuilder input = new StringBuilder();
            try {
                body.run(new Gen(new SplittableRandom(seed + i)), input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        String.format(
                                Locale.ROOT,
                                "%s failed on try %d of %d (seed 0x%X + %d = new SplittableRandom(%dL)):%n%s%ninput:%n%s",
                                property,
                                i,
                                tries,
                                seed,
                                i,
                                seed + i,
                                e.getMessage(),
                                input),
                        e);
            }
        }
    }

    /** Small seeded generators in place of a property-testing library: uniform picks unless stated. */
    private static final class Gen {
        private final SplittableRandom random;

        Gen(SplittableRandom random) {
            this.random = random;
        }

        /** Uniform in [min, max]. */
        int between(int min, int max) {
            return min + random.nextInt(max - min + 1);
        }

        boolean bool() {
            return random.nextBoolean();
        }

        /** True in 1 of 5 draws (as picking from {true, false, false, false, false}). */
        boolean oneInFive() {
            return random.nextInt(5) == 0;
        }

        <T> T of(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        /** A list of min..max (uniform size) independent draws; duplicates allowed. */
        <T> List<T> list(int min, int max, Supplier<T> element) {
            int n = between(min, max);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.get());
            }
            return out;
        }

        /** null with probability nullProbability, else a draw. */
        <T> T orNull(double nullProbability, Supplier<T> value) {
            return random.nextDouble() < nullProbability ? null : value.get();
        }

        /** Lower-case a..z, length min..max (uniform). */
        String lowerCase(int min, int max) {
            int n = between(min, max);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            return b.toString();
        }
    }

    private static Request request(Gen g) {
        String p = g.of(PRINCIPALS);
        String a = g.of(ACTIONS);
        String r = g.of(RESOURCES);
        String tls = g.of(List.of("true", "false"));
        String src = g.of(List.of(A, B));
        return new Request(
                p, a, r, null, Map.of("aws:SecureTransport", List.of(tls), "aws:SourceAccount", List.of(src)));
    }

    private static AuthorizationInput input(Gen g) {
        Request req = request(g);
        List<Policy> ids = g.list(1, 2, () -> policy(g, false));
        Policy rp = g.orNull(0.4, () -> policy(g, true));
        Policy pb = g.orNull(0.8, () -> policy(g, false));
        Policy sp = g.orNull(0.85, () -> policy(g, false));
        List<Policy> scp = g.orNull(0.8, () -> g.list(0, 2, () -> policy(g, false)));
        List<Policy> rcp = g.orNull(0.85, () -> g.list(1, 1, () -> policy(g, true)));
        AuthorizationInput.Builder b = AuthorizationInput.builder(req)
                .identityPolicies(ids)
                .resourcePolicy(rp)
                .permissionsBoundary(pb)
                .sessionPolicy(sp);
        if (scp != null && !scp.isEmpty()) {
            b.scpLevel(scp);
        }
        if (rcp != null) {
            b.rcpLevel(rcp);
        }
        return b.build();
    }

    /** 1..3 statements, each Allow:Deny 6:1. */
    private static Policy policy(Gen g, boolean withPrincipal) {
        List<Statement> ss =
                g.list(1, 3, () -> statement(g, withPrincipal, g.between(1, 7) <= 6 ? Effect.ALLOW : Effect.DENY));
        return new Policy("generated", Policy.V2012, reindex(ss));
    }

    private static Statement statement(Gen g, boolean withPrincipal, Effect effect) {
        List<String> actions = g.list(1, 2, () -> g.of(ACTION_PATTERNS));
        List<String> resources = g.list(1, 2, () -> g.of(RESOURCE_PATTERNS));
        boolean notAction = g.oneInFive();
        boolean notResource = g.oneInFive();
        Principals principal = g.of(RESOURCE_PRINCIPALS);
        boolean notPrincipal = g.oneInFive();
        List<Condition> conds = g.of(CONDITIONS);
        return new Statement(
                0,
                null,
                effect,
                notAction ? null : actions,
                notAction ? actions : null,
                notResource ? null : resources,
                notResource ? resources : null,
                withPrincipal && !notPrincipal ? principal : null,
                withPrincipal && notPrincipal ? principal : null,
                conds,
                true);
    }

    private static Statement deny(Gen g) {
        return statement(g, true, Effect.DENY);
    }

    private static Statement allow(Gen g) {
        return statement(g, true, Effect.ALLOW);
    }

    private static int where(Gen g) {
        return g.between(0, 5);
    }

    private static String principal(Gen g) {
        return g.of(List.of("arn:aws:iam::" + A + ":user/alice", "arn:aws:sts::" + A + ":assumed-role/app/s1"));
    }

    private static String literalResource(Gen g) {
        return "arn:aws:s3:::bucket-a/" + g.lowerCase(1, 12);
    }

    private static List<Statement> reindex(List<Statement> ss) {
        List<Statement> out = new ArrayList<>();
        for (int i = 0; i < ss.size(); i++) {
            Statement s = ss.get(i);
            out.add(new Statement(
                    i,
                    s.sid(),
                    s.effect(),
                    s.actions(),
                    s.notActions(),
                    s.resources(),
                    s.notResources(),
                    s.principal(),
                    s.notPrincipal(),
                    s.conditions(),
                    true));
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

    @Test
    void addingADenyNeverYieldsAllowed() {
        forAll("addingADenyNeverYieldsAllowed", 0x5EED0001L, 1000, (g, input) -> {
            AuthorizationInput in = input(g);
            Statement deny = deny(g);
            int where = where(g);
            input.append("in=")
                    .append(in)
                    .append("\ndeny=")
                    .append(deny)
                    .append("\nwhere=")
                    .append(where);
            Statement d = principalFor(deny, where);
            Decision before = evaluator.evaluate(in, false);
            Decision after = evaluator.evaluate(with(in, where, d), false);
            if (after.allowed()) {
                assertThat(before.allowed())
                        .as("a Deny made %s Allowed", before.outcome())
                        .isTrue();
            }
            assertThat(after.outcome().ordinal())
                    .isGreaterThanOrEqualTo(before.outcome().ordinal());
        });
    }

    @Test
    void addingAnAllowNeverDeniesWhatWasAllowed() {
        forAll("addingAnAllowNeverDeniesWhatWasAllowed", 0x5EED0002L, 1000, (g, input) -> {
            AuthorizationInput in = input(g);
            Statement allow = allow(g);
            int where = where(g);
            input.append("in=")
                    .append(in)
                    .append("\nallow=")
                    .append(allow)
                    .append("\nwhere=")
                    .append(where);
            Decision before = evaluator.evaluate(in, false);
            Decision after = evaluator.evaluate(with(in, where, principalFor(allow, where)), false);
            if (before.allowed()) {
                assertThat(after.outcome()).isEqualTo(Outcome.ALLOWED);
            }
        });
    }

    @Test
    void actionCaseNeverMatters() {
        forAll("actionCaseNeverMatters", 0x5EED0003L, 500, (g, input) -> {
            AuthorizationInput in = input(g);
            boolean upper = g.bool();
            input.append("in=").append(in).append("\nupper=").append(upper);
            Request r = in.request();
            String action =
                    upper ? r.action().toUpperCase(Locale.ROOT) : r.action().toLowerCase(Locale.ROOT);
            Request changed = new Request(r.principal(), action, r.resource(), r.resourceAccount(), r.context());
            AuthorizationInput other = new AuthorizationInput(
                    changed,
                    in.identityPolicies(),
                    in.resourcePolicy(),
                    in.permissionsBoundary(),
                    in.sessionPolicy(),
                    in.scps(),
                    in.rcps());
            assertThat(evaluator.evaluate(other, false).outcome())
                    .isEqualTo(evaluator.evaluate(in, false).outcome());
        });
    }

    @Test
    void resourceCaseAlwaysMatters() {
        forAll("resourceCaseAlwaysMatters", 0x5EED0004L, 500, (g, input) -> {
            String resource = literalResource(g);
            String principal = principal(g);
            input.append("resource=").append(resource).append("\nprincipal=").append(principal);
            String changed = resource.toUpperCase(Locale.ROOT);
            Policy exact = new Policy(
                    "exact", Policy.V2012, List.of(Statement.of(0, Effect.ALLOW, List.of("*"), List.of(resource))));
            AuthorizationInput ok = AuthorizationInput.builder(
                            new Request(principal, "s3:GetObject", resource, A, Map.of()))
                    .identityPolicy(exact)
                    .build();
            AuthorizationInput other = AuthorizationInput.builder(
                            new Request(principal, "s3:GetObject", changed, A, Map.of()))
                    .identityPolicy(exact)
                    .build();
            assertThat(evaluator.evaluate(ok).outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(evaluator.evaluate(other).outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
        });
    }

    @Test
    void explainNeverChangesTheDecision() {
        int tries = 500;
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        forAll("explainNeverChangesTheDecision", 0x5EED0005L, tries, (g, input) -> {
            AuthorizationInput in = input(g);
            input.append("in=").append(in);
            Decision quick = evaluator.evaluate(in, false);
            Decision full = evaluator.evaluate(in, true);
            assertThat(full.outcome()).isEqualTo(quick.outcome());
            assertThat(full.deniedBy()).isEqualTo(quick.deniedBy());
            assertThat(full.message()).isEqualTo(quick.message());
            assertThat(full.explanation().deniedBy()).isEqualTo(full.deniedBy());
            outcomes.merge(quick.outcome(), 1, Integer::sum);
        });
        // The generator must reach every outcome, or the invariants above prove little: each above 5 % of the tries.
        for (Outcome o : List.of(Outcome.ALLOWED, Outcome.IMPLICITLY_DENIED, Outcome.EXPLICITLY_DENIED)) {
            double percentage = 100.0 * outcomes.getOrDefault(o, 0) / tries;
            assertThat(percentage)
                    .as("share of %s among %d generated inputs (seed 0x5EED0005, counts %s)", o, tries, outcomes)
                    .isGreaterThan(5.0);
        }
    }

    /** Principal elements only where the policy type has them (resource policies, RCPs). */
    private static Statement principalFor(Statement s, int where) {
        boolean principal = where == 1 || where == 5;
        if (principal == (s.principal() != null || s.notPrincipal() != null)) {
            return s;
        }
        return new Statement(
                0,
                null,
                s.effect(),
                s.actions(),
                s.notActions(),
                s.resources(),
                s.notResources(),
                principal ? Principals.ANY : null,
                null,
                s.conditions(),
                true);
    }
}
