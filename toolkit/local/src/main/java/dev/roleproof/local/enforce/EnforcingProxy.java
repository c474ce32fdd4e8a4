package dev.roleproof.local.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Decision;
import dev.roleproof.engine.Evaluator;
import dev.roleproof.engine.Explanation;
import dev.roleproof.engine.Outcome;
import dev.roleproof.engine.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.w3c.dom.Document;

/**
 * An HTTP proxy on 127.0.0.1:&lt;free port&gt; in front of moto that judges every AWS call made with a function's
 * credentials with RoleProof's engine.
 *
 * <p>Point an SDK client's endpointOverride at {@link #endpoint()} (S3 with forcePathStyle). The caller comes from the
 * SigV4 Authorization header's access key id: keys given to {@link #registerCredentials}, and keys returned by
 * AssumeRole responses that pass through the proxy (registered as that assumed-role session in the role's account).
 * A denied call gets the service's own AccessDenied error (so the SDK raises SqsException, DynamoDbException,
 * S3Exception or StsException as in AWS); an allowed call is forwarded to moto unchanged, with x-moto-account-id set
 * to the caller's account. Calls with no or an unknown key are RoleProof's own setup: forwarded unjudged (their own
 * x-moto-account-id header, if any, picks the account), recorded as {@link CallRecord#ADMIN}.
 *
 * <p>Requests the proxy cannot map to an IAM action are denied (fail closed) and recorded with the reason.
 */
