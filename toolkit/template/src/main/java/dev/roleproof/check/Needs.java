package dev.roleproof.check;

import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.DeclaredCall;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourcePolicy;
import dev.roleproof.template.ResourceSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Derives what each function needs, as engine inputs: from its mappings (the poller reads with the execution role's
 * session), push sources (the service principal against the function policy, with the context the real source
 * sends), its role's trust policy, its logs, and the calls declared in Metadata.RoleProof.Calls (with --target, the
 * calls made as account B's role, and B's trust policy). Nothing is decided here: {@link Checker} asks the engine.
 */
public final class Needs {

    /** What the Lambda poller calls on each source type (Lambda developer guide, "execution role permissions"). */
    static final List<String> SQS_READ = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");

    static final List<String> DYNAMODB_STREAM_READ =
            List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator");
    static final List<String> KINESIS_READ = List.of(
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator");
    /** A realistic stream name for the log needs: Lambda names streams "date/[version]id". */
    static final String LOG_STREAM = "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef";

    private final SamTemplate a;
    private final SamTemplate b;
    private final List<Need> needs = new ArrayList<>();

    private Needs(SamTemplate a, SamTemplate b) {
        this.a = a;
        this.b = b;
    }

    /** The needs of every function of {@code template}; {@code target} (account B) may be null. */
    public static List<Need> of(SamTemplate template, SamTemplate target) {
        return derive(template, target).needs();
    }

    /** Needs, and a note for each function whose needs could not be derived (so one odd resource never aborts). */
    public record Derived(List<Need> needs, List<Finding> problems) {}

    public static Derived derive(SamTemplate template, SamTemplate target) {
        Needs n = new Needs(template, target);
        List<Finding> problems = new ArrayList<>();
        for (FunctionSpec f : template.functions()) {
            int before = n.needs.size();
            try {
                n.function(f);
            } catch (RuntimeException e) {
                n.needs.subList(before, n.needs.size()).clear();
                problems.add(new Finding(
                        Checker.NOT_JUDGED.id(),
                        Severity.NOTE,
                        f.logicalId(),
                        f.logicalId() + ": its needs could not be derived: " + e.getMessage(),
                        "",
                        f.line(),
                        template.file()));
            }
        }
        return new Derived(List.copyOf(n.needs), problems);
    }

    /** The patterns a function takes part in, e.g. "sqs-esm", "s3-push", "cross-account"; "function" if none. */
    public static String pattern(SamTemplate a, SamTemplate b, FunctionSpec f) {
        Set<String> p = new LinkedHashSet<>();
        for (EventSourceMapping m : a.mappingsOf(f.logicalId())) {
            p.add(
                    switch (m.sourceType()) {
                        case "SQS" -> "sqs-esm";
                        case "DynamoDB" -> "dynamodb-stream-esm";
                        case "Kinesis" -> "kinesis-stream-esm";
                        default -> m.sourceType().toLowerCase(Locale.ROOT) + "-esm";
                    });
        }
        for (PushSource s : pushSources(a, f)) {
            p.add(s.service() + "-push");
        }
        for (FunctionPermission perm : a.permissionsOf(f.logicalId())) {
            if (pushSources(a, f).stream().noneMatch(s -> s.principal().equals(perm.principal()))) {
                p.add(serviceLabel(perm.principal()) + "-push");
            }
        }
        for (DeclaredCall c : f.calls()) {
            if (c.as() != null || isAssumeRole(c.action()) && !Objects.equals(accountOf(c.resource()), a.account())) {
                p.add("cross-account");
            }
        }
        return p.isEmpty() ? "function" : String.join("+", p);
    }

    private void function(FunctionSpec f) {
        String pattern = pattern(a, b, f);
        RoleSpec role = roleOf(a, f);
        String roleName = role != null && role.roleName() != null ? role.roleName() : lastSegment(f.roleArn());
        String session = sessionArn(a.partition(), accountOf(f.roleArn(), a.account()), roleName, f.functionName());
        Blame fnBlame = new Blame(f.logicalId(), f.line(), a.file());
        Blame roleBlame = role != null ? new Blame(role.logicalId(), role.line(), a.file()) : fnBlame;
        Caller caller = new Caller(f, pattern, session, role, roleBlame, fnBlame);

        if (role != null) {
            String trustFix = Json.write(Json.obj(
                    "Effect",
                    "Allow",
                    "Principal",
                    Json.obj("Service", "lambda.amazonaws.com"),
                    "Action",
                    "sts:AssumeRole"));
            AuthorizationInput in = AuthorizationInput.builder(
                            Request.of("lambda.amazonaws.com", "sts:AssumeRole", role.arn()))
                    .resourcePolicy(role.trustPolicy())
                    .build();
            needs.add(new Need(
                    NeedKind.TRUST,
                    f.logicalId(),
                    pattern,
                    "Lambda assumes execution role " + role.logicalId(),
                    in,
                    Severity.ERROR,
                    roleBlame,
                    roleBlame,
                    trustFix,
                    "add to the AssumeRolePolicyDocument of " + role.logicalId() + ": " + trustFix,
                    List.of()));
        }

        String logGroup = logGroupName(f);
        String groupArn = "arn:" + a.partition() + ":logs:" + a.region() + ":" + a.account() + ":log-group:" + logGroup;
        for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
            identityNeed(
                    caller,
                    NeedKind.LOGS,
                    Severity.ERROR,
                    "the function writes its logs to " + logGroup,
                    action,
                    groupArn + ":log-stream:" + LOG_STREAM,
                    groupArn + ":*",
                    null,
                    null,
                    Map.of());
        }

        for (EventSourceMapping m : a.mappingsOf(f.logicalId())) {
            mapping(caller, m);
        }
        for (PushSource s : pushSources(a, f)) {
            push(caller, s);
        }
        Set<String> assumed = new LinkedHashSet<>();
        for (DeclaredCall c : f.calls()) {
            if (isAssumeRole(c.action())) {
                assumed.add(c.resource());
            }
        }
        for (DeclaredCall c : f.calls()) {
            if (c.as() != null && !assumed.contains(c.as())) {
                // Calls made as a role imply the AssumeRole into it, even if not declared.
                assumed.add(c.as());
                call(caller, new DeclaredCall(null, "sts:AssumeRole", c.as(), Map.of(), c.line()));
            }
            call(caller, c);
        }
    }

