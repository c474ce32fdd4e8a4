package dev.roleproof.crossaccount;

import static dev.roleproof.selfcheck.FunctionSupport.lambdaDefaults;
import static dev.roleproof.selfcheck.FunctionSupport.lazy;
import static dev.roleproof.selfcheck.FunctionSupport.lazyCallerIdentity;
import static dev.roleproof.selfcheck.FunctionSupport.log;
import static dev.roleproof.selfcheck.FunctionSupport.region;
import static dev.roleproof.selfcheck.FunctionSupport.required;
import static dev.roleproof.selfcheck.FunctionSupport.respond;
import static dev.roleproof.selfcheck.FunctionSupport.string;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.roleproof.selfcheck.CallerIdentity;
import dev.roleproof.selfcheck.FunctionSupport;
import dev.roleproof.selfcheck.Probe;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SnapStartPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Pattern cross-account: reads one item from a table in account B with the credentials of B's role, assumed with an
 * ExternalId. Both sides must allow: A's identity policy (sts:AssumeRole on B's role) and B's trust policy (this
 * role, with the ExternalId); then B's role policy must allow the read.
 *
 * <p>Credentials come from {@link StsAssumeRoleCredentialsProvider}, built once: it caches the session and refreshes
 * it before expiry. The session name is {@code <function>-<request id>} of the invocation that (re)assumed the role,
 * so B's CloudTrail shows which function and request opened each session.
 */
public class CrossAccountReaderHandler implements RequestStreamHandler {

    static final String PATTERN = "cross-account";
    /** A key no report uses: the self-check's reads and its impossible write never touch a real item. */
    static final String PROBE_KEY = "roleproof-self-check-probe";

    private final String functionName;
    private final String targetRoleArn;
    private final String defaultTable;
    private final String targetTableArnPrefix;
    private final Supplier<CallerIdentity> targetIdentity;
    private final Supplier<DynamoDbClient> targetDynamoDb;
    private final SelfCheck selfCheck;
    private final SnapStartPriming priming;
    private volatile String currentRequestId = "init";

    /**
     * Used by the Lambda runtime: clients built once per execution environment, on first use; the self-check's
     * threads, started at the end of init, build and warm them (AssumeRole, B's read) while the runtime reads the
     * first request, so the init thread touches no SDK class.
     */
    public CrossAccountReaderHandler() {
        this(
                lazy(Aws::sts),
                lazyCallerIdentity(() -> Aws.HTTP),
                System.getenv(),
                Aws::targetDynamoDb,
                Aws::targetIdentity,
                region());
    }

    /**
     * For tests: A's STS client (e.g. pointed at moto), the environment the template would set, and how to build
     * B's client and B's caller identity call from the assumed role's credentials (endpoint, interceptors).
     */
    CrossAccountReaderHandler(
            Supplier<StsClient> sts,
            Callable<String> identity,
            Map<String, String> env,
            Function<AwsCredentialsProvider, DynamoDbClient> targetDynamoDbFactory,
            Function<AwsCredentialsProvider, CallerIdentity> targetIdentityFactory,
            Region region) {
        this.functionName = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cross-account-reader");
        this.targetRoleArn = required(env, "TARGET_ROLE_ARN");
        String externalId = required(env, "EXTERNAL_ID");
        this.defaultTable = required(env, "TARGET_TABLE_NAME");
        String targetAccount =
                env.getOrDefault("TARGET_ACCOUNT_ID", targetRoleArn.split(":")[4]);
        this.targetTableArnPrefix = "arn:aws:dynamodb:" + region.id() + ":" + targetAccount + ":table/";

        Supplier<AssumeRoleRequest> assumeRole = () -> AssumeRoleRequest.builder()
                .roleArn(targetRoleArn)
                .externalId(externalId)
                .roleSessionName(sessionName(functionName, currentRequestId))
                .build();
        Supplier<AwsCredentialsProvider> assumed = lazy(() -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts.get())
                .refreshRequest(assumeRole)
                // Refresh in the calling thread: Lambda freezes background threads between invocations.
                .asyncCredentialUpdateEnabled(false)
                .build());
        // B's clients need a provider, not A's STS client: they can be built while A's is, on another thread.
        AwsCredentialsProvider inB = () -> assumed.get().resolveCredentials();
        this.targetDynamoDb = lazy(() -> targetDynamoDbFactory.apply(inB));
        // The read's clients (A's STS client, B's DynamoDB client) are built from here on, in parallel with the rest of
        // init and the runtime reading the first request.
        FunctionSupport.warmInBackground(List.of(sts, targetDynamoDb));
        this.targetIdentity = lazy(() -> targetIdentityFactory.apply(inB));

