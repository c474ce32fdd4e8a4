package dev.roleproof.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.check.Checker;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Request;
import dev.roleproof.local.aws.MotoException;
import dev.roleproof.local.aws.MotoServer;
import dev.roleproof.local.enforce.CallRecord;
import dev.roleproof.local.enforce.EnforcingProxy;
import dev.roleproof.local.enforce.PolicySource;
import dev.roleproof.local.enforce.Principal;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.TemplateException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code roleproof local}: loads both accounts' templates, applies a break if asked, starts moto (or attaches to
 * one) and the enforcing proxy, deploys, then plays the Lambda service for the four patterns in parallel and
 * reports each with its self-check and observed least privilege.
 */
public final class LocalRun {

    /** The four patterns in report order. */
    public static final List<String> PATTERNS = List.of(Stacks.SQS, Stacks.STREAM, Stacks.S3, Stacks.XACCT);

    /** Shared by the pattern players: AWS clients, moto, the engine, the project root, judged service calls. */
    record Context(
            Aws aws,
            URI moto,
            Evaluator evaluator,
            Path root,
            List<ServiceCall> serviceCalls,
            PolicySource policies,
            List<CallRecord> roleCalls) {
        /**
         * Judges what a role session may do without making the call: how Lambda validates an event source mapping's
         * permissions when it is created.
         */
        Decision judge(String sessionArn, String action, String resource) {
            String account = LambdaService.accountOf(sessionArn);
            return evaluator.evaluate(
                    policies.inputFor(
                            new Principal(sessionArn, account),
                            Request.of(sessionArn, action, resource).withResourceAccount(account)),
                    false);
        }

        void recordServiceCall(String function, String principal, String action, String resource, Decision d) {
            serviceCalls.add(new ServiceCall(
                    function, principal, action, resource, d.outcome().awsName(), d.message()));
        }
    }

    /** A call made by an AWS service principal (S3 invoking the function), judged by the engine outside the proxy. */
    record ServiceCall(
            String function, String principal, String action, String resource, String decision, String message) {}

    private LocalRun() {}

    /** The breaks --list-breaks prints: name, pattern, what it shows. */
    public static List<String[]> breaks() {
        return Break.ALL.stream()
                .map(b -> new String[] {b.name(), b.pattern(), b.shows()})
                .toList();
    }