    /** The function, its session and where identity-side fixes go. */
    private record Caller(
            FunctionSpec f, String pattern, String session, RoleSpec role, Blame roleBlame, Blame fnBlame) {}

    private void mapping(Caller c, EventSourceMapping m) {
        String arn = m.eventSourceArn();
        if (arn == null) {
            return;
        }
        Blame mapBlame = new Blame(m.logicalId(), m.line(), a.file());
        String what = m.sourceType() + " mapping " + m.logicalId();
        switch (m.sourceType()) {
            case "SQS" -> {
                for (String action : SQS_READ) {
                    identityNeed(
                            c,
                            NeedKind.ESM_SOURCE,
                            Severity.ERROR,
                            what + " polls the queue",
                            action,
                            arn,
                            arn,
                            resourcePolicyFor(arn),
                            mapBlame,
                            Map.of());
                }
            }
            case "DynamoDB" -> {
                for (String action : DYNAMODB_STREAM_READ) {
                    identityNeed(
                            c,
                            NeedKind.ESM_SOURCE,
                            Severity.ERROR,
                            what + " reads the stream",
                            action,
                            arn,
                            arn,
                            null,
                            mapBlame,
                            Map.of());
                }
                // ListStreams has no resource type (only "*" grants it). AWS lists it for mappings, yet mappings
                // whose policy scopes it to the stream (SAM's DynamoDBStreamReadPolicy) work: advisory.
                identityNeed(
                        c,
                        NeedKind.ESM_SOURCE,
                        Severity.WARNING,
                        what + " lists streams (advisory: AWS lists" + " it; only Resource \"*\" grants it)",
                        "dynamodb:ListStreams",
                        "*",
                        "*",
                        null,
                        mapBlame,
                        Map.of());
            }
            case "Kinesis" -> {
                String stream = arn;
                int consumer = arn == null ? -1 : arn.indexOf("/consumer/");
                if (consumer > 0) {
                    stream = arn.substring(0, consumer);
                    identityNeed(
                            c,
                            NeedKind.ESM_SOURCE,
                            Severity.ERROR,
                            what + " reads through its consumer",
                            "kinesis:SubscribeToShard",
                            arn,
                            arn,
                            null,
                            mapBlame,
                            Map.of());
                }
                for (String action : KINESIS_READ) {
                    identityNeed(
                            c,
                            NeedKind.ESM_SOURCE,
                            Severity.ERROR,
                            what + " reads the stream",
                            action,
                            stream,
                            stream,
                            null,
                            mapBlame,
                            Map.of());
                }
                identityNeed(
                        c,
                        NeedKind.ESM_SOURCE,
                        Severity.WARNING,
                        what + " lists shards (advisory: in" + " AWSLambdaKinesisExecutionRole)",
                        "kinesis:ListShards",
                        stream,
                        stream,
                        null,
                        mapBlame,
                        Map.of());
            }
            default -> {
                // MSK, MQ, self-managed Kafka: their needs (network, secrets) are not modelled yet.
            }
        }
        String dest = m.onFailureDestinationArn();
        if (dest != null) {
            String service = serviceOfArn(dest);
            String action = switch (service) {
                case "sqs" -> "sqs:SendMessage";
                case "sns" -> "sns:Publish";
                default -> null;
            };
            if (action != null) {
                identityNeed(
                        c,
                        NeedKind.ESM_DESTINATION,
                        Severity.ERROR,
                        what + " sends failed batches to " + dest,
                        action,
                        dest,
                        dest,
                        resourcePolicyFor(dest),
                        mapBlame,
                        Map.of());
            }
        }
    }

