package dev.roleproof.template.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.ManagedPolicies;
import dev.roleproof.engine.ManagedPolicy;
import dev.roleproof.engine.PolicyRules;
import dev.roleproof.engine.PolicyType;
import dev.roleproof.engine.policy.InvalidPolicyException;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.DeclaredCall;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourcePolicy;
import dev.roleproof.template.ResourceSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the expanded, resolvable template into the {@link SamTemplate} model. */
public final class ModelBuilder {

    private static final Set<String> MODELLED = Set.of(
            "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final Resolver resolver;
    private final Map<String, Object> resources;
    private final SamExpander.Expansion expansion;
    private final List<String> active = new ArrayList<>();
    private final Map<String, Object> resolvedProps = new LinkedHashMap<>();

    public ModelBuilder(String file, Resolver resolver, SamExpander.Expansion expansion) {
        this.file = file;
        this.resolver = resolver;
        this.expansion = expansion;
        this.resources = Maps.map(expansion.template().get("Resources"));
        for (String id : resources.keySet()) {
            if (resolver.active(id)) {
                active.add(id);
            }
        }
    }

    public List<String> active() {
        return active;
    }

    private static String ptr(String id) {
        return "/Resources/" + CfnYaml.escape(id);
    }

    private Map<String, Object> props(String id) {
        return Maps.map(resolvedProps.computeIfAbsent(id, k -> {
            Object raw = Maps.map(resources.get(k)).get("Properties");
            return raw == null ? new LinkedHashMap<String, Object>() : resolver.resolve(raw, ptr(k) + "/Properties");
        }));
    }

    private final Map<String, List<String>> byType = new java.util.HashMap<>();

    private List<String> ofType(String type) {
        if (byType.isEmpty()) {
            for (String id : active) {
                byType.computeIfAbsent(resolver.type(id), k -> new ArrayList<>())
                        .add(id);
            }
        }
        return byType.getOrDefault(type, List.of());
    }

    public SamTemplate build(Path path, Map<String, String> parameters, Map<String, Integer> lines) {
        List<ResourceSpec> others = new ArrayList<>();
        for (String id : active) {
            if (!MODELLED.contains(resolver.type(id))) {
                others.add(resource(id));
            }
        }
        List<FunctionSpec> functions = new ArrayList<>();
        for (String id : ofType("AWS::Lambda::Function")) {
            functions.add(function(id));
        }
        Map<String, List<String>> functionsByRole = new HashMap<>();
        for (FunctionSpec f : functions) {
            functionsByRole.computeIfAbsent(f.roleArn(), k -> new ArrayList<>()).add(f.logicalId());
        }
        List<RoleSpec> roles = new ArrayList<>();
        Map<String, String> roleIdByArn = new HashMap<>();
        for (String id : ofType("AWS::IAM::Role")) {
            RoleSpec role = role(id, functionsByRole);
            roles.add(role);
            roleIdByArn.putIfAbsent(role.arn(), id);
        }
        // A function's role logical id, now that role ARNs are known.
        List<FunctionSpec> linked = new ArrayList<>();
        for (FunctionSpec f : functions) {
            String roleId = f.roleArn() == null ? null : roleIdByArn.get(f.roleArn());
            linked.add(new FunctionSpec(
                    f.logicalId(),
                    f.functionName(),
                    f.functionArn(),
                    f.handler(),
                    f.runtime(),
                    f.codeUri(),
                    f.timeoutSeconds(),
                    f.memoryMb(),
                    f.environment(),
                    roleId,
                    f.roleArn(),
                    f.calls(),
                    f.line(),
                    f.properties(),
                    f.metadata()));
        }
        FunctionNames names = new FunctionNames(linked);
        List<EventSourceMapping> mappings = new ArrayList<>();
        for (String id : ofType("AWS::Lambda::EventSourceMapping")) {
            mappings.add(mapping(id, names));
        }
        List<FunctionPermission> permissions = new ArrayList<>();
        for (String id : ofType("AWS::Lambda::Permission")) {
            permissions.add(permission(id, names));
        }
        List<ResourcePolicy> resourcePolicies = new ArrayList<>();
        for (ResourceSpec r : others) {
            resourcePolicy(r, others).ifPresent(resourcePolicies::add);
        }
        return new SamTemplate(
                path,
                resolver.account(),
                resolver.region(),
                resolver.partition(),
                parameters,
                linked,
                roles,
                mappings,
                permissions,
                others,
                resourcePolicies,
                resolver.stackName(),
                lines);
    }

    // ------------------------------------------------------------------ functions

    private FunctionSpec function(String id) {
        Map<String, Object> p = props(id);
        Map<String, String> attrs = resolver.attributes(id);
        Map<String, String> env = new LinkedHashMap<>();
        Maps.map(Maps.map(p.get("Environment")).get("Variables")).forEach((k, v) -> env.put(k, resolver.text(v)));
        String codeUri = expansion.codeUris().get(id);
        if (codeUri == null) {
            Map<String, Object> code = Maps.map(p.get("Code"));
            codeUri = code.get("S3Key") != null
                    ? "s3://" + resolver.text(code.get("S3Bucket")) + "/" + resolver.text(code.get("S3Key"))
                    : code.get("ImageUri") != null ? resolver.text(code.get("ImageUri")) : null;
        }
        return new FunctionSpec(
                id,
                resolver.physicalName(id),
                attrs.get("Arn"),
                text(p.get("Handler")),
                text(p.get("Runtime")),
                codeUri,
                integer(p.get("Timeout"), 3, id, "Timeout"),
                integer(p.get("MemorySize"), 128, id, "MemorySize"),
                env,
                null,
                text(p.get("Role")),
                calls(id),
                resolver.line(ptr(id)),
                p,
                Maps.map(Maps.map(resources.get(id)).get("Metadata")));
    }

    private List<DeclaredCall> calls(String id) {
        String base = ptr(id) + "/Metadata/RoleProof/Calls";
        Object raw = Maps.map(
                        Maps.map(Maps.map(resources.get(id)).get("Metadata")).get("RoleProof"))
                .get("Calls");
        if (raw == null) {
            return List.of();
        }
        Object resolved = resolver.resolve(raw, base);
        if (!(resolved instanceof List<?> list)) {
            throw new TemplateException(
                    file, resolver.line(base), "Metadata.RoleProof.Calls of " + id + " must be a list");
        }
        List<DeclaredCall> calls = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = base + "/" + i;
            int line = resolver.line(at);
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new TemplateException(
                        file, line, "each entry of Metadata.RoleProof.Calls needs Action and Resource");
            }
            Map<String, Object> call = Maps.map(m);
            for (String key : call.keySet()) {
                if (!Set.of("As", "Action", "Resource", "Context").contains(key)) {
                    throw new TemplateException(
                            file,
                            resolver.line(at + "/" + CfnYaml.escape(key)),
                            "unknown key '" + key
                                    + "' in Metadata.RoleProof.Calls (expected As, Action, Resource, Context)");
                }
            }
            List<String> actions = strings(call.get("Action"));
            if (actions.isEmpty()) {
                throw new TemplateException(file, line, "Metadata.RoleProof.Calls entry of " + id + " has no Action");
            }
            List<String> res = call.containsKey("Resource") ? strings(call.get("Resource")) : List.of("*");
            Map<String, List<String>> context = new LinkedHashMap<>();
            Maps.map(call.get("Context")).forEach((k, v) -> context.put(k, strings(v)));
            String as = call.get("As") == null ? null : text(call.get("As"));
            for (String a : actions) {
                for (String r : res) {
                    calls.add(new DeclaredCall(as, a, r, context, line));
                }
            }
        }
        return calls;
    }

    // ------------------------------------------------------------------ roles

    private RoleSpec role(String id, Map<String, List<String>> functionsByRole) {
        Map<String, Object> p = props(id);
        String arn = resolver.attributes(id).get("Arn");
        String roleName = resolver.physicalName(id);
        String base = ptr(id) + "/Properties";
        Policy trust = p.get("AssumeRolePolicyDocument") == null
                ? null
                : parse(
                        id + "/AssumeRolePolicyDocument",
                        p.get("AssumeRolePolicyDocument"),
                        base + "/AssumeRolePolicyDocument",
                        PolicyType.RESOURCE);
        List<AttachedPolicy> attached = new ArrayList<>();
        List<Object> inline = Maps.list(p.get("Policies"));
        for (int i = 0; i < inline.size(); i++) {
            Map<String, Object> entry = Maps.map(inline.get(i));
            String name = text(entry.get("PolicyName"));
            String at = base + "/Policies/" + i + "/PolicyDocument";
            String template = expansion.policyTemplates().get(id + "/" + name);
            Policy policy = parse(id + "/" + name, entry.get("PolicyDocument"), at, PolicyType.IDENTITY);
            attached.add(new AttachedPolicy(
                    name,
                    template != null ? AttachedPolicy.Kind.POLICY_TEMPLATE : AttachedPolicy.Kind.INLINE,
                    null,
                    policy,
                    resolver.line(base + "/Policies/" + i),
                    statementLines(at, entry.get("PolicyDocument")),
                    template,
                    json(entry.get("PolicyDocument"))));
        }
        List<Object> managed = Maps.list(p.get("ManagedPolicyArns"));
        for (int i = 0; i < managed.size(); i++) {
            attached.add(managedPolicy(id, text(managed.get(i)), resolver.line(base + "/ManagedPolicyArns/" + i)));
        }
        // AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources that name this role in Roles.
        for (String other : attachedTo(roleName)) {
            String type = resolver.type(other);
            Map<String, Object> op = props(other);
            String at = ptr(other) + "/Properties/PolicyDocument";
            if (type.equals("AWS::IAM::Policy")) {
                String name = text(op.get("PolicyName"));
                attached.add(new AttachedPolicy(
                        name,
                        AttachedPolicy.Kind.INLINE,
                        null,
                        parse(id + "/" + name, op.get("PolicyDocument"), at, PolicyType.IDENTITY),
                        resolver.line(ptr(other)),
                        statementLines(at, op.get("PolicyDocument")),
                        null,
                        json(op.get("PolicyDocument"))));
            } else {
                String policyArn = resolver.attributes(other).get("Arn");
                if (attached.stream().noneMatch(a -> policyArn.equals(a.arn()))) {
                    attached.add(new AttachedPolicy(
                            other,
                            AttachedPolicy.Kind.CUSTOMER_MANAGED,
                            policyArn,
                            parse(id + "/" + other, op.get("PolicyDocument"), at, PolicyType.IDENTITY),
                            resolver.line(ptr(other)),
                            statementLines(at, op.get("PolicyDocument")),
                            null,
                            json(op.get("PolicyDocument"))));
                }
            }
        }
        String boundaryArn = p.get("PermissionsBoundary") == null ? null : text(p.get("PermissionsBoundary"));
        Policy boundary = null;
        if (boundaryArn != null) {
            AttachedPolicy b = managedPolicy(id, boundaryArn, resolver.line(base + "/PermissionsBoundary"));
            boundary = b.policy() == null ? null : b.policy().withName(id + "/PermissionsBoundary/" + b.name());
        }
        List<String> users = List.copyOf(functionsByRole.getOrDefault(arn, List.of()));
        String path = p.get("Path") == null ? "/" : text(p.get("Path"));
        return new RoleSpec(
                id,
                roleName,
                arn,
                trust,
                attached,
                boundary,
                users,
                resolver.line(ptr(id)),
                expansion.generatedRoles().contains(id),
                path,
                boundaryArn);
    }

    private Map<String, List<String>> attachedByRole;

    /** The AWS::IAM::Policy, then AWS::IAM::ManagedPolicy resources whose Roles name this role, in template order. */
    private List<String> attachedTo(String roleName) {
        if (attachedByRole == null) {
            attachedByRole = new HashMap<>();
            List<String> attachable = new ArrayList<>(ofType("AWS::IAM::Policy"));
            attachable.addAll(ofType("AWS::IAM::ManagedPolicy"));
            for (String other : attachable) {
                for (String role :
                        new java.util.LinkedHashSet<>(strings(props(other).get("Roles")))) {
                    attachedByRole.computeIfAbsent(role, k -> new ArrayList<>()).add(other);
                }
            }
        }
        return attachedByRole.getOrDefault(roleName, List.of());
    }

    private Map<String, String> managedPolicyByArn;

    /** A managed policy by ARN: one of the template's own, one the engine ships, or unknown (policy null). */
    private AttachedPolicy managedPolicy(String roleId, String arn, int line) {
        if (managedPolicyByArn == null) {
            managedPolicyByArn = new HashMap<>();
            for (String other : ofType("AWS::IAM::ManagedPolicy")) {
                managedPolicyByArn.putIfAbsent(resolver.attributes(other).get("Arn"), other);
            }
        }
        String other = managedPolicyByArn.get(arn);
        if (other != null) {
            Map<String, Object> op = props(other);
            String at = ptr(other) + "/Properties/PolicyDocument";
            return new AttachedPolicy(
                    other,
                    AttachedPolicy.Kind.CUSTOMER_MANAGED,
                    arn,
                    parse(roleId + "/" + other, op.get("PolicyDocument"), at, PolicyType.IDENTITY),
                    line,
                    statementLines(at, op.get("PolicyDocument")),
                    null,
                    json(op.get("PolicyDocument")));
        }
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        Optional<ManagedPolicy> known = ManagedPolicies.byArn(normalisePartition(arn));
        if (known.isPresent()) {
            ManagedPolicy m = known.get();
            return new AttachedPolicy(
                    m.name(),
                    AttachedPolicy.Kind.MANAGED,
                    arn,
                    m.policy().withName(roleId + "/" + m.name()),
                    line,
                    List.of(),
                    null,
                    m.json());
        }
        boolean aws = arn.contains(":iam::aws:policy/");
        return new AttachedPolicy(
                name,
                aws ? AttachedPolicy.Kind.MANAGED : AttachedPolicy.Kind.CUSTOMER_MANAGED,
                arn,
                null,
                line,
                List.of(),
                null,
                null);
    }

    /** The engine keys managed policies by their aws-partition ARN. */
    private static String normalisePartition(String arn) {
        return arn.replaceFirst("^arn:aws-[a-z-]+:", "arn:aws:");
    }

    // ------------------------------------------------------------------ mappings and permissions

    private EventSourceMapping mapping(String id, FunctionNames functions) {
        Map<String, Object> p = props(id);
        String fn = text(p.get("FunctionName"));
        String source = p.get("EventSourceArn") == null ? null : text(p.get("EventSourceArn"));
        String sourceType;
        if (source == null) {
            sourceType = p.get("SelfManagedEventSource") != null ? "Kafka" : "Unknown";
        } else {
            String[] parts = source.split(":", 6);
            String service = parts.length > 2 ? parts[2] : "";
            sourceType = switch (service) {
                case "sqs" -> "SQS";
                case "dynamodb" -> "DynamoDB";
                case "kinesis" -> "Kinesis";
                case "kafka" -> "MSK";
                case "mq" -> "MQ";
                case "rds", "docdb" -> "DocumentDB";
                default -> "Unknown";
            };
        }
        Map<String, Object> onFailure =
                Maps.map(Maps.map(p.get("DestinationConfig")).get("OnFailure"));
        return new EventSourceMapping(
                id,
                functionFor(fn, functions),
                sourceType,
                source,
                optInt(p.get("BatchSize"), id, "BatchSize"),
                strings(p.get("FunctionResponseTypes")),
                p.get("BisectBatchOnFunctionError") == null
                        ? null
                        : Boolean.parseBoolean(text(p.get("BisectBatchOnFunctionError"))),
                optInt(p.get("MaximumRetryAttempts"), id, "MaximumRetryAttempts"),
                optInt(p.get("MaximumRecordAgeInSeconds"), id, "MaximumRecordAgeInSeconds"),
                onFailure.get("Destination") == null ? null : text(onFailure.get("Destination")),
                resolver.line(ptr(id)),
                p.get("StartingPosition") == null ? null : text(p.get("StartingPosition")),
                optInt(p.get("MaximumBatchingWindowInSeconds"), id, "MaximumBatchingWindowInSeconds"),
                p.get("Enabled") == null || Boolean.parseBoolean(text(p.get("Enabled"))),
                fn);
    }

    private FunctionPermission permission(String id, FunctionNames functions) {
        Map<String, Object> p = props(id);
        String fn = text(p.get("FunctionName"));
        return new FunctionPermission(
                id,
                functionFor(fn, functions),
                text(p.get("Action")),
                text(p.get("Principal")),
                p.get("SourceArn") == null ? null : text(p.get("SourceArn")),
                p.get("SourceAccount") == null ? null : text(p.get("SourceAccount")),
                resolver.line(ptr(id)),
                fn,
                expansion.eventTypes().get(id));
    }

    /** The function a FunctionName designates: its name, ARN, or either with a :qualifier. */
    private static String functionFor(String nameOrArn, FunctionNames functions) {
        return functions.find(nameOrArn);
    }

    /** Functions by name and ARN, so that each mapping and permission finds its function in constant time. */
    private static final class FunctionNames {
        private final List<FunctionSpec> functions;
        private final Map<String, Integer> byNameOrArn = new HashMap<>();

        FunctionNames(List<FunctionSpec> functions) {
            this.functions = functions;
            for (int i = 0; i < functions.size(); i++) {
                FunctionSpec f = functions.get(i);
                for (String key : new String[] {f.functionName(), f.functionArn()}) {
                    if (key != null) {
                        byNameOrArn.merge(key, i, Math::min);
                    }
                }
            }
        }

        /** The first function (in template order) whose name or ARN is the value or its part before a ':'. */
        String find(String nameOrArn) {
            int best = Integer.MAX_VALUE;
            for (int colon = nameOrArn.indexOf(':'); ; colon = nameOrArn.indexOf(':', colon + 1)) {
                String candidate = colon < 0 ? nameOrArn : nameOrArn.substring(0, colon);
                best = Math.min(best, byNameOrArn.getOrDefault(candidate, Integer.MAX_VALUE));
                if (colon < 0) {
                    break;
                }
            }
            return best == Integer.MAX_VALUE ? null : functions.get(best).logicalId();
        }
    }

    // ------------------------------------------------------------------ other resources

    private ResourceSpec resource(String id) {
        Map<String, String> attrs = resolver.attributes(id);
        Object cond = Maps.map(resources.get(id)).get("Condition");
        return new ResourceSpec(
                id,
                resolver.type(id),
                resolver.physicalName(id),
                attrs.get("Arn"),
                props(id),
                resolver.line(ptr(id)),
                attrs,
                cond == null ? null : String.valueOf(cond));
    }

    private final Map<String, Map<String, ResourceSpec>> resourcesBy = new HashMap<>();

    /** The first resource whose {@code key} (a queue URL, bucket name, ARN) is {@code value}; each index built once. */
    private Optional<ResourceSpec> first(
            List<ResourceSpec> all, String name, String value, java.util.function.Function<ResourceSpec, String> key) {
        Map<String, ResourceSpec> index = resourcesBy.computeIfAbsent(name, n -> {
            Map<String, ResourceSpec> m = new HashMap<>();
            for (ResourceSpec x : all) {
                String k = key.apply(x);
                if (k != null) {
                    m.putIfAbsent(k, x);
                }
            }
            return m;
        });
        return Optional.ofNullable(index.get(value));
    }

    private Optional<ResourcePolicy> resourcePolicy(ResourceSpec r, List<ResourceSpec> all) {
        Map<String, Object> p = r.properties();
        List<String> targets = new ArrayList<>();
        List<String> arns = new ArrayList<>();
        switch (r.type()) {
            case "AWS::SQS::QueuePolicy" -> {
                for (String url : strings(p.get("Queues"))) {
                    Optional<ResourceSpec> q = first(all, "url", url, x -> x.attribute("QueueUrl"));
                    q.ifPresent(x -> targets.add(x.logicalId()));
                    arns.add(q.map(ResourceSpec::arn).orElse(queueArnFromUrl(url)));
                }
            }
            case "AWS::S3::BucketPolicy" -> {
                String bucket = text(p.get("Bucket"));
                first(all, "bucket", bucket, x -> x.type().equals("AWS::S3::Bucket") ? x.physicalName() : null)
                        .ifPresent(x -> targets.add(x.logicalId()));
                arns.add("arn:" + resolver.partition() + ":s3:::" + bucket);
            }
            case "AWS::SNS::TopicPolicy" -> {
                for (String topic : strings(p.get("Topics"))) {
                    first(all, "arn", topic, ResourceSpec::arn).ifPresent(x -> targets.add(x.logicalId()));
                    arns.add(topic);
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        String at = ptr(r.logicalId()) + "/Properties/PolicyDocument";
        Policy policy = parse(r.logicalId(), p.get("PolicyDocument"), at, PolicyType.RESOURCE);
        Object raw = Maps.map(Maps.map(resources.get(r.logicalId())).get("Properties"))
                .get("PolicyDocument");
        return Optional.of(
                new ResourcePolicy(r.logicalId(), r.type(), targets, arns, policy, r.line(), statementLines(at, raw)));
    }

    private String queueArnFromUrl(String url) {
        String[] parts = url.split("/");
        if (parts.length >= 5) {
            String host = parts[2];
            String[] h = host.split("\\.");
            String region = h.length > 1 ? h[1] : resolver.region();
            return "arn:" + resolver.partition() + ":sqs:" + region + ":" + parts[3] + ":" + parts[4];
        }
        return url;
    }

    // ------------------------------------------------------------------ policies

    /**
     * Parses a resolved policy document with the engine's strict parser and checks what its type allows
     * ({@link PolicyRules}: no Principal in an identity policy, a Resource in every identity statement, a Principal in
     * every resource-based statement, trust policies included); a bad document is a template error at its line.
     */
    private Policy parse(String name, Object document, String pointer, PolicyType type) {
        if (document == null) {
            return null;
        }
        Object doc = document;
        if (doc instanceof String s) {
            try {
                doc = JSON.readValue(s, Object.class);
            } catch (JsonProcessingException e) {
                throw new TemplateException(file, resolver.line(pointer), "policy " + name + " is not valid JSON");
            }
        }
        com.fasterxml.jackson.databind.JsonNode tree = JSON.valueToTree(doc);
        Policy policy;
        try {
            policy = PolicyParser.parse(name, tree);
        } catch (InvalidPolicyException e) {
            if (tree.at(e.pointer()).toString().contains("{{")) {
                // The offending value is only known at deploy time (an import, an unknown attribute): the policy is
                // unknowable offline, which the checks report; it is not a broken template.
                return null;
            }
            throw new TemplateException(
                    file, resolver.line(pointer + e.pointer()), "policy " + name + ": " + e.getMessage());
        }
        try {
            PolicyRules.check(type, policy, "");
        } catch (InvalidPolicyException e) {
            // PolicyRules names a lone statement "/Statement"; in a list it is the list's first item.
            String at =
                    e.pointer().equals("/Statement") && tree.path("Statement").isArray() ? "/Statement/0" : e.pointer();
            String what = e.getMessage().substring(0, e.getMessage().lastIndexOf(" at "));
            throw new TemplateException(
                    file, resolver.line(pointer + at), "policy " + name + ": " + what + " at " + at);
        }
        return policy;
    }

    private String json(Object document) {
        try {
            return document == null ? null : JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The line of each statement (by index), from the document's pointer in the (expanded) source. */
    private List<Integer> statementLines(String pointer, Object resolvedDoc) {
        Object statements = Maps.map(resolvedDoc).get("Statement");
        List<Integer> out = new ArrayList<>();
        if (statements instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(resolver.line(pointer + "/Statement/" + i));
            }
        } else if (statements != null) {
            out.add(resolver.line(pointer + "/Statement"));
        }
        return out;
    }

    // ------------------------------------------------------------------ scalars

    private String text(Object value) {
        return value == null ? null : resolver.text(value);
    }

    private List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l.stream().map(resolver::text).toList();
        }
        return List.of(resolver.text(value));
    }

    private int integer(Object value, int fallback, String id, String property) {
        Integer i = optInt(value, id, property);
        return i == null ? fallback : i;
    }

    private Integer optInt(Object value, String id, String property) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(resolver.text(value).trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(
                    file,
                    resolver.line(ptr(id) + "/Properties/" + property),
                    property + " of " + id + " must be a number, found '" + resolver.text(value) + "'");
        }
    }
}
