package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.Classifier;
import dev.roleproof.selfcheck.internal.Identities;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A function's run-time proof of its own permissions: who am I (sts:GetCallerIdentity, which needs no permission),
 * does that match the execution role the template named, and do the required probes pass while the forbidden ones are
 * denied. Build one per execution environment at init, call {@link #startEarly} at the end of init so the calls
 * overlap the runtime's own work, and {@link #runIfDue} from the handler.
 */
public final class SelfCheck {

    /** The patterns of the reference stack. */
    public static final Set<String> PATTERNS = Set.of("sqs-esm", "dynamodb-stream-esm", "s3-push", "cross-account");

    /** When to run: off, first (once per execution environment, the default) or every invocation. */
    public enum Mode {
        OFF,
        FIRST,
        EVERY
    }

    /** Bound of the whole self-check (identity and probes run in parallel, so this is about one slow call). */
    public static final Duration TOTAL_TIMEOUT = Duration.ofMillis(3000);

    /** Slack over the SDK's own per-call timeout before the future gives up on a probe. */
    private static final long GRACE_MS = 250;

    private final String functionName;
    private final String pattern;
    private final Callable<String> identity;
    /** A proof that needs no event (the cross-account reader's B identity), started with the identity; or null. */
    private final Supplier<String> standingProof;

    private final String expectedRoleArn;
    private final List<Probe> staticProbes;
    private final Mode mode;
    private final String modeWarning;
    private final boolean samLocal;
    private final PrintStream log;
    private final Duration probeTimeout;
    private final Duration totalTimeout;
    private final AtomicBoolean firstDone = new AtomicBoolean();
    /** Identity and init-time probes started by {@link #startEarly}, taken by the next run. */
    private final AtomicReference<Started> early = new AtomicReference<>();

    private final ExecutorService executor;
    private final UnaryOperator<String> env;
    /** Set by startEarly where Lambda's Extensions API is there: reports of deliveries are made after the response. */
    private volatile AfterResponse afterResponse;

    private final AtomicBoolean extensionTried = new AtomicBoolean();
    /** The report this invocation deferred, handed to the extension when the handler says the invocation ended. */
    private final AtomicReference<Runnable> deferred = new AtomicReference<>();

    private SelfCheck(Builder b) {
        this.functionName = b.functionName;
        this.pattern = b.pattern;
        this.identity = b.identity;
        this.standingProof = b.proof;
        this.expectedRoleArn = blankToNull(b.expectedRoleArn);
        this.staticProbes = List.copyOf(b.probes);
        String raw = blankToNull(b.env.apply("ROLEPROOF_SELF_CHECK"));
        Mode parsed = Mode.FIRST;
        String warning = null;
        if (raw != null) {
            try {
                parsed = Mode.valueOf(raw.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                warning = "ROLEPROOF_SELF_CHECK='" + raw + "' is not off|first|every: using first";
            }
        }
        this.mode = parsed;
        this.modeWarning = warning;
        this.samLocal = "true".equalsIgnoreCase(blankToNull(b.env.apply("AWS_SAM_LOCAL")));
        this.env = b.env;
        this.log = b.log;
        this.probeTimeout = b.probeTimeout;
        this.totalTimeout = b.totalTimeout;
        // Daemon threads, created on demand and dropped when idle: they never keep a JVM alive and cost nothing between
        // invocations. SynchronousQueue + unbounded max = one thread per concurrent call (a handful at most).
        AtomicInteger n = new AtomicInteger();
        this.executor =
                new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "roleproof-selfcheck-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public static Builder builder(String functionName, String pattern) {
        return new Builder(functionName, pattern);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Runs when ROLEPROOF_SELF_CHECK says so (off: never; first: once per execution environment, even under concurrent
     * calls; every: each time), logs one JSON line and returns the report; returns null when not due, and when the
     * report is made after the response by the self-check's Lambda extension ({@link AfterResponse}; the handler's
     * {@link #invocationEnded()} hands it over).
     */
    public SelfCheckReport runIfDue(String proof, Probe... eventProbes) {
        return runIfDue(() -> proof, eventProbes);
    }

    /**
     * As {@link #runIfDue(String, Probe...)}, with a proof that costs a call (e.g. B's caller identity): it is only
     * computed when the self-check is due, in parallel with the probes and within the same bound.
     */
    public SelfCheckReport runIfDue(Supplier<String> proof, Probe... eventProbes) {
        if (!isDue()) {
            return null;
        }
        if (afterResponse != null && afterResponse.alive()) {
            // The caller gets the response first; the extension makes and logs the report (see AfterResponse).
            deferred.set(() -> run(proof, eventProbes));
            return null;
        }
        return run(proof, eventProbes);
    }

    /**
     * Call once per invocation, in a finally of the handler's entry point: where the after-response extension is
     * registered, the report {@link #runIfDue} deferred (if any) is made once the response is on its way, and the
     * extension tells Lambda the invocation is done after it. Without the extension it does nothing.
     */
    public void invocationEnded() {
        AfterResponse after = afterResponse;
        if (after != null) {
            Runnable report = deferred.getAndSet(null);
            after.invocationEnded(report != null ? report : () -> {});
        }
    }

    /** As {@link #runIfDue(Supplier, Probe...)} with the builder's {@link Builder#proof event-independent proof}. */
    public SelfCheckReport runIfDue() {
        return runIfDue((Supplier<String>) null);
    }

    /** As {@link #run(Supplier, Probe...)} with the builder's {@link Builder#proof event-independent proof}. */
    public SelfCheckReport run() {
        return run((Supplier<String>) null);
    }

    /** On demand: always runs, logs one JSON line, returns the report. Never throws for what a probe saw. */
    public SelfCheckReport run(String proof, Probe... eventProbes) {
        return run(() -> proof, eventProbes);
    }

    /** On demand, with a proof computed within the self-check's bound (see {@link #runIfDue(Supplier, Probe...)}). */
    public SelfCheckReport run(Supplier<String> proof, Probe... eventProbes) {
        Started started = early.getAndSet(null);
        if (started == null) {
            started = start();
        }
        long start = started.nanos();
        // All calls start together, so each one's bound is measured from the start, capped by the whole bound; calls
        // started early have had at least that long already.
        long deadline = System.nanoTime()
                + Math.min(totalTimeout.toNanos(), probeTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS));
        List<Probe> probes = new ArrayList<>(staticProbes);
        List<Future<?>> futures = new ArrayList<>(started.probes());
        if (eventProbes != null) {
            for (Probe p : eventProbes) {
                if (p != null) {
                    probes.add(p);
                    futures.add(submit(p));
                }
            }
        }
        Future<String> identityFuture = started.identity();
        // The caller's proof, else the builder's, which start() has already begun whenever there is one.
        Future<String> proofFuture = proof != null
                ? executor.submit(proof::get)
                : started.proof() != null
                        ? started.proof()
                        : java.util.concurrent.CompletableFuture.completedFuture("no proof given");

        String identity = null;
        String identityProblem = null;
        try {
            identity = identityFuture.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            identityFuture.cancel(true);
            identityProblem = Classifier.classify(e).detail();
        }
        boolean matches = Identities.callerIsRole(identity, expectedRoleArn);

        List<ProbeResult> results = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            Future<?> f = futures.get(i);
            Classifier.Classification c;
            try {
                f.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                c = Classifier.allowed();
            } catch (TimeoutException e) {
                f.cancel(true);
                c = Classifier.classify(new TimeoutException("no answer within the self-check bound"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                c = Classifier.classify(e);
            } catch (Exception e) {
                c = Classifier.classify(e, p.action());
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

        String proofText;
        try {
            proofText = proofFuture.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            proofFuture.cancel(true);
            proofText = "proof not established: " + Classifier.classify(e).detail();
        }

        boolean localCredentials = samLocal || !matches;
        String warning = warning(identity, identityProblem, matches);
        String verdict = verdict(results, matches);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        SelfCheckReport report = new SelfCheckReport(
                functionName,
                pattern,
                identity,
                expectedRoleArn,
                matches,
                proofText,
                verdict,
                localCredentials,
                warning,
                results,
                durationMs);
        log.println(report.toJson());
        return report;
    }

    /**
     * Registers the after-response extension where Lambda's Extensions API is ({@link AfterResponse}); elsewhere
     * starts the identity call and the init-time probes on background threads, so that at a cold start they overlap
     * the runtime reading the first event and the handler's own work, and the next run (the first invocation's) waits
     * for them and reports. Call it last in the handler's constructor (registration is refused once init is over).
     * Does nothing when the mode is off or a start is already pending.
     */
    public void startEarly() {
        if (mode != Mode.OFF && extensionTried.compareAndSet(false, true)) {
            // During init, on this thread: Lambda takes registrations only before the runtime's first request.
            afterResponse = AfterResponse.register(env);
        }
        // With the extension a delivery's report comes after the response: calls started now would only take the CPU
        // from the cold start's own path.
        if (mode != Mode.OFF && afterResponse == null && early.get() == null) {
            early.compareAndSet(null, start());
        }
    }

    /**
     * Forgets results started before a SnapStart snapshot and makes the next invocation run again (mode first): they
     * were made in the snapshot's init, with credentials the restored environment no longer holds.
     */
    void resetAfterRestore() {
        Started stale = early.getAndSet(null);
        if (stale != null) {
            stale.identity().cancel(true);
            if (stale.proof() != null) {
                stale.proof().cancel(true);
            }
            stale.probes().forEach(f -> f.cancel(true));
        }
        firstDone.set(false);
    }

    private Started start() {
        long nanos = System.nanoTime();
        Future<String> id = executor.submit(identity);
        Future<String> proof = standingProof == null ? null : executor.submit(standingProof::get);
        List<Future<?>> probeFutures = new ArrayList<>();
        for (Probe p : staticProbes) {
            probeFutures.add(submit(p));
        }
        return new Started(nanos, id, proof, probeFutures);
    }

    private Future<?> submit(Probe p) {
        return executor.submit(() -> {
            p.call().call();
            return null;
        });
    }

    private record Started(long nanos, Future<String> identity, Future<String> proof, List<Future<?>> probes) {}

    /**
     * Whether {@link #runIfDue} would run now; in mode first this claims the one run, so call it only right before
     * running. Prefer {@link #runIfDue(Supplier, Probe...)}.
     */
    private boolean isDue() {
        if (mode == Mode.OFF) {
            return false;
        }
        return mode == Mode.EVERY || firstDone.compareAndSet(false, true);
    }

    /**
     * True when {@code callerArn} (an sts:GetCallerIdentity ARN) is a session of the role {@code roleArn}: same
     * partition, account and role name (the session ARN carries no role path). For proofs such as "B's caller identity
     * is the expected role".
     */
    public static boolean isSessionOf(String callerArn, String roleArn) {
        return Identities.callerIsRole(callerArn, roleArn);
    }

    /**
     * True for the documented on-demand event {"roleproof": "self-check"}: as a Map (untyped handlers), as a request
     * POJO with getRoleproof() (or a record's roleproof()) == "self-check", or as a typed SQS/DynamoDB/S3 event whose
     * Records are null or empty — the Java runtime's reading of that JSON, which a real delivery never gives.
     */
    public static boolean isSelfCheckRequest(Object typedEvent) {
        if (typedEvent == null) {
            return false;
        }
        if (typedEvent instanceof Map) {
            return "self-check".equals(((Map<?, ?>) typedEvent).get("roleproof"));
        }
        Object roleproof = callGetter(typedEvent, "getRoleproof");
        if (roleproof == null) {
            roleproof = callGetter(typedEvent, "roleproof"); // a record's accessor
        }
        if (roleproof != null) {
            return "self-check".equals(roleproof);
        }
        if (!hasGetter(typedEvent, "getRecords")) {
            return false;
        }
        // SQSEvent and DynamodbEvent come out with null Records, S3Event with an empty list (measured with
        // aws-lambda-java-serialization 1.4.1); a real delivery always has at least one record.
        Object records = callGetter(typedEvent, "getRecords");
        return records == null || records instanceof Collection && ((Collection<?>) records).isEmpty();
    }

    private static boolean hasGetter(Object o, String name) {
        try {
            o.getClass().getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object callGetter(Object o, String name) {
        try {
            Method m = o.getClass().getMethod(name);
            m.trySetAccessible(); // a public getter on a non-public class
            return m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private String verdict(List<ProbeResult> results, boolean identityMatches) {
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

    private String warning(String identity, String identityProblem, boolean matches) {
        List<String> parts = new ArrayList<>();
        if (samLocal) {
            parts.add("AWS_SAM_LOCAL=true: these results reflect the developer's credentials passed to sam local,"
                    + " not the execution role");
        }
        if (identityProblem != null) {
            parts.add("could not read the caller identity (" + identityProblem + "): results cannot be tied to the"
                    + " execution role");
        } else if (expectedRoleArn == null) {
            parts.add("ROLEPROOF_EXPECTED_ROLE_ARN is not set: cannot tell whether " + identity
                    + " is the execution role");
        } else if (!matches) {
            parts.add("the caller " + identity + " is not the expected role " + expectedRoleArn
                    + ": these results reflect the developer's (or another) credentials, not the execution role");
        }
        if (modeWarning != null) {
            parts.add(modeWarning);
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
        if (expectedRoleArn == null) {
            return "(ROLEPROOF_EXPECTED_ROLE_ARN not set)";
        }
        return expectedRoleArn.substring(expectedRoleArn.lastIndexOf('/') + 1);
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Builds a SelfCheck; an identity call and a pattern from {@link #PATTERNS} are required. */
    public static final class Builder {
        private final String functionName;
        private final String pattern;
        private Callable<String> identity;
        private Supplier<String> proof;
        private String expectedRoleArn;
        private final List<Probe> probes = new ArrayList<>();
        private UnaryOperator<String> env = System::getenv;
        private PrintStream log = System.out;
        private Duration probeTimeout = Probe.PROBE_TIMEOUT;
        private Duration totalTimeout = TOTAL_TIMEOUT;

        private Builder(String functionName, String pattern) {
            this.functionName = Objects.requireNonNull(functionName, "functionName");
            if (!PATTERNS.contains(pattern)) {
                throw new IllegalArgumentException(
                        "Unknown self-check pattern '" + pattern + "': expected one of " + PATTERNS);
            }
            this.pattern = pattern;
        }

        /**
         * Who the function really is: a call returning its sts:GetCallerIdentity ARN, e.g. {@link CallerIdentity} on
         * the handler's HTTP client, or {@code () -> sts.getCallerIdentity().arn()} where an StsClient exists anyway.
         */
        public Builder identity(Callable<String> identity) {
            this.identity = identity;
            return this;
        }

        /**
         * A proof that needs no event (e.g. "B's caller identity is a session of the expected role"): it starts with
         * the identity call, early, and {@link SelfCheck#runIfDue()} / {@link SelfCheck#run()} report it.
         */
        public Builder proof(Supplier<String> proof) {
            this.proof = proof;
            return this;
        }

        /** The execution role's ARN: handlers pass System.getenv("ROLEPROOF_EXPECTED_ROLE_ARN"). */
        public Builder expectedRoleArn(String arn) {
            this.expectedRoleArn = arn;
            return this;
        }

        /** A probe known at init (its resource comes from the environment, not from the event). */
        public Builder probe(Probe p) {
            probes.add(Objects.requireNonNull(p, "probe"));
            return this;
        }

        /** Where ROLEPROOF_SELF_CHECK and AWS_SAM_LOCAL are read (System::getenv by default; tests pass a map). */
        public Builder environment(UnaryOperator<String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /** Where the one JSON line goes (System.out by default: Lambda sends it to CloudWatch Logs). */
        public Builder log(PrintStream log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Bound of one probe's future, over the SDK's own per-call timeout (default {@link Probe#PROBE_TIMEOUT}). */
        public Builder probeTimeout(Duration d) {
            this.probeTimeout = Objects.requireNonNull(d, "probeTimeout");
            return this;
        }

        /** Bound of the whole self-check (default {@link SelfCheck#TOTAL_TIMEOUT}). */
        public Builder totalTimeout(Duration d) {
            this.totalTimeout = Objects.requireNonNull(d, "totalTimeout");
            return this;
        }

        public SelfCheck build() {
            if (identity == null) {
                throw new IllegalStateException("SelfCheck for " + functionName + " needs .identity(call)");
            }
            return new SelfCheck(this);
        }
    }
}
