package dev.roleproof.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Request;
import dev.roleproof.local.enforce.EnforcingProxy;
import dev.roleproof.local.enforce.Principal;
import dev.roleproof.local.runtime.FunctionRuntime;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.RoleSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The emulated Lambda service: for a function, the engine judges whether lambda.amazonaws.com may assume its
 * execution role (the trust policy), then the role is assumed in moto (session name = function name), its keys are
 * registered with the enforcing proxy, and the handler starts in its own JVM with the function's environment.
 */
final class LambdaService {

    /** The self-check's bound in a local run (Lambda's default is 3 s); below the template's 30 s function timeout. */
    static final int SELF_CHECK_TIMEOUT_MS = 20_000;

    private final Aws aws;
    private final URI moto;
    private final EnforcingProxy proxy;
    private final Evaluator evaluator;
    private final Path root;

    LambdaService(Aws aws, URI moto, EnforcingProxy proxy, Evaluator evaluator, Path root) {
        this.aws = aws;
        this.moto = moto;
        this.proxy = proxy;
        this.evaluator = evaluator;
        this.root = root;
    }

    /** A running function: its model, role session and execution environment. */
    record Environment(
            FunctionSpec function, RoleSpec role, String sessionArn, Aws.Session session, FunctionRuntime runtime)
            implements AutoCloseable {
        FunctionRuntime.Invocation invoke(String payload) {
            return runtime.invoke(payload);
        }

        @Override
        public void close() {
            runtime.close();
        }
    }

    /** Why a function could not be created or started, as AWS would say it. */
    static final class StartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartException(String message) {
            super(message);
        }
    }

    Environment start(FunctionSpec f, Stacks stacks) {
        RoleSpec role = stacks.roleOf(f)
                .orElseThrow(() -> new StartException(f.logicalId() + ": its role " + f.roleArn()
                        + " is not declared in the template, so RoleProof cannot know its policies"));
        String account = accountOf(role.arn());
        Request request =
                Request.of("lambda.amazonaws.com", "sts:AssumeRole", role.arn()).withResourceAccount(account);
        AuthorizationInput input = AuthorizationInput.builder(request)
                .resourcePolicy(role.trustPolicy())
                .build();
        Decision decision = evaluator.evaluate(input, false);
        if (!decision.allowed()) {
            // What CreateFunction answers when the trust policy does not name lambda.amazonaws.com.
            throw new StartException("InvalidParameterValueException: The role defined for the function cannot be"
                    + " assumed by Lambda. (" + role.logicalId() + "'s trust policy: " + decision.message() + ")");
        }
        AssumeRoleResponse assumed;
        try (StsClient sts = aws.admin(moto, account).sts()) {
            assumed = sts.assumeRole(
                    r -> r.roleArn(role.arn()).roleSessionName(f.functionName()).durationSeconds(3600));
        }
        String sessionArn = assumed.assumedRoleUser().arn();
        proxy.registerCredentials(assumed.credentials().accessKeyId(), new Principal(sessionArn, account));
        Path artifact = artifactOf(f);
        // Every SDK client of the handler talks to the enforcing proxy (SDK v2 reads AWS_ENDPOINT_URL).
        Map<String, String> env =
                lambdaEnvironment(f, assumed.credentials(), stacks.a().region(), proxy.endpoint(), artifact);
        FunctionRuntime runtime;
        try {
            runtime = FunctionRuntime.start(
                    f.functionName(), f.handler(), artifact, env, f.functionArn(), Math.max(1, f.timeoutSeconds()));
        } catch (FunctionRuntime.FunctionInitException e) {
            throw new StartException(e.getMessage());
        }
        return new Environment(f, role, sessionArn, aws.session(proxy.endpoint(), assumed.credentials()), runtime);
    }

    /**
     * The environment Lambda gives the function (on-demand, $LATEST), with the template's variables, the execution
     * role's session credentials, and every SDK client pointed at {@code endpoint}.
     */
    static Map<String, String> lambdaEnvironment(
            FunctionSpec f, Credentials session, String region, URI endpoint, Path artifact) {
        Map<String, String> env = new LinkedHashMap<>(f.environment());
        env.put("AWS_ACCESS_KEY_ID", session.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", session.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", session.sessionToken());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(f.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + f.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "roleproof-local/[$LATEST]" + Long.toHexString(System.nanoTime()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + (f.runtime() == null ? "java21" : f.runtime()));
        env.put("LAMBDA_TASK_ROOT", artifact.toString());
        // Moto behind the enforcing proxy on a shared machine answers far slower than AWS: the self-check waits
        // longer here, so a busy machine does not turn its calls into INCONCLUSIVE probes.
        env.putIfAbsent("ROLEPROOF_SELF_CHECK_TIMEOUT_MS", String.valueOf(SELF_CHECK_TIMEOUT_MS));
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        return env;
    }

    /**
     * The function's built Lambda layout: the functions/NAME/target/lambda that holds its handler class, laid out as
     * Lambda unpacks a zip (classes at the root, or under classes/, and lib/*.jar).
     */
    Path artifactOf(FunctionSpec f) {
        String cls = f.handler().contains("::")
                ? f.handler().substring(0, f.handler().indexOf("::"))
                : f.handler();
        String file = cls.replace('.', '/') + ".class";
        List<Path> candidates = new ArrayList<>();
        if (f.codeUri() != null && !f.codeUri().equals(".")) {
            candidates.add(root.resolve(f.codeUri()).resolve("target/lambda"));
        }
        try (Stream<Path> dirs = Files.list(root.resolve("functions"))) {
            dirs.map(d -> d.resolve("target/lambda")).forEach(candidates::add);
        } catch (IOException e) {
            // No functions/ folder: reported below.
        }
        Optional<Path> found = candidates.stream()
                .filter(p -> Files.isRegularFile(p.resolve(file))
                        || Files.isRegularFile(p.resolve("classes").resolve(file)))
                .findFirst();
        return found.orElseThrow(() -> new MissingBuildException("the handler class " + cls + " of " + f.logicalId()
                + " is not built under functions/*/target/lambda; build first: ./mvnw -B -q -DskipTests package"));
    }

    /** The function artifacts are not built: unusable environment (exit 2). */
    static final class MissingBuildException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingBuildException(String message) {
            super(message);
        }
    }

    static String accountOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    /** The self-check report among a function's log lines (its one JSON line), or null. */
    static ObjectNode selfCheckReport(List<String> lines) {
        ObjectNode found = null;
        for (String line : lines) {
            String s = line.trim();
            if (!s.startsWith("{") || !s.contains("\"probes\"")) {
                continue;
            }
            try {
                JsonNode n = PolicyJson.MAPPER.readTree(s);
                if (n.isObject() && n.has("verdict") && n.has("probes")) {
                    found = (ObjectNode) n;
                }
            } catch (IOException e) {
                // Not JSON: an ordinary log line.
            }
        }
        return found;
    }
}
