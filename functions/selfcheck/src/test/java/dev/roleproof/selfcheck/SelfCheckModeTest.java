package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * ROLEPROOF_SELF_CHECK (off, first, every), the on-demand run, the early start, SnapStart's prime and reset, and the
 * bound, with a stand-in identity call and probes that count their calls (no AWS: what is tested is when the
 * self-check runs and how it reports, not what a call answers).
 */
class SelfCheckModeTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/R";
    private final AtomicInteger probeCalls = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private SelfCheck.Builder<String> builder(Map<String, String> env) {
        return SelfCheck.builder(String.class, "test-pattern")
                .functionName("F")
                .identity(() -> "arn:aws:sts::123456789012:assumed-role/R/F")
                .expectedRoleArn(ROLE)
                .environment(env::get)
                .log(new PrintStream(logged, true, StandardCharsets.UTF_8))
                .require("sqs:GetQueueAttributes", "q", probeCalls::incrementAndGet)
                .proof(event -> "delivered " + event);
    }

    private SelfCheck<String> check(String mode) {
        Map<String, String> env = new HashMap<>();
        if (mode != null) {
            env.put("ROLEPROOF_SELF_CHECK", mode);
        }
        return builder(env).build();
    }

    private int loggedLines() {
        String s = logged.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? 0 : s.split("\n").length;
    }

    @Test
    void offNeverRunsAfterADeliveryButOnDemandStillDoes() {
        SelfCheck<String> c = check("off");
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.OFF);
        assertThat(c.runIfDue("e")).isNull();
        assertThat(probeCalls).hasValue(0);
        assertThat(loggedLines()).isZero();
        assertThat(c.runOnDemand().verdict()).isEqualTo("PASS");
        assertThat(probeCalls).hasValue(1);
        assertThat(loggedLines()).isEqualTo(1);
    }

    @Test
    void firstIsTheDefaultAndRunsOncePerEnvironmentEvenUnderConcurrentCalls() throws Exception {
        SelfCheck<String> c = check(null);
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.FIRST);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SelfCheckReport>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return c.runIfDue("e");
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
        assertThat(c.runIfDue("e")).isNull();
    }

    @Test
    void anOnDemandRunLeavesTheFirstDeliverysRunToCome() {
        SelfCheck<String> c = check("first");
        assertThat(c.runOnDemand().proof()).startsWith("on demand: no event from the pattern's source");
        SelfCheckReport delivery = c.runIfDue("e");
        assertThat(delivery).isNotNull();
        assertThat(delivery.proof()).isEqualTo("delivered e");
    }

    @Test
    void everyRunsEachTime() {
        SelfCheck<String> c = check("EVERY");
        for (int i = 0; i < 3; i++) {
            assertThat(c.runIfDue("e")).isNotNull();
        }
        assertThat(probeCalls).hasValue(3);
        assertThat(loggedLines()).isEqualTo(3);
    }

    @Test
    void anEarlyStartIsTakenByTheFirstRunAndNotRepeated() throws Exception {
        SelfCheck<String> c = check("first");
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
        SelfCheckReport r = c.runIfDue("e");
        assertThat(r.probes())
                .singleElement()
                .satisfies(p -> assertThat(p.observed()).isEqualTo(Observed.ALLOWED));
        assertThat(probeCalls)
                .as("the early calls are reported, not made again")
                .hasValue(1);
    }

    @Test
    void offStartsNothingEarlyAndPrimesOnlyTheHandlersPath() throws Exception {
        AtomicInteger primed = new AtomicInteger();
        SelfCheck<String> c = builder(Map.of("ROLEPROOF_SELF_CHECK", "off"))
                .primeWith(primed::incrementAndGet)
                .build();
        c.startEarly();
        assertThat(c.prime()).isNull();
        Thread.sleep(100);
        assertThat(probeCalls).hasValue(0);
        assertThat(loggedLines()).isZero();
        assertThat(primed).hasValue(1);
    }

    @Test
    void primingRunsBeforeTheSnapshotAndTheFirstInvocationAfterARestoreRunsAgain() {
        SelfCheck<String> c = check("first");
        c.startEarly();
        assertThat(c.prime().proof()).startsWith("priming before the SnapStart snapshot");
        c.resetAfterRestore();
        c.startEarly();
        SelfCheckReport afterRestore = c.runIfDue("e");
        assertThat(afterRestore).as("the restored environment is proven again").isNotNull();
        assertThat(c.runIfDue("e")).isNull();
        assertThat(probeCalls).hasValue(2);
        assertThat(loggedLines()).isEqualTo(2);
    }

    @Test
    void afterARestoreTheIdentityReadBeforeTheSnapshotIsKeptAndTheProbesRunAgain() {
        AtomicInteger identityCalls = new AtomicInteger();
        SelfCheck<String> c = builder(Map.of())
                .identity(() -> {
                    identityCalls.incrementAndGet();
                    return "arn:aws:sts::123456789012:assumed-role/R/F";
                })
                .build();
        c.prime();
        c.resetAfterRestore();
        c.startEarly();
        SelfCheckReport afterRestore = c.runIfDue("e");
        assertThat(afterRestore.identity()).isEqualTo("arn:aws:sts::123456789012:assumed-role/R/F");
        assertThat(afterRestore.verdict()).isEqualTo("PASS");
        // A published version's role cannot change: STS is not asked again, the permissions are.
        assertThat(identityCalls).hasValue(1);
        assertThat(probeCalls).hasValue(2);
    }

    @Test
    void unknownSettingsFallBackAndSaySo() {
        SelfCheck<String> c = builder(
                        Map.of("ROLEPROOF_SELF_CHECK", "sometimes", "ROLEPROOF_SELF_CHECK_TIMEOUT_MS", "soon"))
                .build();
        assertThat(c.mode()).isEqualTo(SelfCheck.Mode.FIRST);
        assertThat(c.timeout()).isEqualTo(SelfCheck.DEFAULT_TIMEOUT);
        assertThat(c.runIfDue("e").warning())
                .contains("ROLEPROOF_SELF_CHECK='sometimes' is not off|first|every")
                .contains("ROLEPROOF_SELF_CHECK_TIMEOUT_MS='soon' is not a positive number");
    }

    @Test
    void aCallPastTheBoundIsInconclusiveAndSaysWhichBound() {
        SelfCheck<String> c = builder(Map.of("ROLEPROOF_SELF_CHECK_TIMEOUT_MS", "200"))
                .forbid("s3:ListAllMyBuckets", "*", () -> Thread.sleep(60_000))
                .build();
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(200));
        SelfCheckReport r = c.runIfDue("e");
        assertThat(r.verdict()).isEqualTo("INCONCLUSIVE");
        assertThat(r.probes().get(1).observed()).isEqualTo(Observed.INCONCLUSIVE);
        assertThat(r.probes().get(1).detail())
                .startsWith("timed out")
                .contains("200 ms (ROLEPROOF_SELF_CHECK_TIMEOUT_MS)");
    }

    @Test
    void aProofIsComputedOnlyWhenDueAndAFailingOneIsSaid() {
        AtomicInteger proofs = new AtomicInteger();
        SelfCheck<String> c = builder(Map.of())
                .proof(event -> "proof " + proofs.incrementAndGet())
                .onDemandProof(() -> {
                    throw new IllegalStateException("AssumeRole refused");
                })
                .build();
        assertThat(c.runIfDue("e").proof()).isEqualTo("proof 1");
        assertThat(c.runIfDue("e")).isNull();
        assertThat(proofs).hasValue(1);
        assertThat(c.runOnDemand().proof())
                .isEqualTo("proof not established: IllegalStateException: AssumeRole refused");
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