    /** A need decided by the function role's identity side (and a resource policy of the template, if any). */
    private void identityNeed(
            Caller c,
            NeedKind kind,
            Severity severity,
            String description,
            String action,
            String resource,
            String fixResource,
            Policy resourcePolicy,
            Blame resourceBlame,
            Map<String, List<String>> context) {
        String account = resourceAccount(a, resource);
        if (account == null && b != null) {
            account = resourceAccount(b, resource);
        }
        Request r = https(new Request(c.session(), action, resource, account, context));
        AuthorizationInput.Builder in = AuthorizationInput.builder(r).resourcePolicy(resourcePolicy);
        List<String> unknown = new ArrayList<>();
        if (c.role() != null) {
            addRole(in, c.role(), unknown);
        } else {
            unknown.add("role " + c.f().roleArn() + " (not in the template)");
        }
        String fix = Json.allow(action, fixResource);
        String where = c.role() != null
                ? "add to a policy of role " + c.role().logicalId() + ": " + fix
                : "allow in role " + c.f().roleArn() + ": " + fix;
        needs.add(new Need(
                kind,
                c.f().logicalId(),
                c.pattern(),
                description,
                in.build(),
                severity,
                c.roleBlame(),
                resourceBlame != null ? resourceBlame : c.fnBlame(),
                where,
                "allow " + c.session() + " " + action + " in the resource policy of " + resource,
                unknown));
    }

    private static void addRole(AuthorizationInput.Builder in, RoleSpec role, List<String> unknown) {
        for (AttachedPolicy p : role.policies()) {
            if (p.policy() != null) {
                in.identityPolicy(p.policy());
            } else {
                unknown.add(p.arn() != null ? p.arn() : p.name());
            }
        }
        in.permissionsBoundary(role.permissionsBoundary());
        if (role.permissionsBoundary() == null && role.permissionsBoundaryArn() != null) {
            unknown.add(role.permissionsBoundaryArn());
        }
    }

