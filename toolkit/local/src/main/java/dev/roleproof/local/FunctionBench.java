package dev.roleproof.local;

import dev.roleproof.local.aws.MotoServer;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.RoleSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The functions part of {@code roleproof bench}: per function the zip SAM would upload and "fresh JVM, first event
 * handled" against moto, next to a baseline handler written the sam init way (toolkit/bench-baselines) doing the same
 * AWS work with the same environment, and the same function after SnapStart's hooks (emulated). Resources come from
 * {@link Deployer}, as in {@code roleproof local}; calls go straight to moto (no enforcing proxy) so neither side pays
 * for judging.
 */
public final class FunctionBench {

    /** Goals (issue 13): the ratios are judged in one run, side by side. */
    public static final long ZIP_MAX_BYTES = 10_000_000;

    public static final double ZIP_RATIO_MAX = 0.6;
    public static final double COLD_START_RATIO_MAX = 0.8;
    public static final double RESTORE_RATIO_MAX = 0.3;
    public static final double SNAPSTART_SELF_CHECK_SHARE_MAX = 0.10;

    /**
     * One function's figures. On demand: the cold start with the template's ROLEPROOF_SELF_CHECK (first), and with it
     * off; what the self-check adds is their difference (its report comes before the response). SnapStart (emulated):
     * init and the beforeCheckpoint hook run, then afterRestore and the first event, timed from the restore (no CRaC
     * JVM here, so Lambda's own restore time is not in it), with the self-check and without.
     */
    public record Result(
            String name,
            long zipBytes,
            long baselineZipBytes,
            double coldStartMs,
            double baselineMs,
            double withoutSelfCheckMs,
            double snapStartMs,
            double snapStartWithoutSelfCheckMs,
            boolean handled,
            boolean baselineHandled) {

        public double zipRatio() {
            return (double) zipBytes / baselineZipBytes;
        }

        public double coldStartRatio() {
            return coldStartMs / baselineMs;
        }

        /** The first invocation after a restore, over the same function's on-demand cold start. */
        public double restoreRatio() {
            return snapStartMs / coldStartMs;
        }

        /** On demand, what the self-check adds to the cold start (no goal: it is reported). */
        public double selfCheckAddedMs() {
            return Math.max(0, coldStartMs - withoutSelfCheckMs);
        }

        public double selfCheckShare() {
            return selfCheckAddedMs() / coldStartMs;
        }

        /** Under SnapStart, what the self-check adds to the first invocation after a restore. */
        public double snapStartSelfCheckShare() {
            return Math.max(0, snapStartMs - snapStartWithoutSelfCheckMs) / snapStartMs;
        }

        /** The goals this function misses, in words; empty when it meets them all. */
        public List<String> missed() {
            List<String> out = new ArrayList<>();
            if (zipBytes > ZIP_MAX_BYTES) {
                out.add("zip > 10 MB");
            }
            if (zipRatio() > ZIP_RATIO_MAX) {
                out.add(String.format("zip %.2fx the baseline's (goal <= %.1f)", zipRatio(), ZIP_RATIO_MAX));
            }
            if (coldStartRatio() > COLD_START_RATIO_MAX) {
                out.add(String.format(
                        "cold start %.2fx the baseline's (goal <= %.1f)", coldStartRatio(), COLD_START_RATIO_MAX));
            }
            if (restoreRatio() > RESTORE_RATIO_MAX) {
                out.add(String.format(
                        "after restore %.2fx the cold start (goal <= %.1f)", restoreRatio(), RESTORE_RATIO_MAX));
            }
            if (snapStartSelfCheckShare() > SNAPSTART_SELF_CHECK_SHARE_MAX) {
                out.add(String.format(
                        "self-check %.0f%% after restore (goal <= %.0f%%)",
                        100 * snapStartSelfCheckShare(), 100 * SNAPSTART_SELF_CHECK_SHARE_MAX));
            }
            return out;
        }
    }

    /** Pattern, its event file, and its baseline: module under toolkit/bench-baselines and handler. */
    private record Bench(String pattern, String event, String baselineModule, String baselineHandler) {}