public final class EnforcingProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies of S3 uploads stream through; everything else is read to find the action (AWS caps those at 16 MB). */
    private static final long MAX_BUFFERED_BODY = 32L * 1024 * 1024;

    private static final String ACCOUNT_HEADER = "x-moto-account-id";
    /** Headers java.net.http sets itself, and hop-by-hop headers. */
    private static final Set<String> SKIP_REQUEST_HEADERS = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection",
            "http2-settings");

    private static final Set<String> SKIP_RESPONSE_HEADERS =
            Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date", ":status");
    private static final Set<String> MISSING_OBJECT_READS = Set.of("GetObject", "HeadObject", "GetObjectVersion");
    /** The default moto account for calls that name none. */
    private static final String MOTO_DEFAULT_ACCOUNT = "123456789012";

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, each small response then waits
        // for the client's delayed ACK (~40 ms a call, measured by ProxyBenchmark). Read once, when the first server is
        // created, so it must be set before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final URI moto;
    private final PolicySource policies;
    private final Evaluator evaluator;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI endpoint;
    private final Map<String, Principal> principals = new ConcurrentHashMap<>();
    private final List<CallRecord> calls = new ArrayList<>();
    private final StreamIterators iterators = new StreamIterators();
    private final RequestMapper mapper;

    private EnforcingProxy(URI moto, PolicySource policies, Evaluator evaluator) throws IOException {
        this.moto = URI.create(moto.toString().replaceAll("/+$", ""));
        this.policies = Objects.requireNonNull(policies, "policies");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        AtomicInteger threads = new AtomicInteger();
        // One thread per open request: SQS long polls must not hold up other callers.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "roleproof-proxy-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // moto speaks HTTP/1.1 only; no h2c upgrade attempts
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        this.mapper = new RequestMapper(iterators, new MotoKeySchemas(this.moto, client));
        // 127.0.0.1 exactly (not whatever loopback the JVM prefers): endpoint() promises it.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        executor.execute(this::warmUp);
    }

    /**
     * Loads and exercises the request path (JSON/XML parsing, the engine, the HTTP client) in the background, so the
     * first real call — often a bounded self-check probe — does not pay ~200 ms of class loading (measured).
     */
    private void warmUp() {
        try {
            HttpCall call = new HttpCall(
                    "POST",
                    "/",
                    null,
                    Map.of("X-Amz-Target", List.of("AmazonSQS.ListQueues")),
                    "{}".getBytes(StandardCharsets.UTF_8));
            mapper.map(call, new SigV4Credential("warm-up", "us-east-1", "sqs"), MOTO_DEFAULT_ACCOUNT);
            Request request =
                    Request.of("arn:aws:iam::" + MOTO_DEFAULT_ACCOUNT + ":user/warm-up", "sqs:ListQueues", "*");
            evaluator.evaluate(AuthorizationInput.builder(request).build(), true);
            DenyResponses.deny(Protocol.S3, "warm-up", false);
            DenyResponses.deny(Protocol.SQS_JSON, "warm-up", false);
            // Through the proxy itself: the server, the forwarding path and the client, once.
            client.send(
                    HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
            // Only a head start: the real calls do the same work if this failed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the proxy; {@code moto} is the moto endpoint (http://127.0.0.1:PORT). */
    public static EnforcingProxy start(URI moto, PolicySource policies, Evaluator evaluator) {
        try {
            return new EnforcingProxy(moto, policies, evaluator);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the enforcing proxy on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** http://127.0.0.1:PORT, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** Calls signed with this access key id are made by {@code principal}. */
    public void registerCredentials(String accessKeyId, Principal principal) {
        principals.put(
                Objects.requireNonNull(accessKeyId, "accessKeyId"), Objects.requireNonNull(principal, "principal"));
    }

    /** Who calls with this access key id, if it is registered (by hand or from an AssumeRole response). */
    public Optional<Principal> principalOf(String accessKeyId) {
        return Optional.ofNullable(principals.get(accessKeyId));
    }

    /** Every call seen, judged or admin, in order. A snapshot; safe from any thread. */
    public List<CallRecord> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls made by one principal (a session or user ARN), in order. */
    public List<CallRecord> calls(String principalArn) {
        synchronized (calls) {
            return calls.stream()
                    .filter(c -> c.principalArn().equals(principalArn))
                    .toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        try (exchange) {
            serve(exchange);
        } catch (IOException e) {
            // The client went away mid-call; nothing to answer.
        } catch (RuntimeException e) {
            // A bug in the proxy, not a denial: say so where a developer will see it, and answer 500.
            System.err.println("roleproof proxy: " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " failed: " + e);
            try {
                byte[] body = ("RoleProof proxy error: " + e).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent: the client sees a truncated response.
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        Headers in = exchange.getRequestHeaders();
        HttpCall query = new HttpCall(method, uri.getPath(), uri.getRawQuery(), in, null);
        Optional<SigV4Credential> credential = SigV4Credential.fromAuthorization(in.getFirst("Authorization"))
                .or(() -> SigV4Credential.fromQuery(query.queryParam("X-Amz-Credential")));
        Principal caller = credential.map(c -> principals.get(c.accessKeyId())).orElse(null);

        boolean s3 = credential.map(c -> c.service().equals("s3")).orElse(false);
        long length = contentLength(in);
        // S3 object bodies stream through untouched; DeleteObjects needs its key list.
        boolean buffer = length != 0 && length <= MAX_BUFFERED_BODY && (!s3 || query.hasQuery("delete"));
        byte[] body = buffer ? exchange.getRequestBody().readAllBytes() : null;
        HttpCall call = new HttpCall(method, uri.getPath(), uri.getRawQuery(), in, body);

        String account = caller != null
                ? caller.account()
                : Optional.ofNullable(in.getFirst(ACCOUNT_HEADER)).orElse(MOTO_DEFAULT_ACCOUNT);
        Mapping mapping = credential.map(c -> mapper.map(call, c, account)).orElse(null);

        if (caller == null) {
            if (!call.path.startsWith("/moto-api/")) { // moto's own control API is no AWS call
                recordAdmin(mapping, call);
            }
            forward(exchange, call, mapping, null, null, length);
            return;
        }
        String region = credential.get().region();
        if (mapping.unmapped() != null) {
            String message = "RoleProof cannot tell which IAM action this request needs (" + mapping.unmapped()
                    + "), so it denies it";
            record(new CallRecord(
                    caller.arn(),
                    credential.get().service() + ":" + mapping.operation(),
                    "?",
                    Map.of(),
                    Outcome.IMPLICITLY_DENIED,
                    message,
                    Instant.now()));
            respond(exchange, DenyResponses.deny(mapping.protocol(), message, method.equals("HEAD")));
            return;
        }
        if (mapping.exempt()) {
            IamCall exempt = mapping.calls().get(0);
            record(new CallRecord(
                    caller.arn(),
                    exempt.action(),
                    exempt.resource(),
                    exempt.context(),
                    Outcome.ALLOWED,
                    null,
                    Instant.now()));
            forward(exchange, call, mapping, caller, region, length);
            return;
        }
        for (IamCall iam : mapping.calls()) {
            String denial = judge(caller, iam, region, mapping.protocol());
            if (denial != null) {
                respond(exchange, DenyResponses.deny(mapping.protocol(), denial, method.equals("HEAD")));
                return;
            }
        }
        forward(exchange, call, mapping, caller, region, length);
    }

    /** Asks the engine about one (action, resource); records it; returns the denial message, or null if allowed. */
    private String judge(Principal caller, IamCall iam, String region, Protocol protocol) {
        Instant now = Instant.now();
        Request request = Request.of(caller.arn(), iam.action(), iam.resource());
        if (iam.resourceAccount() != null) {
            request = request.withResourceAccount(iam.resourceAccount());
        }
        for (Map.Entry<String, List<String>> e : iam.context().entrySet()) {
            request = request.withContext(e.getKey(), e.getValue().toArray(String[]::new));
        }
        // Global keys AWS puts on every request; principal keys (aws:PrincipalArn...) the engine derives itself.
        request = request.withContext("aws:RequestedRegion", region)
                .withContext("aws:SecureTransport", "true") // in AWS the SDK speaks TLS; plain HTTP is a local artefact
                .withContext(
                        "aws:CurrentTime", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .withContext("aws:EpochTime", Long.toString(now.getEpochSecond()))
                .withContext("aws:ViaAWSService", "false");
        Decision decision;
        Request judged = request;
        AuthorizationInput input;
        try {
            input = policies.inputFor(caller, request);
            judged = input.request();
            decision = evaluator.evaluate(input, false);
        } catch (RuntimeException e) {
            String message =
                    "RoleProof could not judge " + iam.action() + " on " + iam.resource() + ": " + e.getMessage();
            record(new CallRecord(
                    caller.arn(),
                    iam.action(),
                    iam.resource(),
                    judged.context(),
                    Outcome.IMPLICITLY_DENIED,
                    message,
                    now));
            return message;
        }
        String message = null;
        Explanation explanation = null;
        if (!decision.allowed()) {
            message = denialMessage(decision, caller, iam, protocol);
            // Explaining costs more than deciding: only denials, which a user will want to understand, get one.
            try {
                explanation = evaluator.evaluate(input, true).explanation();
            } catch (RuntimeException e) {
                explanation = null;
            }
        }
        record(new CallRecord(
                caller.arn(),
                iam.action(),
                iam.resource(),
                judged.context(),
                decision.outcome(),
                message,
                now,
                explanation));
        return message;
    }

    private static String denialMessage(Decision decision, Principal caller, IamCall iam, Protocol protocol) {
        String message = decision.message();
        if (message == null || message.isBlank()) {
            message = "User: " + caller.arn() + " is not authorized to perform: " + iam.action() + " on resource: "
                    + iam.resource()
                    + (decision.outcome() == Outcome.EXPLICITLY_DENIED
                            ? " with an explicit deny"
                            : " because no identity-based policy allows the " + iam.action() + " action");
        }
        if (protocol == Protocol.SQS_JSON || protocol == Protocol.SQS_QUERY) {
            // SQS spells the action in lower case in its messages ("sqs:receivemessage").
            message = message.replace(iam.action(), iam.action().toLowerCase(Locale.ROOT));
        }
        return message;
    }

    private void recordAdmin(Mapping mapping, HttpCall call) {
        String action = "?";
        String resource = "?";
        if (mapping != null && !mapping.calls().isEmpty()) {
            action = mapping.calls().get(0).action();
            resource = mapping.calls().get(0).resource();
        } else if (mapping != null) {
            action = mapping.operation();
        } else if (call.formParam("Action") != null) {
            action = call.formParam("Action");
        }
        record(new CallRecord(CallRecord.ADMIN, action, resource, Map.of(), Outcome.ALLOWED, null, Instant.now()));
    }

    private void record(CallRecord record) {
        synchronized (calls) {
            calls.add(record);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void forward(
            HttpExchange exchange, HttpCall call, Mapping mapping, Principal caller, String region, long length)
            throws IOException {
        HttpRequest.BodyPublisher publisher;
        if (call.body != null) {
            publisher = HttpRequest.BodyPublishers.ofByteArray(call.body);
        } else if (length == 0) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
            // With a known length moto gets Content-Length, not chunked transfer encoding.
            publisher = length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(moto + exchange.getRequestURI().toString()))
                .method(call.method, publisher)
                .timeout(Duration.ofMinutes(5));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (SKIP_REQUEST_HEADERS.contains(name) || (caller != null && name.equals(ACCOUNT_HEADER))) {
                continue;
            }
            for (String value : header.getValue()) {
                try {
                    builder.header(header.getKey(), value);
                } catch (IllegalArgumentException restricted) {
                    // A header java.net.http manages itself: moto does not need it.
                }
            }
        }
        if (caller != null) {
            builder.header(ACCOUNT_HEADER, caller.account());
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to moto", e);
        } catch (IOException e) {
            byte[] body = ("RoleProof proxy cannot reach moto at " + moto + ": " + e.getMessage())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
            return;
        }
        String operation = mapping == null ? call.formParam("Action") : mapping.operation();
        if (caller != null
                && response.statusCode() == 404
                && mapping.protocol() == Protocol.S3
                && MISSING_OBJECT_READS.contains(operation)) {
            // S3 says "no such key" only to callers who may list the bucket; to others the missing object is a 403
            // (HeadObject/GetObject docs), so the caller cannot probe which keys exist.
            String bucket = call.path.substring(1, call.path.indexOf('/', 1));
            IamCall list = IamCall.of("s3:ListBucket", "arn:aws:s3:::" + bucket).inAccount(caller.account());
            if (judge(caller, list, region, Protocol.S3) != null) {
                response.body().close();
                respond(exchange, DenyResponses.deny(Protocol.S3, "Access Denied", call.method.equals("HEAD")));
                return;
            }
        }
        boolean inspect = response.statusCode() == 200
                && operation != null
                && (operation.equals("AssumeRole")
                        || operation.equals("GetShardIterator")
                        || operation.equals("GetRecords")
                        || (operation.equals("GetCallerIdentity") && caller != null));
        if (!inspect) {
            stream(exchange, response);
            return;
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        }
        body = inspect(operation, call, caller, body);
        copyResponseHeaders(exchange, response);
        exchange.sendResponseHeaders(
                response.statusCode(), call.method.equals("HEAD") || body.length == 0 ? -1 : body.length);
        if (body.length > 0 && !call.method.equals("HEAD")) {
            exchange.getResponseBody().write(body);
        }
    }

    private void stream(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
        copyResponseHeaders(exchange, response);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        if (head) {
            // No body follows a HEAD response, but its Content-Length tells the SDK the object's size.
            response.headers()
                    .firstValue("Content-Length")
                    .ifPresent(v -> exchange.getResponseHeaders().set("Content-Length", v));
            exchange.sendResponseHeaders(response.statusCode(), -1);
            response.body().close();
            return;
        }
        // HttpServer: 0 means chunked, -1 means no body.
        exchange.sendResponseHeaders(response.statusCode(), length == 0 ? -1 : length < 0 ? 0 : length);
        try (InputStream in = response.body();
                OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static void copyResponseHeaders(HttpExchange exchange, HttpResponse<?> response) {
        Headers out = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!SKIP_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, new ArrayList<>(values));
            }
        });
    }

    private void respond(HttpExchange exchange, DenyResponses.Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody =
                response.body().length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            exchange.getResponseBody().write(response.body());
        }
    }

    /** Learns from responses: credentials AssumeRole issued, stream iterators; answers GetCallerIdentity truthfully. */
    private byte[] inspect(String operation, HttpCall call, Principal caller, byte[] body) {
        try {
            switch (operation) {
                case "AssumeRole": {
                    Document document = RequestMapper.xml(body);
                    List<String> keys = RequestMapper.xmlTexts(document, "AccessKeyId");
                    String roleArn = call.formParam("RoleArn");
                    String session = call.formParam("RoleSessionName");
                    if (!keys.isEmpty() && roleArn != null && session != null) {
                        Principal assumed = assumedRole(roleArn, session);
                        registerCredentials(keys.get(0), assumed);
                    }
                    return body;
                }
                case "GetShardIterator": {
                    JsonNode response = JSON.readTree(body);
                    JsonNode request = JSON.readTree(call.body);
                    iterators.remember(
                            response.path("ShardIterator").asText(null),
                            request.path("StreamArn").asText(null));
                    return body;
                }
                case "GetRecords": {
                    JsonNode response = JSON.readTree(body);
                    JsonNode request = JSON.readTree(call.body);
                    String stream =
                            iterators.streamOf(request.path("ShardIterator").asText(""));
                    iterators.remember(response.path("NextShardIterator").asText(null), stream);
                    return body;
                }
                case "GetCallerIdentity": {
                    // moto knows only the keys it issued; the proxy knows every registered caller.
                    String text = new String(body, StandardCharsets.UTF_8);
                    text = replaceElement(text, "Arn", caller.arn());
                    text = replaceElement(text, "Account", caller.account());
                    return text.getBytes(StandardCharsets.UTF_8);
                }
                default:
                    return body;
            }
        } catch (IOException | RuntimeException e) {
            return body; // an unexpected response shape: pass it on as moto sent it
        }
    }

    /** arn:aws:iam::222222222222:role/path/Name + session → arn:aws:sts::222222222222:assumed-role/Name/session. */
    static Principal assumedRole(String roleArn, String session) {
        String[] parts = roleArn.split(":", 6);
        if (parts.length != 6 || !parts[5].startsWith("role/")) {
            throw new IllegalArgumentException("not a role ARN: " + roleArn);
        }
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        return new Principal(
                "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + name + "/" + session, parts[4]);
    }

    private static String replaceElement(String xml, String element, String value) {
        String open = "<" + element + ">";
        String close = "</" + element + ">";
        int start = xml.indexOf(open);
        int end = start < 0 ? -1 : xml.indexOf(close, start);
        if (start < 0 || end < 0) {
            return xml;
        }
        return xml.substring(0, start + open.length()) + DenyResponses.xml(value) + xml.substring(end);
    }

    private static long contentLength(Headers headers) {
        String value = headers.getFirst("Content-Length");
        if (value == null) {
            String te = headers.getFirst("Transfer-Encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked") ? -1 : 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