    private void push(Caller c, PushSource s) {
        FunctionSpec f = c.f();
        List<FunctionPermission> perms = a.permissionsOf(f.logicalId());
        Policy functionPolicy = functionPolicy(f, perms);
        Request r = https(Request.of(s.principal(), "lambda:InvokeFunction", f.functionArn())
                .withContext("aws:SourceArn", s.sourceArn())
                .withContext("aws:SourceAccount", a.account()));
        AuthorizationInput in =
                AuthorizationInput.builder(r).resourcePolicy(functionPolicy).build();
        Optional<FunctionPermission> existing =
                perms.stream().filter(p -> s.principal().equals(p.principal())).findFirst();
        Blame blame =
                existing.map(p -> new Blame(p.logicalId(), p.line(), a.file())).orElse(c.fnBlame());
        String permission = Json.write(Json.obj(
                "Type",
                "AWS::Lambda::Permission",
                "Properties",
                Json.obj(
                        "Action",
                        "lambda:InvokeFunction",
                        "FunctionName",
                        f.functionArn(),
                        "Principal",
                        s.principal(),
                        "SourceArn",
                        s.sourceArn(),
                        "SourceAccount",
                        a.account())));
        String fix =
                existing.map(p -> "set " + p.logicalId() + " to " + permission).orElse("declare " + permission);
        needs.add(new Need(
                NeedKind.PUSH,
                f.logicalId(),
                c.pattern(),
                s.service() + " " + s.sourceLogicalId() + " invokes the function",
                in,
                Severity.ERROR,
                blame,
                blame,
                fix,
                fix,
                List.of()));
    }

    private void call(Caller c, DeclaredCall call) {
        FunctionSpec f = c.f();
        Blame callBlame = new Blame(f.logicalId(), call.line() > 0 ? call.line() : f.line(), a.file());
        if (call.as() != null) {
            asCall(c, call, callBlame);
            return;
        }
        if (isAssumeRole(call.action())) {
            assumeRole(c, call, callBlame);
            return;
        }
        identityNeed(
                c,
                NeedKind.CALL,
                Severity.ERROR,
                "the handler calls " + call.action(),
                call.action(),
                call.resource(),
                call.resource(),
                resourcePolicyFor(call.resource()),
                callBlame,
                call.context());
    }

    private void assumeRole(Caller c, DeclaredCall call, Blame callBlame) {
        String target = call.resource();
        Optional<RoleSpec> inA = a.roleByArn(target);
        Optional<RoleSpec> inB = b == null ? Optional.empty() : b.roleByArn(target);
        RoleSpec targetRole = inA.or(() -> inB).orElse(null);
        String callerAccount = accountOf(c.session(), a.account());
        Policy trust;
        String description;
        String trustFix;
        if (targetRole != null) {
            trust = targetRole.trustPolicy();
            String file = inB.isPresent() ? b.file() + " " : "";
            description =
                    "the handler assumes " + target + " (its trust policy: " + file + targetRole.logicalId() + ")";
            Map<String, Object> condition = null;
            List<String> externalId = call.context().get("sts:ExternalId");
            if (externalId != null && !externalId.isEmpty()) {
                condition = Json.obj("StringEquals", Json.obj("sts:ExternalId", externalId.get(0)));
            }
            trustFix = "in " + file + "role " + targetRole.logicalId() + "'s AssumeRolePolicyDocument allow "
                    + Json.write(Json.obj(
                            "Effect",
                            "Allow",
                            "Principal",
                            Json.obj("AWS", c.f().roleArn()),
                            "Action",
                            "sts:AssumeRole",
                            "Condition",
                            condition));
        } else {
            // The trust policy is not in the templates: judge the caller's side alone. An account principal only
            // delegates to the caller's IAM policies, so the identity side decides.
            trust = PolicyParser.parse(
                    "(trust policy of " + target + ", not in the templates)",
                    Json.write(Json.obj(
                            "Version",
                            "2012-10-17",
                            "Statement",
                            List.of(Json.obj(
                                    "Effect",
                                    "Allow",
                                    "Principal",
                                    Json.obj("AWS", "arn:" + a.partition() + ":iam::" + callerAccount + ":root"),
                                    "Action",
                                    "sts:*")))));
            description = "the handler assumes " + target + " (caller's side only: its trust policy is not in the"
                    + " templates" + (b == null ? "; pass --target" : "") + ")";
            trustFix = "";
        }
        Request r = https(new Request(c.session(), call.action(), target, accountOf(target, null), call.context()));
        AuthorizationInput.Builder in = AuthorizationInput.builder(r).resourcePolicy(trust);
        List<String> unknown = new ArrayList<>();
        if (c.role() != null) {
            addRole(in, c.role(), unknown);
        } else {
            unknown.add("role " + c.f().roleArn() + " (not in the template)");
        }
        String fix = Json.allow(call.action(), target);
        String where = c.role() != null
                ? "add to a policy of role " + c.role().logicalId() + ": " + fix
                : "allow in role " + c.f().roleArn() + ": " + fix;
        needs.add(new Need(
                targetRole != null ? NeedKind.ASSUME_ROLE : NeedKind.CALL,
                c.f().logicalId(),
                c.pattern(),
                description,
                in.build(),
                Severity.ERROR,
                c.roleBlame(),
                callBlame,
                where,
                trustFix,
                unknown));
    }

