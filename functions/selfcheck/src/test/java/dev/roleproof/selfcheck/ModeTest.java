package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roleproof.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ROLEPROOF_SELF_CHECK=off|first|every, and run() on demand, with moto's STS for the identity. */
class ModeTest {

    private static CallerIdentity identity;
    private final AtomicInteger probeCalls = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeAll
    static void moto() {
        identity = new Aws(MotoServer.shared().endpoint(), Aws.ADMIN, null).identity();
    }

    private SelfCheck check(String mode) {
        Map<String, String> env = mode == null ? Map.of() : Map.of("ROLEPROOF_SELF_CHECK", mode);
        return SelfCheck.builder("F", "sqs-esm")
                .identity(identity)
                .expectedRoleArn("arn:aws:iam::123456789012:role/R")
                .environment(env::get)
                .log(new PrintStream(logged, true, StandardCharsets.UTF_8))
                .probe(Probe.require("sqs:GetQueueAttributes", "q", probeCalls::incrementAndGet))
                .build();
    }

    private int loggedLines() {
        String s = logged.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? 0 : s.split("\n").length;
    }

    @Test
    void offNeverRunsButOnDemandStillDoes() {
        SelfCheck c = check("off");
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.OFF);
        assertThat(c.runIfDue("p")).isNull();
        assertThat(c.runIfDue("p")).isNull();
        assertThat(probeCalls).hasValue(0);
        assertThat(loggedLines()).isZero();
        assertThat(c.run("p")).isNotNull();
        assertThat(probeCalls).hasValue(1);
        assertThat(loggedLines()).isEqualTo(1);
    }

    @Test
    void firstIsTheDefaultAndRunsOncePerEnvironmentEvenUnderConcurrentCalls() throws Exception {
        SelfCheck c = check(null);
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.FIRST);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SelfCheckReport>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return c.runIfDue("p");
            }));
        }
        go.countDown();
        int reports = 0;
        for (Future<SelfCheckReport> f : results) {
            reports += f.get() == null ? 0 : 1;
        }
        pool.shutdown();
        assertThat(reports).isEqualTo(1);
        assertThat(probeCalls).hasValue(1);
        assertThat(loggedLines()).isEqualTo(1);
        assertThat(c.runIfDue("p")).isNull();
    }

    @Test
    void anEarlyStartIsTakenByTheFirstRunAndNotRepeated() throws Exception {
        SelfCheck c = check("first");
        c.startEarly();
        c.startEarly(); // a second call while one is pending starts nothing more
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (probeCalls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(probeCalls)
                .as("the probe runs in the background, before any invocation")
                .hasValue(1);
        assertThat(loggedLines())
                .as("nothing is reported before an invocation asks")
                .isZero();
        SelfCheckReport r = c.runIfDue("p");
        assertThat(r.identity()).isNotNull();
        assertThat(r.probes())
                .singleElement()
                .satisfies(p -> assertThat(p.observed()).isEqualTo(Observed.ALLOWED));
        assertThat(probeCalls)
                .as("the early calls are reported, not made again")
                .hasValue(1);
        assertThat(c.runIfDue("p")).isNull();
    }

    @Test
    void offStartsNothingEarly() throws Exception {
        SelfCheck c = check("off");
        c.startEarly();
        Thread.sleep(100);
        assertThat(probeCalls).hasValue(0);
    }

    @Test
    void primingRunsBeforeTheSnapshotAndTheFirstInvocationAfterARestoreRunsAgain() {
        SelfCheck c = check("first");
        AtomicInteger primed = new AtomicInteger();
        c.startEarly();
        SnapStartPriming hooks = SnapStartPriming.register(c, primed::incrementAndGet);
        hooks.beforeCheckpoint(null); // what Lambda calls before the snapshot (no CRaC JVM here: called directly)
        assertThat(primed).hasValue(1);
        assertThat(loggedLines()).isEqualTo(1);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("priming before the SnapStart snapshot");
        hooks.afterRestore(null);
        SelfCheckReport afterRestore = c.runIfDue("p");
        assertThat(afterRestore).as("restored credentials are proven again").isNotNull();
        assertThat(afterRestore.proof()).isEqualTo("p");
        assertThat(c.runIfDue("p")).isNull();
        assertThat(probeCalls).hasValue(2);
    }

    @Test
    void primingWithTheSelfCheckOffOnlyWarmsTheHandlerPath() {
        SelfCheck c = check("off");
        AtomicInteger primed = new AtomicInteger();
        SnapStartPriming.register(c, primed::incrementAndGet).prime();
        assertThat(primed).hasValue(1);
        assertThat(probeCalls).hasValue(0);
        assertThat(loggedLines()).isZero();
    }

    @Test
    void everyRunsEachTime() {
        SelfCheck c = check("EVERY");
        for (int i = 0; i < 3; i++) {
            assertThat(c.runIfDue("p")).isNotNull();
        }
        assertThat(probeCalls).hasValue(3);
        assertThat(loggedLines()).isEqualTo(3);
    }

    @Test
    void anUnknownModeFallsBackToFirstAndSaysSo() {
        SelfCheck c = check("sometimes");
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.FIRST);
        SelfCheckReport r = c.runIfDue("p");
        assertThat(r.warning()).contains("ROLEPROOF_SELF_CHECK='sometimes' is not off|first|every");
        assertThat(c.runIfDue("p")).isNull();
    }

    @Test
    void aCostlyProofIsOnlyComputedWhenDueAndWithinTheBound() {
        AtomicInteger proofCalls = new AtomicInteger();
        SelfCheck c = check("first");
        assertThat(c.runIfDue(() -> "proof " + proofCalls.incrementAndGet()).proof())
                .isEqualTo("proof 1");
        assertThat(c.runIfDue(() -> "proof " + proofCalls.incrementAndGet())).isNull();
        assertThat(proofCalls).hasValue(1);

        long start = System.nanoTime();
        SelfCheckReport slow = c.run(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "never";
        });
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(SelfCheck.TOTAL_TIMEOUT.toMillis());
        assertThat(slow.proof()).startsWith("proof not established: timed out");

        SelfCheckReport failing = c.run(() -> {
            throw new IllegalStateException("AssumeRole refused");
        });
        assertThat(failing.proof()).isEqualTo("proof not established: IllegalStateException: AssumeRole refused");
    }

    @Test
    void isSessionOfComparesRoleNameAndAccount() {
        assertThat(SelfCheck.isSessionOf(
                        "arn:aws:sts::222222222222:assumed-role/Target/s", "arn:aws:iam::222222222222:role/ops/Target"))
                .isTrue();
        assertThat(SelfCheck.isSessionOf(
                        "arn:aws:sts::222222222222:assumed-role/Target/s", "arn:aws:iam::111111111111:role/Target"))
                .isFalse();
    }
}
