package dev.roleproof.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * AWS work with the same environment. Resources come from {@link Deployer}, as in {@code roleproof local}; calls go
 * straight to moto (no enforcing proxy) so neither side pays for judging.
 */
public final class FunctionBench {

    /**
     * One function's figures. The self-check's share is what it adds to the cold start: the cold start with the
     * template's ROLEPROOF_SELF_CHECK minus the same function's with it off, over the former (0 when within noise below
     * zero). Its own logged duration is reported too but is not its cost: it runs on background threads from init,
     * overlapping the runtime's and the handler's work. Where the self-check reports after the response (its Lambda
     * extension, AfterResponse), {@code afterResponseMs} is how long the environment stayed busy after the response: billed
     * duration, not latency.
     */
    public record Result(
            String name,
            long zipBytes,
            double coldStartMs,
            double baselineMs,
            double selfCheckMs,
            double withoutSelfCheckMs,
            double snapStartMs,
            double snapStartWithoutSelfCheckMs,
            double afterResponseMs,
            boolean handled,
            boolean baselineHandled) {
        public double coldStartRatio() {
            return coldStartMs / baselineMs;
        }

        public double selfCheckAddedMs() {
            return Math.max(0, coldStartMs - withoutSelfCheckMs);
        }

        public double selfCheckShare() {
            return selfCheckAddedMs() / coldStartMs;
        }

        /** Under SnapStart (emulated: priming hooks run, restore time not included), what the self-check adds. */
        public double snapStartSelfCheckShare() {
            return Math.max(0, snapStartMs - snapStartWithoutSelfCheckMs) / snapStartMs;
        }
    }

    // Pattern -> (event file, baseline handler of toolkit/bench-baselines).
    private static final Map<String, String[]> PATTERNS = new LinkedHashMap<>();

    static {
        PATTERNS.put(Stacks.SQS, new String[] {"sqs-consumer.json", "dev.roleproof.baselines.SqsBaseline"});
        PATTERNS.put(
                Stacks.STREAM, new String[] {"ddb-stream-processor.json", "dev.roleproof.baselines.StreamBaseline"});
        PATTERNS.put(Stacks.S3, new String[] {"s3-object-processor.json", "dev.roleproof.baselines.S3Baseline"});
        PATTERNS.put(
                Stacks.XACCT,
                new String[] {"cross-account-reader.json", "dev.roleproof.baselines.CrossAccountBaseline"});
    }

    private FunctionBench() {}

    /**
     * @param runs fresh JVMs per side and function; the figure is their median
     * @throws LocalException when the functions or baselines are not built, or moto cannot start
     */
    public static List<Result> run(LocalOptions o, int runs, Consumer<String> progress) {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        Path baselines = o.root().resolve("toolkit/bench-baselines/target/lambda");
        if (!Files.isDirectory(baselines)) {
            throw new LocalException(baselines + " is not built; build first: ./mvnw -B -q -DskipTests package");
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
            for (Map.Entry<String, String[]> p : PATTERNS.entrySet()) {
                FunctionSpec f = deployed.function(p.getKey())
                        .orElseThrow(
                                () -> new LocalException(o.template() + ": no function for pattern " + p.getKey()));
                Path artifact;
                try {
                    artifact = lambda.artifactOf(f);
                } catch (LambdaService.MissingBuildException e) {
                    throw new LocalException(e.getMessage(), e);
                }
                String event = Files.readString(o.root().resolve("events").resolve(p.getValue()[0]));
                Map<String, String> env = environment(aws, moto, deployed, f, artifact);
                Map<String, String> envOff = new LinkedHashMap<>(env);
                envOff.put("ROLEPROOF_SELF_CHECK", "off");
                double[] cold = new double[runs];
                double[] off = new double[runs];
                double[] base = new double[runs];
                double[] check = new double[runs];
                double[] primed = new double[runs];
                double[] primedOff = new double[runs];
                double[] after = new double[runs];
                boolean handled = true;
                boolean baseHandled = true;
                for (int i = 0; i < runs; i++) {
                    // Interleave the variants so drifting load on the machine hits all alike.
                    Run fn = coldStart(f.functionName(), f.handler(), artifact, env, f, event);
                    Run bl = coldStart(f.functionName() + "-baseline", p.getValue()[1], baselines, env, f, event);
                    Run fnOff = coldStart(f.functionName(), f.handler(), artifact, envOff, f, event);
                    Run snap = afterRestore(f.functionName(), f.handler(), artifact, env, f, event);
                    Run snapOff = afterRestore(f.functionName(), f.handler(), artifact, envOff, f, event);
                    primed[i] = snap.millis;
                    primedOff[i] = snapOff.millis;
                    cold[i] = fn.millis;
                    off[i] = fnOff.millis;
                    base[i] = bl.millis;
                    check[i] = fn.selfCheckMs;
                    after[i] = fn.afterResponseMs;
                    handled &= fn.handled && fnOff.handled && snap.handled && snapOff.handled;
                    baseHandled &= bl.handled;
                }
                Result r = new Result(
                        f.logicalId(),
                        zipBytes(artifact),
                        median(cold),
                        median(base),
                        median(check),
                        median(off),
                        median(primed),
                        median(primedOff),
                        median(after),
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

    private record Run(double millis, double selfCheckMs, double afterResponseMs, boolean handled) {}

    private static Run coldStart(
            String name, String handler, Path artifact, Map<String, String> env, FunctionSpec f, String event) {
        long start = System.nanoTime();
        try (FunctionRuntime rt = FunctionRuntime.start(
                name, handler, artifact, env, f.functionArn(), Math.max(30, f.timeoutSeconds()))) {
            FunctionRuntime.Invocation inv = rt.invoke(event);
            long free = System.nanoTime();
            // "First event handled": when the caller has the response (extensions may still be finishing their work).
            double millis = (inv.respondedAtNanos() - start) / 1e6;
            ObjectNode report = LambdaService.selfCheckReport(inv.logs());
            double selfCheck = report != null && report.has("durationMs")
                    ? report.get("durationMs").asDouble()
                    : Double.NaN;
            return new Run(millis, selfCheck, (free - inv.respondedAtNanos()) / 1e6, !inv.error());
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
            return new Run((inv.respondedAtNanos() - start) / 1e6, Double.NaN, Double.NaN, !inv.error());
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

    /** The zip next to the lambda layout (functions/NAME/target/*.zip): what SAM uploads. 0 when not built. */
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