    private void asCall(Caller c, DeclaredCall call, Blame callBlame) {
        Optional<RoleSpec> inA = a.roleByArn(call.as());
        Optional<RoleSpec> inB = b == null ? Optional.empty() : b.roleByArn(call.as());
        RoleSpec role = inA.or(() -> inB).orElse(null);
        SamTemplate owner = inA.isPresent() ? a : b;
        String roleName = role != null && role.roleName() != null ? role.roleName() : lastSegment(call.as());
        String session = sessionArn(a.partition(), accountOf(call.as(), a.account()), roleName, c.f().functionName());
        Request r = https(new Request(
                session,
                call.action(),
                call.resource(),
                resourceAccount(owner != null ? owner : a, call.resource()),
                call.context()));
        AuthorizationInput.Builder in =
                AuthorizationInput.builder(r).resourcePolicy(resourcePolicyFor(call.resource()));
        List<String> unknown = new ArrayList<>();
        String where;
        if (role != null) {
            addRole(in, role, unknown);
            String file = inB.isPresent() ? b.file() + " " : "";
            where = "in " + file + "add to a policy of role " + role.logicalId() + ": "
                    + Json.allow(call.action(), call.resource());
        } else {
            unknown.add("role " + call.as() + " (not in the templates" + (b == null ? "; pass --target" : "") + ")");
            where = "";
        }
        // The fix goes to B's role, but the finding stays at the function that declares the call (account A).
        needs.add(new Need(
                NeedKind.TARGET_CALL,
                c.f().logicalId(),
                c.pattern(),
                "the handler calls " + call.action() + " as " + call.as(),
                in.build(),
                Severity.ERROR,
                callBlame,
                callBlame,
                where,
                where,
                unknown));
    }

    // ------------------------------------------------------------------------------------------------ sources

    /** A service that pushes events to the function: S3 notification, SNS subscription, EventBridge rule. */
    public record PushSource(String service, String principal, String sourceLogicalId, String sourceArn) {}

    /** The sources in the template that invoke {@code f}. */
    public static List<PushSource> pushSources(SamTemplate t, FunctionSpec f) {
        Map<String, List<PushSource>> all = t.derived(PushSource.class, Needs::pushSourcesByFunction);
        return all.getOrDefault(f.logicalId(), List.of());
    }

