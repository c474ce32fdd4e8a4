package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.Classifier;
import dev.roleproof.selfcheck.internal.Identities;
import dev.roleproof.selfcheck.internal.LambdaSts;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * A function's run-time proof of its own permissions: who am I (sts:GetCallerIdentity, which needs no permission),
 * is that the execution role the template named, do the required probes pass and are the forbidden ones denied.
 * Declared once per function with {@link #builder}, and run by {@link SelfCheckedHandler}, which adds it to a handler
 * from outside.
 *
 * @param <I> the handler's event type: a delivery's proof sentence and its event probes are made from it
 */
public final class SelfCheck<I> {

    /** When a delivery runs it (ROLEPROOF_SELF_CHECK): never, once per execution environment (default), or always. */
    public enum Mode {
        OFF,
        FIRST,
        EVERY
    }

    /** Bound of the whole self-check: identity, probes and proof run in parallel, each within it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private static final String ON_DEMAND =
            "on demand: no event from the pattern's source in this invocation, so its permission is not proven by it";

    private final String functionName;
    private final String pattern;
    private final Callable<String> identity;
    private final String expectedRoleArn;
    private final List<Probe> probes;
    private final Function<I, List<Probe>> eventProbes;
    private final Function<I, String> proof;
    private final Supplier<String> onDemandProof;
    private final Runnable primer;
    private final Mode mode;
    private final String warning;
    private final boolean samLocal;
    private final PrintStream log;
    private final Duration timeout;
    private final AtomicBoolean firstDone = new AtomicBoolean();
    /** The caller identity the last run read: before a SnapStart snapshot, the prime's. */
    private volatile String lastIdentity;
    /**
     * After a SnapStart restore, the identity read before the snapshot: a published version's execution role cannot
     * change, and Lambda's session of it has the same ARN, so it is not asked again.
     */
    private volatile String restoredIdentity;
    /** Identity and declared probes started at init or restore, taken by the next run. */
    private final AtomicReference<Started> early = new AtomicReference<>();
    /**
     * Daemon threads, made on demand and dropped when idle: they never keep the runtime's JVM alive, and a call past
     * the bound ends on its own without holding the report.
     */
    private final ExecutorService executor;

    private SelfCheck(Builder<I> b) {
        this.functionName =
                b.functionName != null ? b.functionName : orElse(b.env.apply("AWS_LAMBDA_FUNCTION_NAME"), "");
        this.pattern = b.pattern;
        this.identity = b.identity != null ? b.identity : LambdaSts.callerIdentity(b.env, b.httpClient);
        this.expectedRoleArn =
                blankToNull(b.expectedRoleArn != null ? b.expectedRoleArn : b.env.apply("ROLEPROOF_EXPECTED_ROLE_ARN"));
        this.probes = List.copyOf(b.probes);
        this.eventProbes = b.eventProbes;
        this.proof = b.proof;
        this.onDemandProof = b.onDemandProof;
        this.primer = b.primer;
        List<String> warnings = new ArrayList<>();
        this.mode = mode(b.env.apply("ROLEPROOF_SELF_CHECK"), warnings);
        this.timeout =
                b.timeout != null ? b.timeout : timeout(b.env.apply("ROLEPROOF_SELF_CHECK_TIMEOUT_MS"), warnings);
        this.warning = warnings.isEmpty() ? null : String.join("; ", warnings);
        this.samLocal = "true".equalsIgnoreCase(b.env.apply("AWS_SAM_LOCAL"));
        this.log = b.log;
        AtomicInteger n = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "roleproof-selfcheck-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Declares the self-check of a function whose events are {@code eventType}, for a pattern named freely (the
     * reference's are sqs-esm, dynamodb-stream-esm, s3-push and cross-account).
     */
    public static <I> Builder<I> builder(Class<I> eventType, String pattern) {
        return new Builder<>(eventType, pattern);
    }

    public Mode mode() {
        return mode;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * After a delivery: runs when ROLEPROOF_SELF_CHECK says so (once per execution environment even under concurrent
     * calls in mode first), logs one JSON line and returns the report; null when not due.
     */
    public SelfCheckReport runIfDue(I event) {
        if (mode == Mode.OFF || mode == Mode.FIRST && !firstDone.compareAndSet(false, true)) {
            return null;
        }
        List<Probe> extra = eventProbes == null ? List.of() : eventProbes.apply(event);
        return run(() -> proof == null ? "invoked by the pattern's source" : proof.apply(event), extra);
    }

    /** For the on-demand event: always runs, logs one JSON line, returns the report; a later delivery still runs. */
    public SelfCheckReport runOnDemand() {
        return run(onDemandProof != null ? onDemandProof : () -> ON_DEMAND, List.of());
    }

    /**
     * What SnapStart's beforeCheckpoint does: the self-check once (unless off), whose read-only calls load and
     * exercise the SDK path of the function's clients without changing data, then the declared primer of the handler's
     * own path, if any (even when the self-check is off). Returns the report, or null when off.
     */
    public SelfCheckReport prime() {
        SelfCheckReport report = mode == Mode.OFF
                ? null
                : run(
                        () -> "priming before the SnapStart snapshot: the first invocation after a restore runs again",
                        List.of());
        if (primer != null) {
            try {
                primer.run();
            } catch (RuntimeException e) {
                // Priming is best effort: a path left cold must not fail the snapshot, and so the deployment.
            }
        }
        return report;
    }

    /**
     * Starts the identity call and the declared probes on background threads, so that at a cold start they overlap
     * the runtime reading the first event and the handler's work; the next run takes their results. Nothing when the
     * mode is off or a start is pending.
     */
    public void startEarly() {
        if (mode != Mode.OFF && early.get() == null) {
            early.compareAndSet(null, start());
        }
    }

    /**
     * After a SnapStart restore: forgets calls started before the snapshot (made with the credentials of the
     * snapshot's init) and makes the next delivery run again. The identity read before the snapshot is kept: the
     * version's role is the same, so the restored environment's probes are what need proving again.
     */
    public void resetAfterRestore() {
        restoredIdentity = lastIdentity;
        Started stale = early.getAndSet(null);
        if (stale != null) {
            stale.identity().cancel(true);
            stale.probes().forEach(f -> f.cancel(true));
        }
        firstDone.set(false);
    }

    private SelfCheckReport run(Supplier<String> proofText, List<Probe> extra) {
        Started started = early.getAndSet(null);
        if (started == null) {
            started = start();
        }
        // Every call started together: each one's bound runs from the start.
        long deadline = started.nanos() + timeout.toNanos();
        List<Probe> all = new ArrayList<>(probes);
        List<Future<?>> futures = new ArrayList<>(started.probes());
        for (Probe p : extra) {
            all.add(p);
            futures.add(submit(p));
        }
        Future<String> proofFuture = executor.submit(proofText::get);

        String caller = null;
        String identityProblem = null;
        try {
            caller = started.identity().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            lastIdentity = caller;
        } catch (Exception e) {
            started.identity().cancel(true);
            identityProblem = classify(e, null).detail();
        }
        boolean matches = Identities.callerIsRole(caller, expectedRoleArn);

        List<ProbeResult> results = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Probe p = all.get(i);
            Future<?> f = futures.get(i);
            Classifier.Classification c;
            try {
                f.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                c = Classifier.allowed();
            } catch (Exception e) {
                f.cancel(true);
                c = classify(e, p.action());
            }
            // A hint says what to change in the execution role: with other credentials nothing follows for it.
            results.add(new ProbeResult(
                    p.action(),
                    p.resource(),
                    p.expected(),
                    c.observed(),
                    c.detail(),
                    matches ? hint(p, c.observed()) : null));
        }

        String proofLine;
        try {
            proofLine = proofFuture.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            proofFuture.cancel(true);
            proofLine = "proof not established: " + classify(e, null).detail();
        }

        SelfCheckReport report = new SelfCheckReport(
                functionName,
                pattern,
                caller,
                expectedRoleArn,
                matches,
                proofLine,
                verdict(results, matches),
                samLocal || !matches,
                warning(caller, identityProblem, matches),
                results,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started.nanos()));
        log.println(report.toJson());
        return report;
    }

    private Classifier.Classification classify(Exception e, String action) {
        if (e instanceof TimeoutException) {
            return Classifier.classify(new TimeoutException("no answer within the self-check's bound of "
                    + timeout.toMillis() + " ms (ROLEPROOF_SELF_CHECK_TIMEOUT_MS)"));
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return action == null ? Classifier.classify(e) : Classifier.classify(e, action);
    }

    private Started start() {
        long nanos = System.nanoTime();
        String known = restoredIdentity;
        Future<String> id = known != null ? CompletableFuture.completedFuture(known) : executor.submit(identity);
        List<Future<?>> futures = new ArrayList<>();
        for (Probe p : probes) {
            futures.add(submit(p));
        }
        return new Started(nanos, id, futures);
    }

    private Future<?> submit(Probe p) {
        return executor.submit(() -> {
            p.call().call();
            return null;
        });
    }

    private record Started(long nanos, Future<String> identity, List<Future<?>> probes) {}

    /**
     * True for the on-demand event {"roleproof": "self-check"} as the Java runtime reads it into the handler's input
     * type: a Map with that entry, a request object whose getRoleproof() (or record accessor roleproof()) is
     * "self-check", or an event with Records (SQS, DynamoDB, S3, Kinesis, SNS...) whose Records are null or empty,
     * which no real delivery gives.
     */
    public static boolean isOnDemandRequest(Object event) {
        if (event == null) {
            return false;
        }
        if (event instanceof Map<?, ?> map) {
            return "self-check".equals(map.get("roleproof"));
        }
        Object roleproof = getter(event, "getRoleproof");
        if (roleproof == null) {
            roleproof = getter(event, "roleproof");
        }
        if (roleproof != null) {
            return "self-check".equals(roleproof);
        }
        if (!hasGetter(event, "getRecords")) {
            return false;
        }
        // SQSEvent and DynamodbEvent read as null Records, S3Event as an empty list (aws-lambda-java-serialization).
        Object records = getter(event, "getRecords");
        return records == null || records instanceof Collection<?> c && c.isEmpty();
    }

    private static boolean hasGetter(Object o, String name) {
        try {
            o.getClass().getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object getter(Object o, String name) {
        try {
            Method m = o.getClass().getMethod(name);
            m.trySetAccessible(); // a public getter of a class that is not public
            return m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * True when {@code callerArn} (an sts:GetCallerIdentity ARN) is a session of the role {@code roleArn}: same
     * partition, account and role name (a session ARN carries no role path). For proofs such as "B's caller identity is
     * the expected role".
     */
    public static boolean isSessionOf(String callerArn, String roleArn) {
        return Identities.callerIsRole(callerArn, roleArn);
    }

    private static String verdict(List<ProbeResult> results, boolean identityMatches) {
        // Probes run with someone else's credentials prove nothing about the execution role.
        if (!identityMatches) {
            return SelfCheckReport.INCONCLUSIVE;
        }
        boolean allExpected = true;
        for (ProbeResult r : results) {
            if (r.failed()) {
                return SelfCheckReport.FAIL;
            }
            allExpected &= r.asExpected();
        }
        return allExpected ? SelfCheckReport.PASS : SelfCheckReport.INCONCLUSIVE;
    }

    private String warning(String caller, String identityProblem, boolean matches) {
        List<String> parts = new ArrayList<>();
        if (samLocal) {
            parts.add("AWS_SAM_LOCAL=true: these results reflect the developer's credentials passed to sam local,"
                    + " not the execution role");
        }
        if (identityProblem != null) {
            parts.add("could not read the caller identity (" + identityProblem + "): results cannot be tied to the"
                    + " execution role");
        } else if (expectedRoleArn == null) {
            parts.add(
                    "ROLEPROOF_EXPECTED_ROLE_ARN is not set: cannot tell whether " + caller + " is the execution role");
        } else if (!matches) {
            parts.add("the caller " + caller + " is not the expected role " + expectedRoleArn
                    + ": these results reflect the developer's (or another) credentials, not the execution role");
        }
        if (warning != null) {
            parts.add(warning);
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private String hint(Probe p, Observed observed) {
        String role = p.principal() != null
                ? "the role " + p.principal() + " (the probe ran as a session of it)"
                : "the execution role " + roleName();
        if (p.expected() == Expectation.ALLOW && observed == Observed.DENIED) {
            if ("sts:AssumeRole".equalsIgnoreCase(p.action())) {
                // Both sides must allow: the caller's identity policy and the target role's trust policy.
                return "grant sts:AssumeRole on " + p.resource() + " to " + role + ", and make the trust policy of "
                        + p.resource() + " trust " + (expectedRoleArn == null ? "this role" : expectedRoleArn)
                        + " (with the ExternalId it sends, if any)";
            }
            return "grant " + p.action() + " on " + p.resource() + " to " + role
                    + " (the pattern needs it), or remove the Deny, boundary or resource policy that blocks it";
        }
        if (p.expected() == Expectation.DENY && observed == Observed.ALLOWED) {
            return "remove " + p.action() + " on " + p.resource() + " from " + role
                    + " (look for Resource \"*\", a wildcard action or a broad managed policy)";
        }
        return null;
    }

    private String roleName() {
        return expectedRoleArn == null
                ? "(ROLEPROOF_EXPECTED_ROLE_ARN not set)"
                : expectedRoleArn.substring(expectedRoleArn.lastIndexOf('/') + 1);
    }

    private static Mode mode(String raw, List<String> warnings) {
        if (blankToNull(raw) == null) {
            return Mode.FIRST;
        }
        try {
            return Mode.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            warnings.add("ROLEPROOF_SELF_CHECK='" + raw + "' is not off|first|every: using first");
            return Mode.FIRST;
        }
    }

    private static Duration timeout(String raw, List<String> warnings) {
        if (blankToNull(raw) == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long ms = Long.parseLong(raw.trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        warnings.add("ROLEPROOF_SELF_CHECK_TIMEOUT_MS='" + raw + "' is not a positive number of milliseconds: using "
                + DEFAULT_TIMEOUT.toMillis());
        return DEFAULT_TIMEOUT;
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String orElse(String s, String fallback) {
        return blankToNull(s) == null ? fallback : s;
    }

    /** The declaration of a function's self-check: its probes, its proof, and where its settings come from. */
    public static final class Builder<I> {
        private final String pattern;
        private final List<Probe> probes = new ArrayList<>();
        private Function<I, List<Probe>> eventProbes;
        private Function<I, String> proof;
        private Supplier<String> onDemandProof;
        private Runnable primer;
        private Callable<String> identity;
        private Supplier<SdkHttpClient> httpClient;
        private String functionName;
        private String expectedRoleArn;
        private UnaryOperator<String> env = System::getenv;
        private PrintStream log = System.out;
        private Duration timeout;

        private Builder(Class<I> eventType, String pattern) {
            Objects.requireNonNull(eventType, "eventType");
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("a self-check needs a pattern name");
            }
            this.pattern = pattern;
        }

        /** The call must be ALLOWED: the pattern needs this action on this resource. */
        public Builder<I> require(String action, String resource, ProbeCall call) {
            return probe(Probe.require(action, resource, call));
        }

        /** The call must be DENIED: a harmless action the role must not hold. */
        public Builder<I> forbid(String action, String resource, ProbeCall call) {
            return probe(Probe.forbid(action, resource, call));
        }

        /** A probe known at init (its resource comes from the environment, not from the event). */
        public Builder<I> probe(Probe probe) {
            probes.add(Objects.requireNonNull(probe, "probe"));
            return this;
        }

        /** Probes made from a delivery (the object S3 notified about); none for the on-demand event. */
        public Builder<I> eventProbes(Function<I, List<Probe>> probesOf) {
            this.eventProbes = probesOf;
            return this;
        }

        /** What a delivery proves by itself, e.g. "invoked by the event source mapping for QUEUE". */
        public Builder<I> proof(Function<I, String> proofOf) {
            this.proof = proofOf;
            return this;
        }

        /** The proof of an on-demand run (by default: no delivery, so the source's permission is not proven). */
        public Builder<I> onDemandProof(Supplier<String> proof) {
            this.onDemandProof = proof;
            return this;
        }

        /**
         * Warms the handler's own path before a SnapStart snapshot, after the self-check's run: it must have no side
         * effect (a read of something that does not exist, a parse of a sample), as the snapshot is taken once per
         * published version.
         */
        public Builder<I> primeWith(Runnable primer) {
            this.primer = Objects.requireNonNull(primer, "primer");
            return this;
        }

        /**
         * The HTTP client of the default identity call (an StsClient made as Lambda runs clients: AWS_REGION, the
         * execution role's credentials); pass the function's own so it has one. Without it the self-check makes a
         * url-connection client.
         */
        public Builder<I> httpClient(SdkHttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            this.httpClient = () -> httpClient;
            return this;
        }

        /** As {@link #httpClient(SdkHttpClient)}, for a client made on first use (by the self-check's own threads). */
        public Builder<I> httpClient(Supplier<SdkHttpClient> httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Who the function really is, when not the default sts:GetCallerIdentity call (tests, other clients). */
        public Builder<I> identity(Callable<String> identity) {
            this.identity = identity;
            return this;
        }

        /** By default AWS_LAMBDA_FUNCTION_NAME. */
        public Builder<I> functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        /** By default ROLEPROOF_EXPECTED_ROLE_ARN, which the template sets to the execution role's ARN. */
        public Builder<I> expectedRoleArn(String arn) {
            this.expectedRoleArn = arn;
            return this;
        }

        /** Where the settings are read: System::getenv by default (tests pass a map). */
        public Builder<I> environment(UnaryOperator<String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /** Where the one JSON line goes: System.out by default, which Lambda sends to CloudWatch Logs. */
        public Builder<I> log(PrintStream log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Bound of the whole self-check; by default ROLEPROOF_SELF_CHECK_TIMEOUT_MS, else {@link #DEFAULT_TIMEOUT}. */
        public Builder<I> timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public SelfCheck<I> build() {
            return new SelfCheck<>(this);
        }
    }
}