        String tableArn = targetTableArnPrefix + defaultTable;
        Map<String, AttributeValue> probeKey = Map.of("pk", AttributeValue.fromS(PROBE_KEY));
        this.selfCheck = SelfCheck.builder(functionName, PATTERN)
                // Signed through the HTTP client rather than A's StsClient: at a cold start that client is on the
                // critical path (AssumeRole, then the read), and a second first call on it would only slow it down.
                .identity(identity)
                // B's caller identity needs no event: it starts early with the rest, within the same bound.
                .proof(this::proof)
                .expectedRoleArn(env.get("ROLEPROOF_EXPECTED_ROLE_ARN"))
                .environment(env::get)
                // Required: A's half (identity policy) and B's half (trust policy with the ExternalId) of the chain.
                .probe(Probe.require(
                        "sts:AssumeRole",
                        targetRoleArn,
                        () -> sts.get()
                                .assumeRole(assumeRole.get().toBuilder()
                                        .overrideConfiguration(Probe.BOUNDED)
                                        .build())))
                // Required: the read the function exists for, on a key no report uses (read only), as B's role.
                .probe(Probe.require(
                                "dynamodb:GetItem",
                                tableArn,
                                () -> targetDynamoDb
                                        .get()
                                        .getItem(r -> r.tableName(defaultTable)
                                                .key(probeKey)
                                                .overrideConfiguration(Probe.BOUNDED)))
                        .as(targetRoleArn))
                // Forbidden: a write in B. Its condition can never hold, so nothing is written even if B's role were
                // wrongly allowed to write; reaching the condition check means the write was authorised.
                .probe(Probe.forbid("dynamodb:PutItem", tableArn, () -> {
                            try {
                                targetDynamoDb
                                        .get()
                                        .putItem(r -> r.tableName(defaultTable)
                                                .item(probeKey)
                                                .conditionExpression(
                                                        "attribute_exists(pk) AND attribute_not_exists(pk)")
                                                .overrideConfiguration(Probe.BOUNDED));
                            } catch (ConditionalCheckFailedException authorisedButStopped) {
                                return;
                            }
                        })
                        .as(targetRoleArn))
                .build();
        // SnapStart: the self-check before the snapshot walks the whole chain (AssumeRole, B's reads) read-only,
        // which is the handler's path. The provider keeps the session it cached before the snapshot until it nears
        // expiry, then assumes the role again.
        // With the self-check off, the primer still builds the clients (no call: nothing reaches B).
        this.priming = SnapStartPriming.register(selfCheck, targetDynamoDb::get);
        selfCheck.startEarly();
    }

    /** Lambda's entry point: the request JSON in, the item (or the self-check report) as JSON out. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        respond(input, output, selfCheck, event -> handle(readEvent(event), context));
    }

    /**
     * The request as JSON ({"table"?, "key": {...}, "roleproof"?}) read with jackson-jr into a
     * {@link CrossAccountRequest}: a stream handler, so the Java runtime's reflection-based mapping (hundreds of ms of
     * a cold JVM to set up, measured) is not on the cold path. Values of the key are read as strings.
     */
    public static CrossAccountRequest readEvent(byte[] json) throws IOException {
        Map<String, Object> root = JSON.std.mapFrom(json);
        CrossAccountRequest request = new CrossAccountRequest();
        request.setTable(string(root.get("table")));
        request.setRoleproof(string(root.get("roleproof")));
        if (root.get("key") != null && !(root.get("key") instanceof Map)) {
            throw new IllegalArgumentException("key must be an object of attribute names to string values, e.g."
                    + " {\"key\": {\"pk\": \"report-2026-11\"}}");
        }
        if (root.get("key") instanceof Map<?, ?> key) {
            Map<String, String> values = new LinkedHashMap<>();
            key.forEach((k, v) -> values.put(String.valueOf(k), string(v)));
            request.setKey(values);
        }
        return request;
    }

    /** One request: the item read in B, or (on demand) the self-check report. */
    public Object handle(CrossAccountRequest request, Context context) {
        currentRequestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : "local";
        if (request != null && request.isSelfCheck()) {
            return selfCheck.run().toMap();
        }
        if (request == null || request.getKey() == null || request.getKey().isEmpty()) {
            throw new IllegalArgumentException("The request needs a key, e.g. {\"key\": {\"pk\": \"report-2026-11\"}}");
        }
        String table = request.getTable() == null || request.getTable().isBlank() ? defaultTable : request.getTable();
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        request.getKey().forEach((name, value) -> key.put(name, AttributeValue.fromS(value)));

        GetItemResponse response = read(table, key);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", targetTableArnPrefix + table);
        result.put("key", request.getKey());
        result.put("found", response.hasItem() && !response.item().isEmpty());
        result.put("item", plain(response.item()));
        log(Map.of(
                "level",
                "INFO",
                "event",
                "item-read",
                "table",
                targetTableArnPrefix + table,
                "found",
                result.get("found")));
        // The proof (an STS call in B) was started with the probes; it is reported only when the self-check is due.
        selfCheck.runIfDue();
        return result;
    }

    /** One GetItem in B, its failure explained by the link of the chain that refused it. */
    GetItemResponse read(String table, Map<String, AttributeValue> key) {
        try {
            return targetDynamoDb.get().getItem(r -> r.tableName(table).key(key));
        } catch (RuntimeException e) {
            throw explain(e, table);
        }
    }

    private RuntimeException explain(RuntimeException e, String table) {
        StsException refused = cause(e, StsException.class);
        if (refused != null) {
            if (isAccessDenied(refused)) {
                return new CrossAccountAccessException(
                        CrossAccountAccessException.Side.ASSUME_ROLE_REFUSED,
                        "AssumeRole into " + targetRoleArn + " was refused (" + code(refused) + "): B's trust policy"
                                + " does not trust this role with this ExternalId, or this role's policy lacks"
                                + " sts:AssumeRole on it",
                        e);
            }
            return new CrossAccountAccessException(
                    CrossAccountAccessException.Side.NOT_FOUND,
                    "AssumeRole into " + targetRoleArn + " failed (" + code(refused) + "): " + message(refused),
                    e);
        }
        DynamoDbException dynamo = cause(e, DynamoDbException.class);
        if (dynamo instanceof ResourceNotFoundException) {
            return new CrossAccountAccessException(
                    CrossAccountAccessException.Side.NOT_FOUND,
                    "Table " + targetTableArnPrefix + table + " does not exist in account B",
                    e);
        }
        if (dynamo != null && isAccessDenied(dynamo)) {
            return new CrossAccountAccessException(
                    CrossAccountAccessException.Side.TABLE_ACCESS_DENIED,
                    "AssumeRole into " + targetRoleArn + " succeeded, but B's role lacks dynamodb:GetItem on "
                            + targetTableArnPrefix + table + " (" + code(dynamo) + ")",
                    e);
        }
        return e;
    }

    private String proof() {
        try {
            String identity = callerIdentityInB();
            return "AssumeRole into " + targetRoleArn + " succeeded; B's caller identity is " + identity
                    + (SelfCheck.isSessionOf(identity, targetRoleArn)
                            ? ", a session of the expected role"
                            : ", NOT a session of the expected role " + targetRoleArn);
        } catch (RuntimeException e) {
            return "AssumeRole into " + targetRoleArn + " did not succeed: "
                    + explain(e, defaultTable).getMessage();
        }
    }

    /** As the self-check asks A's: signed through the HTTP client, no second StsClient to build at a cold start. */
    private String callerIdentityInB() {
        try {
            return targetIdentity.get().call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean isAccessDenied(AwsServiceException e) {
        String code = code(e);
        return e.statusCode() == 403 || code.startsWith("AccessDenied") || "AuthorizationError".equals(code);
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode()
                : "HTTP " + e.statusCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage()
                : e.getMessage();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * A role session name that says which function and request opened it: {@code [\w+=,.@-]}, 2-64 characters
     * (AssumeRole's RoleSessionName constraint).
     */
    static String sessionName(String function, String requestId) {
        String name = (function + "-" + requestId).replaceAll("[^\\w+=,.@-]", "-");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    private static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (item != null) {
            item.forEach((name, value) -> {
                if (value.s() != null) {
                    out.put(name, value.s());
                } else if (value.n() != null) {
                    out.put(name, value.n());
                } else if (value.bool() != null) {
                    out.put(name, value.bool());
                } else {
                    out.put(name, value.toString());
                }
            });
        }
        return out;
    }

    /**
     * SDK clients as Lambda runs them: explicit region, Lambda's credentials, one small HTTP client (made, TLS
     * included, by whichever thread first needs a client).
     */
    static final class Aws {
        static final SdkHttpClient HTTP =
                FunctionSupport.startedInBackground(FunctionSupport.URL_CONNECTION, UrlConnectionHttpClient::create);

        private Aws() {}

        // AWS_ENDPOINT_URL (moto, sam local with an emulator) is read by the SDK itself when set.
        static StsClient sts() {
            return lambdaDefaults(StsClient.builder(), HTTP).build();
        }

        static DynamoDbClient targetDynamoDb(AwsCredentialsProvider assumedRole) {
            return DynamoDbClient.builder()
                    .region(region())
                    .httpClient(HTTP)
                    .credentialsProvider(assumedRole)
                    .build();
        }

        static CallerIdentity targetIdentity(AwsCredentialsProvider assumedRole) {
            return CallerIdentity.of(HTTP, assumedRole, region(), System::getenv);
        }
    }
}