    /** Every push source of the template by the logical id of the function it invokes, in resource order. */
    private static Map<String, List<PushSource>> pushSourcesByFunction(SamTemplate t) {
        Targets targets = new Targets(t.functions());
        Map<String, List<PushSource>> out = new HashMap<>();
        for (ResourceSpec r : t.resources()) {
            switch (String.valueOf(r.type())) {
                case "AWS::S3::Bucket" -> {
                    Object nc = r.properties().get("NotificationConfiguration");
                    if (nc instanceof Map<?, ?> m && m.get("LambdaConfigurations") instanceof List<?> l) {
                        Set<String> invoked = new LinkedHashSet<>();
                        for (Object o : l) {
                            if (o instanceof Map<?, ?> cfg) {
                                invoked.addAll(targets.of(cfg.get("Function")));
                            }
                        }
                        for (String f : invoked) {
                            add(out, f, new PushSource("s3", "s3.amazonaws.com", r.logicalId(), r.arn()));
                        }
                    }
                }
                case "AWS::SNS::Subscription" -> {
                    if ("lambda".equals(r.properties().get("Protocol"))) {
                        String topicArn = String.valueOf(r.properties().get("TopicArn"));
                        String topicId = t.resourceByArn(topicArn)
                                .map(ResourceSpec::logicalId)
                                .orElse(r.logicalId());
                        for (String f : targets.of(r.properties().get("Endpoint"))) {
                            add(out, f, new PushSource("sns", "sns.amazonaws.com", topicId, topicArn));
                        }
                    }
                }
                case "AWS::SNS::Topic" -> {
                    if (r.properties().get("Subscription") instanceof List<?> subs) {
                        for (Object o : subs) {
                            if (o instanceof Map<?, ?> sub && "lambda".equals(sub.get("Protocol"))) {
                                for (String f : targets.of(sub.get("Endpoint"))) {
                                    add(out, f, new PushSource("sns", "sns.amazonaws.com", r.logicalId(), r.arn()));
                                }
                            }
                        }
                    }
                }
                case "AWS::Events::Rule" -> {
                    if (r.properties().get("Targets") instanceof List<?> list && r.arn() != null) {
                        Set<String> invoked = new LinkedHashSet<>();
                        for (Object o : list) {
                            if (o instanceof Map<?, ?> tg) {
                                invoked.addAll(targets.of(tg.get("Arn")));
                            }
                        }
                        for (String f : invoked) {
                            add(out, f, new PushSource("eventbridge", "events.amazonaws.com", r.logicalId(), r.arn()));
                        }
                    }
                }
                default -> {}
            }
        }
        return out;
    }

    private static void add(Map<String, List<PushSource>> out, String function, PushSource source) {
        out.computeIfAbsent(function, k -> new ArrayList<>()).add(source);
    }

    /**
     * The functions a target value designates: the function's ARN (also with a :qualifier) or its name, as a source's
     * Function, Endpoint or Arn names it.
     */
    private static final class Targets {
        private final Map<String, List<String>> byArn = new HashMap<>();
        private final Map<String, List<String>> byName = new HashMap<>();

        Targets(List<FunctionSpec> functions) {
            for (FunctionSpec f : functions) {
                byArn.computeIfAbsent(f.functionArn(), k -> new ArrayList<>()).add(f.logicalId());
                byName.computeIfAbsent(f.functionName(), k -> new ArrayList<>()).add(f.logicalId());
            }
        }

        Set<String> of(Object value) {
            if (!(value instanceof String s)) {
                return Set.of();
            }
            Set<String> out = new LinkedHashSet<>(byName.getOrDefault(s, List.of()));
            out.addAll(byArn.getOrDefault(s, List.of()));
            for (int colon = s.indexOf(':'); colon >= 0; colon = s.indexOf(':', colon + 1)) {
                out.addAll(byArn.getOrDefault(s.substring(0, colon), List.of()));
            }
            return out;
        }
    }

    /**
     * The function policy Lambda would hold, built from the template's AWS::Lambda::Permission resources in the
     * shape Lambda renders them (SourceArn as ArnLike, SourceAccount as StringEquals on AWS: keys). Null if none.
     */
    public static Policy functionPolicy(FunctionSpec f, List<FunctionPermission> perms) {
        if (perms.isEmpty()) {
            return null;
        }
        List<Object> statements = new ArrayList<>();
        for (FunctionPermission p : perms) {
            Object principal = "*".equals(p.principal())
                    ? "*"
                    : isServicePrincipal(p.principal())
                            ? Json.obj("Service", p.principal())
                            : Json.obj("AWS", p.principal());
            Map<String, Object> condition = Json.obj();
            if (p.sourceArn() != null) {
                condition.put("ArnLike", Json.obj("AWS:SourceArn", p.sourceArn()));
            }
            if (p.sourceAccount() != null) {
                condition.put("StringEquals", Json.obj("AWS:SourceAccount", p.sourceAccount()));
            }
            statements.add(Json.obj(
                    "Sid",
                    p.logicalId(),
                    "Effect",
                    "Allow",
                    "Principal",
                    principal,
                    "Action",
                    p.action(),
                    "Resource",
                    f.functionArn(),
                    "Condition",
                    condition.isEmpty() ? null : condition));
        }
        return PolicyParser.parse(
                f.logicalId() + "/function-policy",
                Json.write(Json.obj("Version", "2012-10-17", "Statement", statements)));
    }