    private static final List<Bench> BENCHES = List.of(
            new Bench(Stacks.SQS, "sqs-consumer.json", "sqs", "dev.roleproof.baselines.SqsBaseline"),
            new Bench(Stacks.STREAM, "ddb-stream-processor.json", "stream", "dev.roleproof.baselines.StreamBaseline"),
            new Bench(Stacks.S3, "s3-object-processor.json", "s3", "dev.roleproof.baselines.S3Baseline"),
            new Bench(
                    Stacks.XACCT,
                    "cross-account-reader.json",
                    "cross-account",
                    "dev.roleproof.baselines.CrossAccountBaseline"));

    private FunctionBench() {}

    /**
     * @param runs fresh JVMs per side and function; the figure is their median
     * @throws LocalException when the functions or baselines are not built, or moto cannot start
     */
    public static List<Result> run(LocalOptions o, int runs, Consumer<String> progress) {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        for (Bench b : BENCHES) {
            Path baseline = baselineDir(o.root(), b);
            if (!Files.isDirectory(baseline)) {
                throw new LocalException(baseline + " is not built; build first: ./mvnw -B -q -DskipTests package");
            }
        }
        Stacks stacks;
        try {
            stacks = Stacks.load(o.template(), o.target(), o.account(), o.targetAccount(), Map.of(), Map.of());
        } catch (dev.roleproof.template.TemplateException e) {
            throw new LocalException(e.getMessage(), e);
        }
        List<Result> results = new ArrayList<>();
        try (MotoServer moto = o.endpoint() == null ? MotoServer.start() : MotoServer.attach(o.endpoint());
                Aws aws = new Aws(stacks.a().region())) {
            LambdaService lambda = new LambdaService(aws, null, null, null, o.root());
            Deployer deployer = new Deployer(aws, moto.endpoint(), progress);
            Stacks deployed = deployer.deployCore(stacks);
            deployer.deployRest(deployed, o.root().resolve("events/cross-account-reader.json"));
            uploadEventObjects(aws, moto, deployed, o.root().resolve("events/s3-object-processor.json"));
            for (Bench b : BENCHES) {
                FunctionSpec f = deployed.function(b.pattern())
                        .orElseThrow(
                                () -> new LocalException(o.template() + ": no function for pattern " + b.pattern()));
                Path artifact;
                try {
                    artifact = lambda.artifactOf(f);
                } catch (LambdaService.MissingBuildException e) {
                    throw new LocalException(e.getMessage(), e);
                }
                Path baseline = baselineDir(o.root(), b);
                String event = Files.readString(o.root().resolve("events").resolve(b.event()));
                Map<String, String> env = environment(aws, moto, deployed, f, artifact);
                Map<String, String> envOff = new LinkedHashMap<>(env);
                envOff.put("ROLEPROOF_SELF_CHECK", "off");
                double[] cold = new double[runs];
                double[] off = new double[runs];
                double[] base = new double[runs];
                double[] primed = new double[runs];
                double[] primedOff = new double[runs];
                boolean handled = true;
                boolean baseHandled = true;
                for (int i = 0; i < runs; i++) {
                    // Interleave the variants so drifting load on the machine hits all alike.
                    Run fn = coldStart(f.functionName(), f.handler(), artifact, env, f, event);
                    Run bl = coldStart(f.functionName() + "-baseline", b.baselineHandler(), baseline, env, f, event);
                    Run fnOff = coldStart(f.functionName(), f.handler(), artifact, envOff, f, event);
                    Run snap = afterRestore(f.functionName(), f.handler(), artifact, env, f, event);
                    Run snapOff = afterRestore(f.functionName(), f.handler(), artifact, envOff, f, event);
                    cold[i] = fn.millis;
                    off[i] = fnOff.millis;
                    base[i] = bl.millis;
                    primed[i] = snap.millis;
                    primedOff[i] = snapOff.millis;
                    handled &= fn.handled && fnOff.handled && snap.handled && snapOff.handled;
                    baseHandled &= bl.handled;
                }
                Result r = new Result(
                        f.logicalId(),
                        zipBytes(artifact),
                        zipBytes(baseline),
                        median(cold),
                        median(base),
                        median(off),
                        median(primed),
                        median(primedOff),
                        handled,
                        baseHandled);
                progress.accept(String.format(
                        "%s: cold start %.0f ms, baseline %.0f ms", r.name(), r.coldStartMs(), r.baselineMs()));
                results.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    private static Path baselineDir(Path root, Bench b) {
        return root.resolve("toolkit/bench-baselines")
                .resolve(b.baselineModule())
                .resolve("target/lambda");
    }

    private record Run(double millis, boolean handled) {}

    private static Run coldStart(
            String name, String handler, Path artifact, Map<String, String> env, FunctionSpec f, String event) {
        long start = System.nanoTime();
        try (FunctionRuntime rt = FunctionRuntime.start(
                name, handler, artifact, env, f.functionArn(), Math.max(30, f.timeoutSeconds()))) {
            FunctionRuntime.Invocation inv = rt.invoke(event);
            // "First event handled": when the caller has the response.
            return new Run((inv.respondedAtNanos() - start) / 1e6, !inv.error());
        } catch (FunctionRuntime.FunctionInitException e) {
            throw new LocalException(e.getMessage(), e);
        }
    }

    /**
     * SnapStart as far as it can run here: init and the CRaC priming hooks, then afterRestore and the first event,
     * timed from the "restore" (no CRaC JVM, so Lambda's own restore time is not in it).
     */
    private static Run afterRestore(
            String name, String handler, Path artifact, Map<String, String> env, FunctionSpec f, String event) {
        try (FunctionRuntime rt = FunctionRuntime.startPrimed(
                name, handler, artifact, env, f.functionArn(), Math.max(30, f.timeoutSeconds()))) {
            long start = System.nanoTime();
            FunctionRuntime.Invocation inv = rt.invoke(event);
            return new Run((inv.respondedAtNanos() - start) / 1e6, !inv.error());
        } catch (FunctionRuntime.FunctionInitException e) {
            throw new LocalException(e.getMessage(), e);
        }
    }

    /**
     * Puts the objects the S3 event names (its sizes, keys decoded as S3 encodes them), so both sides read real
     * objects rather than answer 404s.
     */
    private static void uploadEventObjects(Aws aws, MotoServer moto, Stacks stacks, Path eventFile) throws IOException {
        com.fasterxml.jackson.databind.JsonNode event =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(eventFile.toFile());
        try (software.amazon.awssdk.services.s3.S3Client s3 =
                aws.admin(moto.endpoint(), stacks.a().account()).s3()) {
            for (com.fasterxml.jackson.databind.JsonNode record : event.path("Records")) {
                String bucket = record.path("s3").path("bucket").path("name").asText();
                String key = java.net.URLDecoder.decode(
                        record.path("s3").path("object").path("key").asText(), java.nio.charset.StandardCharsets.UTF_8);
                int size = (int) Math.min(
                        1 << 20,
                        Math.max(
                                0, record.path("s3").path("object").path("size").asLong()));
                s3.putObject(
                        r -> r.bucket(bucket).key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[size]));
            }
        }
    }

    /** What LambdaService gives a function, minus the proxy: the role's session credentials, straight to moto. */
    private static Map<String, String> environment(
            Aws aws, MotoServer moto, Stacks stacks, FunctionSpec f, Path artifact) {
        RoleSpec role = stacks.roleOf(f).orElseThrow(() -> new LocalException(f.logicalId() + ": role not declared"));
        Credentials c;
        try (StsClient sts =
                aws.admin(moto.endpoint(), LambdaService.accountOf(role.arn())).sts()) {
            c = sts.assumeRole(r -> r.roleArn(role.arn())
                            .roleSessionName(f.functionName())
                            .durationSeconds(3600))
                    .credentials();
        }
        return LambdaService.lambdaEnvironment(f, c, stacks.a().region(), moto.endpoint(), artifact);
    }

    /** The zip next to the lambda layout (NAME/target/*.zip): what SAM uploads. 0 when not built. */
    static long zipBytes(Path lambdaDir) throws IOException {
        try (Stream<Path> files = Files.list(lambdaDir.getParent())) {
            List<Path> zips = files.filter(p -> p.getFileName().toString().endsWith(".zip"))
                    .toList();
            return zips.isEmpty() ? 0 : Files.size(zips.get(0));
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