    /**
     * Runs everything and returns the report.
     *
     * @throws LocalException for unusable input or environment (exit 2), with a one-line message
     */
    public static LocalReport run(LocalOptions o, Consumer<String> progress) {
        long start = System.nanoTime();
        // The AWS SDK asks SLF4J for a logger; without a binding SLF4J prints a three-line warning into the progress.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        Optional<Break> brk = o.breakName() == null
                ? Optional.empty()
                : Optional.of(Break.named(o.breakName())
                        .orElseThrow(() -> new LocalException(
                                "unknown break '" + o.breakName() + "'; list them with: roleproof local --list-breaks"))
                        .forAccount(o.account()));
        for (Path p : List.of(o.template(), o.target())) {
            if (!Files.isRegularFile(p)) {
                throw new LocalException(
                        p + ": no such template (run from the project root, or pass --template/--target)");
            }
        }
        ExecutorService background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "roleproof-local");
            t.setDaemon(true);
            return t;
        });
        // moto starts while the templates load (about a second each).
        CompletableFuture<MotoServer> motoStart = CompletableFuture.supplyAsync(
                () -> o.endpoint() == null ? MotoServer.start() : MotoServer.attach(o.endpoint()), background);
        MotoServer moto = null;
        try {
            Stacks stacks = load(o, brk, progress);
            List<String> patterns = brk.map(b -> List.of(b.pattern())).orElse(PATTERNS);
            Map<String, FunctionSpec> functions = new LinkedHashMap<>();
            for (String pattern : patterns) {
                FunctionSpec f = stacks.function(pattern)
                        .orElseThrow(() -> new LocalException(o.template()
                                + ": no function for pattern " + pattern
                                + " (RoleProof recognises it by its event source or"
                                + " variables)"));
                functions.put(pattern, f);
            }
            Evaluator evaluator = Evaluator.create();
            CompletableFuture<LocalReport.Broken> broken = brk.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(
                            () -> new LocalReport.Broken(
                                    brk.get().name(),
                                    brk.get().pattern(),
                                    brk.get().shows(),
                                    brk.get().fix(),
                                    checkSays(stacks, functions.get(brk.get().pattern()), o.root())),
                            background);
            try (Aws aws = new Aws(stacks.a().region())) {
                LambdaService probe = new LambdaService(aws, null, null, evaluator, o.root());
                try {
                    functions.values().forEach(probe::artifactOf);
                } catch (LambdaService.MissingBuildException e) {
                    throw new LocalException(e.getMessage(), e);
                }
                moto = join(motoStart);
                progress.accept("moto " + (o.endpoint() == null ? "started" : "attached") + " at " + moto.endpoint());
                ModelPolicySource source = new ModelPolicySource(stacks);
                try (EnforcingProxy proxy = EnforcingProxy.start(moto.endpoint(), source, evaluator)) {
                    progress.accept("enforcing proxy at " + proxy.endpoint()
                            + ": every call with a function's credentials" + " is judged by RoleProof's engine");
                    Deployer deployer = new Deployer(aws, moto.endpoint(), progress);
                    Stacks deployed = deployer.deployCore(stacks);
                    source.update(deployed);
                    CompletableFuture<Void> rest = CompletableFuture.runAsync(
                            () -> deployer.deployRest(deployed, o.root().resolve("events/cross-account-reader.json")),
                            background);
                    Context ctx = new Context(
                            aws,
                            moto.endpoint(),
                            evaluator,
                            o.root(),
                            Collections.synchronizedList(new ArrayList<>()),
                            source,
                            Collections.synchronizedList(new ArrayList<>()));
                    LambdaService lambda = new LambdaService(aws, moto.endpoint(), proxy, evaluator, o.root());
                    List<PatternRun> runs = runAll(patterns, deployed, lambda, ctx, progress, rest);
                    List<LocalReport.Pattern> out = new ArrayList<>();
                    for (PatternRun run : runs) {
                        out.add(new LocalReport.Pattern(
                                run.pattern,
                                run.function,
                                run.verdict(),
                                run.selfCheck,
                                observed(run, deployed, source, proxy.calls(), ctx),
                                run.steps,
                                failures(run)));
                    }
                    return new LocalReport(out, join(broken), (System.nanoTime() - start) / 1_000_000);
                }
            }
        } finally {
            if (moto == null) {
                // Loading failed (or moto did): stop the server started in the background, if it came up.
                motoStart.thenAccept(MotoServer::close);
            } else {
                moto.close();
            }
            background.shutdown();
        }
    }

    private static Stacks load(LocalOptions o, Optional<Break> brk, Consumer<String> progress) {
        Stacks stacks;
        try {
            stacks = Stacks.load(
                    o.template(),
                    o.target(),
                    o.account(),
                    o.targetAccount(),
                    brk.map(Break::paramsA).orElse(Map.of()),
                    brk.map(Break::paramsB).orElse(Map.of()));
            if (brk.isPresent()) {
                stacks = brk.get().edit().apply(stacks);
            }
        } catch (TemplateException e) {
            throw new LocalException(e.getMessage(), e);
        }
        progress.accept("loaded " + o.template().getFileName() + " (account " + o.account() + ") and "
                + o.root().relativize(o.target().toAbsolutePath()) + " (account " + o.targetAccount() + ")"
                + brk.map(b -> "; break " + b.name() + " applied to the model").orElse(""));
        return stacks;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MotoException) {
                throw new LocalException(cause.getMessage(), cause);
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw e;
        }
    }

    private static List<String> failures(PatternRun run) {
        List<String> out = new ArrayList<>(run.failures);
        if (run.failures.isEmpty() && !run.passed()) {
            out.add(
                    run.selfCheck == null
                            ? "the handler logged no self-check report"
                            : run.selfCheckTimedOut()
                                    ? "the self-check is INCONCLUSIVE: its calls did not answer within its bound, twice;"
                                            + " the environment was too slow (a busy machine?), not a permission"
                                    : "the self-check verdict is "
                                            + run.selfCheck.path("verdict").asText());
        }
        return out;
    }

    private static List<PatternRun> runAll(
            List<String> patterns,
            Stacks stacks,
            LambdaService lambda,
            Context ctx,
            Consumer<String> progress,
            CompletableFuture<Void> deployed) {
        ExecutorService pool = Executors.newFixedThreadPool(patterns.size());
        try {
            List<Future<PatternRun>> futures = new ArrayList<>();
            for (String pattern : patterns) {
                futures.add(pool.submit(() -> runOne(pattern, stacks, lambda, ctx, progress, deployed)));
            }
            List<PatternRun> runs = new ArrayList<>();
            for (Future<PatternRun> f : futures) {
                try {
                    runs.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return runs;
        } finally {
            pool.shutdownNow();
        }
    }

    private static PatternRun runOne(
            String pattern,
            Stacks stacks,
            LambdaService lambda,
            Context ctx,
            Consumer<String> progress,
            CompletableFuture<Void> deployed) {
        FunctionSpec f = stacks.function(pattern).orElseThrow();
        PatternRun run = new PatternRun(pattern, f.functionName(), progress);
        run.roleArn = f.roleArn();
        LambdaService.Environment env;
        long t0 = System.nanoTime();
        try {
            env = lambda.start(f, stacks);
        } catch (LambdaService.StartException e) {
            run.fail(e.getMessage());
            return run;
        }
        try {
            run.sessionArn = env.sessionArn();
            run.step("function started in its own JVM as " + env.sessionArn() + " ("
                    + (System.nanoTime() - t0) / 1_000_000 + " ms, lambda.amazonaws.com allowed by the trust policy)");
            // Queues and buckets were created while the JVMs started.
            join(deployed);
            switch (pattern) {
                case Stacks.SQS -> new SqsPattern(ctx).run(env, mapping(stacks, f, "SQS"), run);
                case Stacks.STREAM -> new StreamPattern(ctx).run(env, mapping(stacks, f, "DynamoDB"), run);
                case Stacks.S3 -> new S3Pattern(ctx).run(env, stacks.a(), run);
                case Stacks.XACCT -> new CrossAccountPattern(ctx).run(env, run);
                default -> run.fail("unknown pattern " + pattern);
            }
            if (run.selfCheck == null) {
                // Never invoked (the mapping or S3 could not reach it): its self-check still says what the role can do.
                FunctionRuntime.Invocation inv = env.invoke("{\"roleproof\": \"self-check\"}");
                run.logged(inv);
                run.step(
                        "no delivery reached the function; its self-check was invoked on demand (events/self-check.json)");
            }
            if (run.selfCheckTimedOut()) {
                // A busy machine, not a permission: ask once more before saying the environment was too slow.
                run.step("the self-check's calls did not answer in time (a busy machine): invoking it again on demand");
                run.logged(env.invoke("{\"roleproof\": \"self-check\"}"));
            }
            logWrites(env, ctx, run);
        } catch (RuntimeException e) {
            run.fail("the local run failed: " + e);
        } finally {
            run.initLogs(env.runtime().initLogs());
            env.close();
        }
        return run;
    }

    /**
     * Lambda sends what the function prints to CloudWatch Logs with the execution role. There is no logs service
     * here, so the two writes are judged by the engine and recorded as the role's calls; a denial loses the logs in
     * AWS (the function still runs), so it is reported as a step, not a failure.
     */
    private static void logWrites(LambdaService.Environment env, Context ctx, PatternRun run) {
        FunctionSpec f = env.function();
        String group = "/aws/lambda/" + f.functionName();
        Object config = f.properties().get("LoggingConfig");
        if (config instanceof Map && ((Map<?, ?>) config).get("LogGroup") instanceof String) {
            group = (String) ((Map<?, ?>) config).get("LogGroup");
        }
        String account = LambdaService.accountOf(f.functionArn());
        String region = f.functionArn().split(":")[3];
        String groupArn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
        String stream = groupArn + ":log-stream:" + java.time.LocalDate.now() + "/[$LATEST]roleproof-local";
        for (String[] call :
                new String[][] {{"logs:CreateLogStream", groupArn + ":*"}, {"logs:PutLogEvents", stream}}) {
            Decision d = ctx.judge(env.sessionArn(), call[0], call[1]);
            ctx.roleCalls()
                    .add(new CallRecord(
                            env.sessionArn(),
                            call[0],
                            call[1],
                            Map.of(),
                            d.outcome(),
                            d.message(),
                            java.time.Instant.now()));
            if (!d.allowed()) {
                run.step("Lambda cannot write the function's logs to " + group + " (" + d.message() + "): in AWS the"
                        + " function runs but its logs are lost");
                return;
            }
        }
    }

    private static EventSourceMapping mapping(Stacks stacks, FunctionSpec f, String type) {
        return stacks.a().mappingsOf(f.logicalId()).stream()
                .filter(m -> type.equals(m.sourceType()))
                .findFirst()
                .orElseThrow();
    }

    /** Observed least privilege of the function's role, and of roles it assumed (cross-account). */
    private static ObjectNode observed(
            PatternRun run, Stacks stacks, ModelPolicySource source, List<CallRecord> calls, Context ctx) {
        Set<String> expectedDenied = new HashSet<>();
        if (run.selfCheck != null) {
            for (JsonNode probe : run.selfCheck.path("probes")) {
                if ("DENY".equals(probe.path("expected").asText())) {
                    expectedDenied.add(probe.path("action").asText().toLowerCase(Locale.ROOT));
                }
            }
        }
        Optional<RoleSpec> role = stacks.roleByArn(run.roleArn);
        if (role.isEmpty() || run.sessionArn == null) {
            return PolicyJson.MAPPER.createObjectNode();
        }
        List<CallRecord> own = Stream.concat(calls.stream(), ctx.roleCalls().stream())
                .filter(c -> c.principalArn().equals(run.sessionArn))
                .toList();
        ObjectNode o = Observed.of(role.get(), own, expectedDenied);
        o.put("session", run.sessionArn);
        // Roles of the other account assumed during this pattern (only the cross-account reader does).
        if (Stacks.XACCT.equals(run.pattern)) {
            Map<String, List<CallRecord>> byRole = new LinkedHashMap<>();
            for (CallRecord c : calls) {
                if (c.admin() || c.principalArn().equals(run.sessionArn)) {
                    continue;
                }
                source.roleOfSession(c.principalArn())
                        .filter(r -> stacks.b().roles().contains(r))
                        .ifPresent(r -> byRole.computeIfAbsent(r.arn(), k -> new ArrayList<>())
                                .add(c));
            }
            ArrayNode assumed = o.putArray("assumedRoles");
            byRole.forEach(
                    (arn, list) -> assumed.add(Observed.of(stacks.roleByArn(arn).orElseThrow(), list, expectedDenied)));
        }
        ArrayNode service = o.putArray("serviceCalls");
        for (ServiceCall c : ctx.serviceCalls()) {
            if (c.function().equals(run.function)) {
                ObjectNode n = service.addObject();
                n.put("principal", c.principal());
                n.put("action", c.action());
                n.put("resource", c.resource());
                n.put("decision", c.decision());
                if (c.message() != null) {
                    n.put("message", c.message());
                }
            }
        }
        return o;
    }

    /** What roleproof check says about the broken model, for the break's function (errors and warnings). */
    static List<String> checkSays(Stacks broken, FunctionSpec f, Path root) {
        try {
            var report = Checker.create().check(broken.a(), broken.b());
            Set<String> ids = new HashSet<>();
            ids.add(f.logicalId());
            if (f.roleLogicalId() != null) {
                ids.add(f.roleLogicalId());
            }
            broken.a().permissionsOf(f.logicalId()).forEach(p -> ids.add(p.logicalId()));
            if (Stacks.functionFor(broken.a(), Stacks.XACCT)
                    .filter(x -> x.logicalId().equals(f.logicalId()))
                    .isPresent()) {
                broken.b().roles().forEach(r -> ids.add(r.logicalId()));
            }
            List<String> out = new ArrayList<>();
            for (Finding finding : report.findings()) {
                if (finding.severity().atLeast(Severity.WARNING)
                        && (ids.contains(finding.resource())
                                || finding.message().contains(f.logicalId()))) {
                    Path file = finding.file() == null
                            ? Path.of("")
                            : finding.file().toAbsolutePath();
                    if (file.startsWith(root)) {
                        file = root.relativize(file);
                    }
                    out.add(file + ":" + finding.line() + ": "
                            + finding.severity().label() + " " + finding.rule() + ": " + finding.message()
                            + (finding.fix().isEmpty() ? "" : " Fix: " + finding.fix()));
                }
            }
            return out;
        } catch (RuntimeException e) {
            return List.of("roleproof check could not judge this model: " + e.getMessage());
        }
    }
}