    /** The resource policies the template declares for the resource with this ARN, merged; null if none. */
    private Policy resourcePolicyFor(String arn) {
        for (SamTemplate t : b == null ? List.of(a) : List.of(a, b)) {
            Optional<ResourceSpec> r = t.resourceByArn(arn);
            if (r.isPresent()) {
                List<ResourcePolicy> ps = t.resourcePoliciesOf(r.get().logicalId());
                if (ps.isEmpty()) {
                    return null;
                }
                if (ps.size() == 1) {
                    return ps.get(0).policy();
                }
                List<Statement> all = new ArrayList<>();
                ps.forEach(p -> all.addAll(p.policy().statements()));
                return new Policy(ps.get(0).policy().name(), ps.get(0).policy().version(), all);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Lambda, its pollers and the SDK call AWS over TLS: aws:SecureTransport is "true" (so a "deny unless TLS"
     * queue or bucket policy does not deny, and an "allow only over TLS" statement does allow). Kept if declared.
     */
    static Request https(Request r) {
        return r.context().containsKey("aws:SecureTransport") ? r : r.withContext("aws:SecureTransport", "true");
    }

    static RoleSpec roleOf(SamTemplate t, FunctionSpec f) {
        if (f.roleLogicalId() != null) {
            Optional<RoleSpec> r = t.role(f.roleLogicalId());
            if (r.isPresent()) {
                return r.get();
            }
        }
        return t.roleByArn(f.roleArn()).orElse(null);
    }

    @SuppressWarnings("unchecked")
    static String logGroupName(FunctionSpec f) {
        if (f.properties().get("LoggingConfig") instanceof Map<?, ?> lc
                && lc.get("LogGroup") instanceof String g
                && !g.isEmpty()) {
            return g;
        }
        return "/aws/lambda/" + f.functionName();
    }

    static String sessionArn(String partition, String account, String roleName, String session) {
        return "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + session;
    }

    static boolean isAssumeRole(String action) {
        return action != null && action.toLowerCase(Locale.ROOT).startsWith("sts:assumerole");
    }

    static boolean isServicePrincipal(String p) {
        return p != null && p.endsWith(".amazonaws.com") || p != null && p.endsWith(".amazonaws.com.cn");
    }

    static String serviceLabel(String principal) {
        if (principal == null) {
            return "unknown";
        }
        String s = principal.replace(".amazonaws.com", "");
        return switch (s) {
            case "events" -> "eventbridge";
            default -> s;
        };
    }

    /** The account of an ARN (its fifth field), or {@code fallback} when it has none. */
    static String accountOf(String arn, String fallback) {
        String acct = accountOf(arn);
        return acct == null ? fallback : acct;
    }

    static String accountOf(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : null;
    }

    static String serviceOfArn(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return "";
        }
        String[] parts = arn.split(":", 4);
        return parts.length > 2 ? parts[2] : "";
    }

    /** S3 ARNs carry no account: a bucket (or object) of the template belongs to the template's account. */
    private static String resourceAccount(SamTemplate t, String resource) {
        if (resource != null
                && resource.startsWith("arn:")
                && accountOf(resource) == null
                && t.resourceByArn(resource).isPresent()) {
            return t.account();
        }
        return null;
    }

    static String lastSegment(String arn) {
        if (arn == null) {
            return "unknown";
        }
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : arn;
    }
}
