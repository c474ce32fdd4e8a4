package dev.roleproof.template.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.template.PolicyTemplates;
import dev.roleproof.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SAM transform in Java, mirroring samtranslator 1.110 for what decides permissions: AWS::Serverless::Function
 * (with Globals) becomes AWS::Lambda::Function, its generated role, event source mappings, Lambda permissions and
 * the resources push events need. It works on the unresolved template, as samtranslator does, so its output can be
 * compared with samtranslator's through the same resolver. Source lines are copied to the generated pointers.
 */
public final class SamExpander {

    private static final String SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
    /** Loaded on first use: most templates name managed policies by ARN, and the map has 1,500 entries. */
    private static final class ManagedArns {
        static final Map<String, String> MAP = loadManagedArns();
    }

    private static final List<String> PASSTHROUGH = List.of("Condition", "DeletionPolicy", "UpdateReplacePolicy");
    private static final List<String> FUNCTION_PROPERTIES = List.of(
            "FunctionName",
            "Description",
            "Handler",
            "Runtime",
            "MemorySize",
            "Timeout",
            "Environment",
            "VpcConfig",
            "KmsKeyArn",
            "Layers",
            "ReservedConcurrentExecutions",
            "FileSystemConfigs",
            "CodeSigningConfigArn",
            "ImageConfig",
            "PackageType",
            "Architectures",
            "EphemeralStorage",
            "SnapStart",
            "RuntimeManagementConfig",
            "LoggingConfig",
            "RecursiveLoop",
            "CapacityProviderConfig",
            "DurableConfig",
            "TenancyConfig");
    private static final List<String> ESM_PROPERTIES = List.of(
            "StartingPosition",
            "StartingPositionTimestamp",
            "BatchSize",
            "Enabled",
            "MaximumBatchingWindowInSeconds",
            "MaximumRetryAttempts",
            "BisectBatchOnFunctionError",
            "MaximumRecordAgeInSeconds",
            "ParallelizationFactor",
            "Topics",
            "Queues",
            "SourceAccessConfigurations",
            "TumblingWindowInSeconds",
            "FunctionResponseTypes",
            "FilterCriteria",
            "KmsKeyArn",
            "ScalingConfig",
            "ProvisionedPollerConfig",
            "MetricsConfig",
            "LoggingConfig");

    private final String fileName;
    private final Map<String, Object> root;
    private final Map<String, Integer> lines;
    private final String partition;
    private final Map<String, Object> resources;
    private final Map<String, Object> output = new LinkedHashMap<>();
    private final Map<String, String> codeUris = new HashMap<>();
    /** Parameter values (override, else Default): SAM resolves parameter Refs in a few properties (AutoPublishAlias). */
    private final Map<String, String> parameterValues;
    /** Function logical id -> its alias resource logical id, for functions with AutoPublishAlias. */
    private final Map<String, String> aliases = new HashMap<>();

    private SamExpander(
            String fileName,
            Map<String, Object> root,
            Map<String, Integer> lines,
            String partition,
            Map<String, String> parameterValues) {
        this.fileName = fileName;
        this.parameterValues = parameterValues;
        this.root = root;
        this.lines = lines;
        this.partition = partition;
        this.resources = Maps.map(root.get("Resources"));
    }

    /** The expanded template: a new root whose Resources hold only CloudFormation types; lines gain the new pointers. */
    public static Expansion expand(
            String fileName,
            Map<String, Object> root,
            Map<String, Integer> lines,
            String partition,
            Map<String, String> parameterOverrides) {
        Map<String, String> values = new HashMap<>();
        Maps.map(root.get("Parameters")).forEach((k, v) -> {
            Object d = Maps.map(v).get("Default");
            if (d instanceof String || d instanceof Boolean) {
                values.put(k, String.valueOf(d));
            }
        });
        values.putAll(parameterOverrides);
        SamExpander e = new SamExpander(fileName, root, lines, partition, values);
        return e.run();
    }

    /** Result: the CloudFormation template, CodeUri per function, and the roles SAM generated. */
    public record Expansion(
            Map<String, Object> template,
            Map<String, String> codeUris,
            Set<String> generatedRoles,
            Map<String, String> policyTemplates,
            Map<String, String> eventTypes) {}

    /** "RoleId/PolicyName" -> SAM policy template name, for the generated inline policies that came from one. */
    private final Map<String, String> policyTemplates = new HashMap<>();
    /** Generated permission or mapping logical id -> SAM event type (S3, SNS, Api...). */
    private final Map<String, String> eventTypes = new HashMap<>();

    private final java.util.LinkedHashSet<String> generatedRoles = new java.util.LinkedHashSet<>();

    private Expansion run() {
        Map<String, Object> template = new LinkedHashMap<>(root);
        template.remove("Globals");
        Object transform = template.get("Transform");
        if (transform instanceof String s && s.equals(SAM_TRANSFORM)) {
            template.remove("Transform");
        } else if (transform instanceof List<?> list) {
            List<Object> rest = new ArrayList<>(list);
            rest.remove(SAM_TRANSFORM);
            if (rest.isEmpty()) {
                template.remove("Transform");
            } else {
                template.put("Transform", rest);
            }
        }
        // Plain resources first, so push events can amend them (S3 notifications) in place.
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            Map<String, Object> res = Maps.map(e.getValue());
            String type = String.valueOf(res.get("Type"));
            if (!type.startsWith("AWS::Serverless::")) {
                output.put(e.getKey(), Maps.deepCopy(res));
            }
        }
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            Map<String, Object> res = Maps.map(e.getValue());
            String type = String.valueOf(res.get("Type"));
            switch (type) {
                case "AWS::Serverless::Function" -> function(e.getKey(), res);
                case "AWS::Serverless::Api" -> restApi(e.getKey(), res);
                case "AWS::Serverless::HttpApi" -> httpApi(e.getKey(), res);
                case "AWS::Serverless::SimpleTable" -> simpleTable(e.getKey(), res);
                case "AWS::Serverless::LayerVersion" -> layer(e.getKey(), res);
                default -> {
                    if (type.startsWith("AWS::Serverless::")) {
                        // Other SAM types (StateMachine, Application, Connector...) carry no Lambda permissions
                        // that RoleProof models; keep them so Refs to them still resolve.
                        output.put(e.getKey(), Maps.deepCopy(res));
                    }
                }
            }
        }
        template.put("Resources", output);
        return new Expansion(template, codeUris, generatedRoles, policyTemplates, eventTypes);
    }

    // ---------------------------------------------------------------- functions

    private void function(String id, Map<String, Object> res) {
        String src = "/Resources/" + CfnYaml.escape(id);
        Map<String, Object> props = withGlobals(Maps.map(res.get("Properties")), src);
        Map<String, Object> fn = new LinkedHashMap<>();
        fn.put("Type", "AWS::Lambda::Function");
        copyAttributes(res, fn, List.of("Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy"));
        Map<String, Object> fp = new LinkedHashMap<>();
        Object codeUri = props.get("CodeUri");
        if (codeUri instanceof String s) {
            codeUris.put(id, s);
            if (s.startsWith("s3://")) {
                int slash = s.indexOf('/', 5);
                fp.put(
                        "Code",
                        Maps.of(
                                "S3Bucket",
                                slash < 0 ? s.substring(5) : s.substring(5, slash),
                                "S3Key",
                                slash < 0 ? "" : s.substring(slash + 1)));
            } else {
                fp.put("Code", Maps.of("S3Bucket", "{{CodeUri}}", "S3Key", s));
            }
        } else if (codeUri instanceof Map<?, ?> m) {
            fp.put("Code", Maps.of("S3Bucket", m.get("Bucket"), "S3Key", m.get("Key")));
        } else if (props.get("InlineCode") != null) {
            fp.put("Code", Maps.of("ZipFile", props.get("InlineCode")));
        } else if (props.get("ImageUri") != null) {
            fp.put("Code", Maps.of("ImageUri", props.get("ImageUri")));
        }
        for (String p : FUNCTION_PROPERTIES) {
            if (props.containsKey(p)) {
                fp.put(p, props.get(p));
            }
        }
        Object tracing = props.get("Tracing");
        if (tracing != null) {
            fp.put("TracingConfig", Maps.of("Mode", tracing));
        }
        Map<String, Object> dlq =
                props.get("DeadLetterQueue") instanceof Map<?, ?> ? Maps.map(props.get("DeadLetterQueue")) : null;
        if (dlq != null) {
            fp.put("DeadLetterConfig", Maps.of("TargetArn", dlq.get("TargetArn")));
        }
        String roleId = id + "Role";
        Map<String, Object> role = null;
        if (props.get("Role") != null) {
            fp.put("Role", props.get("Role"));
        } else {
            role = generatedRole(id, roleId, res, props, tracing, dlq, src);
            fp.put("Role", Maps.of("Fn::GetAtt", new ArrayList<>(List.of(roleId, "Arn"))));
            setLine("/Resources/" + roleId + "/Properties/Role", src);
        }
        fn.put("Properties", fp);
        output.put(id, fn);
        copyLines(src, "/Resources/" + CfnYaml.escape(id));
        Object alias = parameterRef(props.get("AutoPublishAlias"));
        if (alias instanceof String aliasName && !aliasName.isEmpty()) {
            // samtranslator: a Version (named with a code hash; any stable suffix will do here) and an Alias; event
            // sources then target the alias.
            String versionId = id + "Version" + Names.hex("version/" + id, 10);
            String aliasId = id + "Alias" + aliasName.replaceAll("[^A-Za-z0-9]", "");
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("Type", "AWS::Lambda::Version");
            copyAttributes(res, version, List.of("Condition"));
            version.put("DeletionPolicy", "Retain");
            version.put("Properties", Maps.of("FunctionName", Maps.of("Ref", id)));
            output.put(versionId, version);
            Map<String, Object> aliasRes = new LinkedHashMap<>();
            aliasRes.put("Type", "AWS::Lambda::Alias");
            copyAttributes(res, aliasRes, List.of("Condition"));
            aliasRes.put(
                    "Properties",
                    Maps.of(
                            "Name",
                            aliasName,
                            "FunctionName",
                            Maps.of("Ref", id),
                            "FunctionVersion",
                            Maps.of("Fn::GetAtt", new ArrayList<>(List.of(versionId, "Version")))));
            output.put(aliasId, aliasRes);
            setLine("/Resources/" + CfnYaml.escape(versionId), src + "/Properties/AutoPublishAlias");
            setLine("/Resources/" + CfnYaml.escape(aliasId), src + "/Properties/AutoPublishAlias");
            aliases.put(id, aliasId);
        }
        if (role != null) {
            output.put(roleId, role);
            generatedRoles.add(roleId);
        }
        eventInvokeConfig(id, res, props, src);
        functionUrl(id, res, props, src);
        Map<String, Object> events = Maps.map(props.get("Events"));
        List<String> names = new ArrayList<>(events.keySet());
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            event(id, res, name, Maps.map(events.get(name)), role, src + "/Properties/Events/" + CfnYaml.escape(name));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withGlobals(Map<String, Object> props, String src) {
        Map<String, Object> globals = Maps.map(Maps.map(root.get("Globals")).get("Function"));
        if (globals.isEmpty()) {
            return props;
        }
        Map<String, Object> merged = (Map<String, Object>) mergeGlobal(Maps.deepCopy(globals), props);
        for (String key : globals.keySet()) {
            if (!props.containsKey(key)) {
                copyLines("/Globals/Function/" + CfnYaml.escape(key), src + "/Properties/" + CfnYaml.escape(key));
            }
        }
        return merged;
    }

    /** SAM's Globals rules: local primitives win, maps merge, lists add up. */
    @SuppressWarnings("unchecked")
    private static Object mergeGlobal(Object global, Object local) {
        if (local == null) {
            return global;
        }
        if (global instanceof Map<?, ?> g
                && local instanceof Map<?, ?> l
                && !Maps.isIntrinsic(g)
                && !Maps.isIntrinsic(l)) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) g);
            ((Map<String, Object>) l).forEach((k, v) -> out.put(k, mergeGlobal(out.get(k), v)));
            return out;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> out = new ArrayList<>(g);
            out.addAll(l);
            return out;
        }
        return local;
    }

    private Map<String, Object> generatedRole(
            String fnId,
            String roleId,
            Map<String, Object> res,
            Map<String, Object> props,
            Object tracing,
            Map<String, Object> dlq,
            String src) {
        String dst = "/Resources/" + CfnYaml.escape(roleId);
        setLine(dst, src);
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("Type", "AWS::IAM::Role");
        copyAttributes(res, role, PASSTHROUGH);
        Map<String, Object> rp = new LinkedHashMap<>();
        if (props.get("AssumeRolePolicyDocument") != null) {
            rp.put("AssumeRolePolicyDocument", props.get("AssumeRolePolicyDocument"));
            copyLines(src + "/Properties/AssumeRolePolicyDocument", dst + "/Properties/AssumeRolePolicyDocument");
        } else {
            rp.put(
                    "AssumeRolePolicyDocument",
                    Maps.of(
                            "Version",
                            "2012-10-17",
                            "Statement",
                            new ArrayList<>(List.of(Maps.of(
                                    "Action",
                                    new ArrayList<>(List.of("sts:AssumeRole")),
                                    "Effect",
                                    "Allow",
                                    "Principal",
                                    Maps.of("Service", new ArrayList<>(List.of("lambda.amazonaws.com"))))))));
            setLine(dst + "/Properties/AssumeRolePolicyDocument", src);
        }
        List<Object> managed = new ArrayList<>();
        String managedPtr = dst + "/Properties/ManagedPolicyArns/";
        managed.add(awsManaged(
                props.get("DurableConfig") != null
                        ? "service-role/AWSLambdaBasicDurableExecutionRolePolicy"
                        : "service-role/AWSLambdaBasicExecutionRole"));
        setLine(managedPtr + "0", src);
        if (tracing != null && !"Disabled".equals(parameterRef(tracing))) {
            managed.add(awsManaged("AWSXrayWriteOnlyAccess"));
            setLine(managedPtr + (managed.size() - 1), src + "/Properties/Tracing");
        }
        if (props.get("VpcConfig") != null) {
            managed.add(awsManaged("service-role/AWSLambdaVPCAccessExecutionRole"));
            setLine(managedPtr + (managed.size() - 1), src + "/Properties/VpcConfig");
        }
        List<Object> inline = new ArrayList<>();
        String policiesPtr = dst + "/Properties/Policies";
        for (Map<String, Object> policy : eventInvokePolicies(fnId, props)) {
            inline.add(policy);
            setLine(policiesPtr + "/" + (inline.size() - 1), src + "/Properties/EventInvokeConfig");
        }
        if (dlq != null) {
            String action = "SNS".equals(dlq.get("Type")) ? "sns:Publish" : "sqs:SendMessage";
            inline.add(Maps.of(
                    "PolicyName",
                    "DeadLetterQueuePolicy",
                    "PolicyDocument",
                    Maps.of(
                            "Version",
                            "2012-10-17",
                            "Statement",
                            new ArrayList<>(List.of(
                                    Maps.of("Action", action, "Resource", dlq.get("TargetArn"), "Effect", "Allow"))))));
            setLine(policiesPtr + "/" + (inline.size() - 1), src + "/Properties/DeadLetterQueue");
        }
        Object policies = props.get("Policies");
        List<Object> entries =
                policies == null ? List.of() : policies instanceof List<?> l ? new ArrayList<>(l) : List.of(policies);
        String policiesSrc = src + "/Properties/Policies";
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            String entrySrc = policies instanceof List<?> ? policiesSrc + "/" + i : policiesSrc;
            String name = roleId + "Policy" + i;
            if (entry instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::If")) {
                Object converted = ifPolicy(Maps.map(entry), name, roleId, entrySrc, managed, inline, policiesPtr);
                if (converted == null) {
                    throw new TemplateException(fileName, line(entrySrc), "unsupported Fn::If in Policies of " + fnId);
                }
                continue;
            }
            Object doc = policyDocument(entry, fnId, entrySrc);
            if (doc != null && entry instanceof Map<?, ?> m && !m.containsKey("Statement")) {
                policyTemplates.put(
                        roleId + "/" + name,
                        String.valueOf(m.keySet().iterator().next()));
            }
            if (doc != null) {
                inline.add(Maps.of("PolicyName", name, "PolicyDocument", doc));
                copyLines(entrySrc, policiesPtr + "/" + (inline.size() - 1) + "/PolicyDocument");
                setLine(policiesPtr + "/" + (inline.size() - 1), entrySrc);
            } else {
                Object arn = managedArn(entry);
                if (!managed.contains(arn)) {
                    managed.add(arn);
                    setLine(managedPtr + (managed.size() - 1), entrySrc);
                }
            }
        }
        rp.put("ManagedPolicyArns", managed);
        setLine(dst + "/Properties/ManagedPolicyArns", src);
        if (!inline.isEmpty()) {
            rp.put("Policies", inline);
        }
        if (props.get("RolePath") != null) {
            rp.put("Path", props.get("RolePath"));
        }
        if (props.get("PermissionsBoundary") != null) {
            rp.put("PermissionsBoundary", props.get("PermissionsBoundary"));
            copyLines(src + "/Properties/PermissionsBoundary", dst + "/Properties/PermissionsBoundary");
        }
        role.put("Properties", rp);
        return role;
    }

    /** A policy document for an inline statement or a policy template entry; null for a managed policy. */
    private Object policyDocument(Object entry, String fnId, String entrySrc) {
        if (entry instanceof Map<?, ?> m && !Maps.isIntrinsic(m)) {
            if (m.containsKey("Statement")) {
                return Maps.deepCopy(entry);
            }
            if (m.size() == 1) {
                String template = String.valueOf(m.keySet().iterator().next());
                Object values = m.get(template);
                if (!PolicyTemplates.isTemplate(template)) {
                    throw new TemplateException(
                            fileName,
                            line(entrySrc),
                            "unknown SAM policy template '" + template + "' in Policies of " + fnId);
                }
                try {
                    return PolicyTemplates.expand(template, values instanceof Map<?, ?> ? Maps.map(values) : Map.of())
                            .orElseThrow();
                } catch (IllegalArgumentException e) {
                    throw new TemplateException(
                            fileName, line(entrySrc), e.getMessage() + " (Policies of " + fnId + ")");
                }
            }
            throw new TemplateException(
                    fileName,
                    line(entrySrc),
                    "unrecognised entry in Policies of " + fnId
                            + ": expected a managed policy, a policy document with Statement, or one SAM policy template");
        }
        return null;
    }

    /** Fn::If over two inline documents or two managed policies, kept as Fn::If for the resolver (SAM does so). */
    private Object ifPolicy(
            Map<String, Object> entry,
            String name,
            String roleId,
            String entrySrc,
            List<Object> managed,
            List<Object> inline,
            String policiesPtr) {
        List<Object> args = Maps.list(entry.get("Fn::If"));
        if (args.size() != 3) {
            return null;
        }
        Object a = args.get(1);
        Object b = args.get(2);
        boolean docs = isDoc(a) || isDoc(b);
        if (docs) {
            for (Object branch : List.of(a, b)) {
                if (isDoc(branch) && !((Map<?, ?>) branch).containsKey("Statement")) {
                    policyTemplates.put(
                            roleId + "/" + name,
                            String.valueOf(
                                    ((Map<?, ?>) branch).keySet().iterator().next()));
                }
            }
            Object wrappedA = isNoValue(a)
                    ? a
                    : Maps.of("PolicyName", name, "PolicyDocument", policyDocument(a, roleId, entrySrc + "/Fn::If/1"));
            Object wrappedB = isNoValue(b)
                    ? b
                    : Maps.of("PolicyName", name, "PolicyDocument", policyDocument(b, roleId, entrySrc + "/Fn::If/2"));
            inline.add(Maps.of("Fn::If", new ArrayList<>(List.of(args.get(0), wrappedA, wrappedB))));
            copyLines(entrySrc, policiesPtr + "/" + (inline.size() - 1));
            return inline;
        }
        Object arnA = isNoValue(a) ? a : managedArn(a);
        Object arnB = isNoValue(b) ? b : managedArn(b);
        managed.add(Maps.of("Fn::If", new ArrayList<>(List.of(args.get(0), arnA, arnB))));
        return managed;
    }

    private static boolean isDoc(Object o) {
        return o instanceof Map<?, ?> m && !Maps.isIntrinsic(m);
    }

    private static boolean isNoValue(Object o) {
        return o instanceof Map<?, ?> m && m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"));
    }

    /**
     * A managed policy name becomes its ARN through SAM's name map (else the engine's list of AWS managed policies);
     * ARNs and intrinsics pass as they are.
     */
    private Object managedArn(Object entry) {
        if (entry instanceof String s) {
            String arn = s.startsWith("arn:")
                    ? null
                    : ManagedArns.MAP.containsKey(s)
                            ? ManagedArns.MAP.get(s)
                            : dev.roleproof.engine.ManagedPolicies.arnOf(s).orElse(null);
            return arn == null ? s : arn.replace("arn:aws:", "arn:" + partition + ":");
        }
        return Maps.deepCopy(entry);
    }

    private String awsManaged(String nameWithPath) {
        return "arn:" + partition + ":iam::aws:policy/" + nameWithPath;
    }

    // ---------------------------------------------------------------- events

    private void event(
            String fnId,
            Map<String, Object> fnRes,
            String name,
            Map<String, Object> event,
            Map<String, Object> role,
            String src) {
        String type = String.valueOf(event.get("Type"));
        Map<String, Object> props = Maps.map(event.get("Properties"));
        String id = fnId + name;
        eventTypes.put(id, type);
        switch (type) {
            case "SQS" ->
                pull(
                        fnId,
                        fnRes,
                        id,
                        props,
                        props.get("Queue"),
                        role,
                        "service-role/AWSLambdaSQSQueueExecutionRole",
                        src);
            case "DynamoDB" ->
                pull(
                        fnId,
                        fnRes,
                        id,
                        props,
                        props.get("Stream"),
                        role,
                        "service-role/AWSLambdaDynamoDBExecutionRole",
                        src);
            case "Kinesis" ->
                pull(
                        fnId,
                        fnRes,
                        id,
                        props,
                        props.get("Stream"),
                        role,
                        "service-role/AWSLambdaKinesisExecutionRole",
                        src);
            case "MSK" ->
                pull(fnId, fnRes, id, props, props.get("Stream"), role, "service-role/AWSLambdaMSKExecutionRole", src);
            case "MQ" -> pull(fnId, fnRes, id, props, props.get("Broker"), role, null, src);
            case "DocumentDB" -> pull(fnId, fnRes, id, props, props.get("Cluster"), role, null, src);
            case "S3" -> s3(fnId, fnRes, id, props, src);
            case "SNS" -> sns(fnId, fnRes, id, props, src);
            case "Schedule", "CloudWatchEvent", "EventBridgeRule" -> rule(fnId, fnRes, id, type, props, src);
            case "Api" -> api(fnId, fnRes, id, props, src);
            case "Cognito" -> cognito(fnId, fnRes, props, src);
            case "CloudWatchLogs" -> logs(fnId, fnRes, id, props, src);
            case "IoTRule" -> iotRule(fnId, fnRes, id, props, src);
            case "HttpApi" -> httpApiEvent(fnId, fnRes, id, props, src);
            default -> {
                // Other push sources (AlexaSkill, SelfManagedKafka...) are not modelled yet.
            }
        }
    }

    private void pull(
            String fnId,
            Map<String, Object> fnRes,
            String id,
            Map<String, Object> props,
            Object sourceArn,
            Map<String, Object> role,
            String managedPolicy,
            String src) {
        Map<String, Object> esm = new LinkedHashMap<>();
        esm.put("Type", "AWS::Lambda::EventSourceMapping");
        copyAttributes(fnRes, esm, PASSTHROUGH);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("FunctionName", functionRef(fnId));
        if (sourceArn != null) {
            p.put("EventSourceArn", Maps.deepCopy(sourceArn));
        }
        for (String key : ESM_PROPERTIES) {
            if (props.containsKey(key)) {
                p.put(key, Maps.deepCopy(props.get(key)));
            }
        }
        String dst = "/Resources/" + CfnYaml.escape(id);
        Map<String, Object> destinationPolicy = null;
        if (props.get("DestinationConfig") instanceof Map<?, ?> dc) {
            Map<String, Object> config = Maps.deepCopyMap(Maps.map(dc));
            Map<String, Object> onFailure = Maps.map(config.get("OnFailure"));
            Object destType = onFailure.remove("Type");
            Object dest = onFailure.get("Destination");
            if ("SQS".equals(destType)) {
                destinationPolicy = Maps.of(
                        "PolicyName",
                        id + "SQSPolicy",
                        "PolicyDocument",
                        Maps.of(
                                "Statement",
                                new ArrayList<>(List.of(
                                        Maps.of("Action", "sqs:SendMessage", "Effect", "Allow", "Resource", dest)))));
            } else if ("SNS".equals(destType)) {
                destinationPolicy = Maps.of(
                        "PolicyName",
                        id + "SNSPolicy",
                        "PolicyDocument",
                        Maps.of(
                                "Statement",
                                new ArrayList<>(List.of(
                                        Maps.of("Action", "sns:publish", "Effect", "Allow", "Resource", dest)))));
            } else if ("S3".equals(destType)) {
                destinationPolicy = Maps.of(
                        "PolicyName",
                        id + "S3Policy",
                        "PolicyDocument",
                        Maps.of(
                                "Statement",
                                new ArrayList<>(List.of(
                                        Maps.of(
                                                "Action",
                                                "s3:PutObject",
                                                "Effect",
                                                "Allow",
                                                "Resource",
                                                Maps.of(
                                                        "Fn::Join",
                                                        new ArrayList<>(
                                                                List.of("/", new ArrayList<>(List.of(dest, "*")))))),
                                        Maps.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", dest)))));
            }
            p.put("DestinationConfig", config);
        }
        esm.put("Properties", p);
        output.put(id, esm);
        setLine(dst, src);
        copyLines(src + "/Properties", dst + "/Properties");
        if (props.containsKey("Queue") || props.containsKey("Stream")) {
            copyLines(
                    src + "/Properties/" + (props.containsKey("Queue") ? "Queue" : "Stream"),
                    dst + "/Properties/EventSourceArn");
        }
        if (role != null) {
            Map<String, Object> rp = Maps.map(role.get("Properties"));
            List<Object> managed = Maps.list(rp.get("ManagedPolicyArns"));
            if (managedPolicy != null) {
                String arn = awsManaged(managedPolicy);
                if (!managed.contains(arn)) {
                    managed.add(arn);
                    setLine(
                            "/Resources/" + CfnYaml.escape(fnId + "Role") + "/Properties/ManagedPolicyArns/"
                                    + (managed.size() - 1),
                            src);
                }
            }
            if (destinationPolicy != null) {
                List<Object> inline =
                        rp.get("Policies") instanceof List<?> ? Maps.list(rp.get("Policies")) : new ArrayList<>();
                if (!inline.contains(destinationPolicy)) {
                    inline.add(destinationPolicy);
                    setLine(
                            "/Resources/" + CfnYaml.escape(fnId + "Role") + "/Properties/Policies/"
                                    + (inline.size() - 1),
                            src + "/Properties/DestinationConfig");
                }
                rp.put("Policies", inline);
            }
        }
    }

    private Map<String, Object> permission(
            String fnId,
            Map<String, Object> fnRes,
            String permId,
            String principal,
            Object sourceArn,
            Object sourceAccount,
            String src) {
        Map<String, Object> perm = new LinkedHashMap<>();
        perm.put("Type", "AWS::Lambda::Permission");
        copyAttributes(fnRes, perm, PASSTHROUGH);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Action", "lambda:InvokeFunction");
        p.put("FunctionName", functionRef(fnId));
        p.put("Principal", principal);
        if (sourceArn != null) {
            p.put("SourceArn", sourceArn);
        }
        if (sourceAccount != null) {
            p.put("SourceAccount", sourceAccount);
        }
        perm.put("Properties", p);
        output.put(permId, perm);
        eventTypes.put(permId, eventTypes.get(permId.startsWith(fnId) ? longestEventId(permId) : permId));
        setLine("/Resources/" + CfnYaml.escape(permId), src);
        return perm;
    }

    private void s3(String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        Object bucketRef = props.get("Bucket");
        String bucketId = bucketRef instanceof Map<?, ?> m && m.get("Ref") instanceof String r ? r : null;
        Map<String, Object> bucket = bucketId == null ? null : Maps.map(output.get(bucketId));
        if (bucket == null || !"AWS::S3::Bucket".equals(bucket.get("Type"))) {
            throw new TemplateException(
                    fileName,
                    line(src + "/Properties/Bucket"),
                    "S3 event " + id
                            + " must reference an AWS::S3::Bucket of this template with !Ref (SAM requires it)");
        }
        String permId = id + "Permission";
        permission(fnId, fnRes, permId, "s3.amazonaws.com", null, Maps.of("Ref", "AWS::AccountId"), src);
        Map<String, Object> bp = bucket.get("Properties") instanceof Map<?, ?>
                ? Maps.map(bucket.get("Properties"))
                : new LinkedHashMap<>();
        bucket.put("Properties", bp);
        Map<String, Object> notif = bp.get("NotificationConfiguration") instanceof Map<?, ?>
                ? Maps.map(bp.get("NotificationConfiguration"))
                : new LinkedHashMap<>();
        bp.put("NotificationConfiguration", notif);
        List<Object> configs = notif.get("LambdaConfigurations") instanceof List<?>
                ? Maps.list(notif.get("LambdaConfigurations"))
                : new ArrayList<>();
        notif.put("LambdaConfigurations", configs);
        Object events = props.get("Events");
        List<Object> eventList = events instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(events));
        for (Object e : eventList) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Event", e);
            c.put("Function", functionArnRef(fnId));
            if (props.get("Filter") != null) {
                c.put("Filter", Maps.deepCopy(props.get("Filter")));
            }
            configs.add(c);
            setLine(
                    "/Resources/" + CfnYaml.escape(bucketId)
                            + "/Properties/NotificationConfiguration/LambdaConfigurations/" + (configs.size() - 1),
                    src);
        }
        Object dependsOn = bucket.get("DependsOn");
        List<Object> deps = dependsOn instanceof List<?> l
                ? new ArrayList<>(l)
                : dependsOn == null ? new ArrayList<>() : new ArrayList<>(List.of(dependsOn));
        if (!deps.contains(permId)) {
            deps.add(permId);
        }
        bucket.put("DependsOn", deps);
    }

    private void sns(String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        Object topic = props.get("Topic");
        permission(fnId, fnRes, id + "Permission", "sns.amazonaws.com", Maps.deepCopy(topic), null, src);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("Type", "AWS::SNS::Subscription");
        copyAttributes(fnRes, sub, PASSTHROUGH);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Endpoint", functionArnRef(fnId));
        p.put("Protocol", "lambda");
        p.put("TopicArn", Maps.deepCopy(topic));
        for (String k : List.of("Region", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy")) {
            if (props.containsKey(k)) {
                p.put(k, Maps.deepCopy(props.get(k)));
            }
        }
        sub.put("Properties", p);
        output.put(id, sub);
        setLine("/Resources/" + CfnYaml.escape(id), src);
    }

    private void rule(
            String fnId, Map<String, Object> fnRes, String id, String type, Map<String, Object> props, String src) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("Type", "AWS::Events::Rule");
        copyAttributes(fnRes, rule, PASSTHROUGH);
        Map<String, Object> p = new LinkedHashMap<>();
        if (type.equals("Schedule")) {
            p.put("ScheduleExpression", Maps.deepCopy(props.get("Schedule")));
        } else {
            p.put("EventPattern", Maps.deepCopy(props.get("Pattern")));
            if (props.get("EventBusName") != null) {
                p.put("EventBusName", Maps.deepCopy(props.get("EventBusName")));
            }
        }
        for (String k : List.of("Name", "Description", "State")) {
            if (props.containsKey(k)) {
                p.put(k, Maps.deepCopy(props.get(k)));
            }
        }
        if (Boolean.FALSE.equals(props.get("Enabled"))) {
            p.put("State", "DISABLED");
        }
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("Arn", functionArnRef(fnId));
        target.put(
                "Id",
                props.get("Target") instanceof Map<?, ?> t && t.get("Id") != null ? t.get("Id") : id + "LambdaTarget");
        if (props.containsKey("Input")) {
            target.put("Input", props.get("Input"));
        }
        p.put("Targets", new ArrayList<>(List.of(target)));
        rule.put("Properties", p);
        output.put(id, rule);
        setLine("/Resources/" + CfnYaml.escape(id), src);
        permission(
                fnId,
                fnRes,
                id + "Permission",
                "events.amazonaws.com",
                Maps.of("Fn::GetAtt", new ArrayList<>(List.of(id, "Arn"))),
                null,
                src);
    }

    private void api(String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        Object apiId = props.get("RestApiId");
        // samtranslator's permission suffix: Prod for the implicit API; for an API of this template its StageName
        // when that is a plain string, else "Stage"; for any other API "AllStages".
        String suffix = "Prod";
        if (apiId == null) {
            implicitRestApi();
            apiId = Maps.of("Ref", "ServerlessRestApi");
        } else {
            String ref = apiId instanceof String s
                    ? s
                    : apiId instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") instanceof String r ? r : null;
            if (ref != null && resources.containsKey(ref)) {
                Object stage =
                        Maps.map(Maps.map(resources.get(ref)).get("Properties")).get("StageName");
                suffix = stage instanceof String s ? s : "Stage";
            } else {
                suffix = "AllStages";
            }
        }
        String path = apiPath(String.valueOf(props.get("Path")));
        String method = String.valueOf(props.get("Method"));
        method = method.equalsIgnoreCase("any") ? "*" : method.toUpperCase();
        String permId = id + "Permission" + (suffix.chars().allMatch(Character::isLetterOrDigit) ? suffix : "");
        Object sourceArn = Maps.of(
                "Fn::Sub",
                new ArrayList<>(List.of(
                        "arn:" + partition + ":execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/"
                                + method + path,
                        Maps.of("__ApiId__", Maps.deepCopy(apiId), "__Stage__", "*"))));
        permission(fnId, fnRes, permId, "apigateway.amazonaws.com", sourceArn, null, src);
    }

    private void httpApiEvent(
            String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        Object apiId = props.get("ApiId");
        if (apiId == null) {
            implicitHttpApi();
            apiId = Maps.of("Ref", "ServerlessHttpApi");
        }
        String rawPath = props.get("Path") == null ? "$default" : String.valueOf(props.get("Path"));
        String rawMethod =
                props.get("Method") == null ? "x-amazon-apigateway-any-method" : String.valueOf(props.get("Method"));
        String path = rawPath.equals("$default") ? "" : apiPath(rawPath);
        String method =
                rawMethod.equalsIgnoreCase("any") || rawMethod.equalsIgnoreCase("x-amazon-apigateway-any-method")
                        ? "*"
                        : rawMethod.toUpperCase();
        String resource = "${__ApiId__}/${__Stage__}";
        if (rawMethod.equalsIgnoreCase("any") && path.equals("/$default")) {
            resource += path;
        } else {
            resource += "/" + method + path;
        }
        Object sourceArn = Maps.of(
                "Fn::Sub",
                new ArrayList<>(List.of(
                        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:" + resource,
                        Maps.of("__ApiId__", Maps.deepCopy(apiId), "__Stage__", "*"))));
        permission(fnId, fnRes, id + "Permission", "apigateway.amazonaws.com", sourceArn, null, src);
    }

    private void cognito(String fnId, Map<String, Object> fnRes, Map<String, Object> props, String src) {
        Object pool = props.get("UserPool");
        String poolId = pool instanceof Map<?, ?> m && m.get("Ref") instanceof String r ? r : null;
        Map<String, Object> poolRes = poolId == null ? null : Maps.map(output.get(poolId));
        if (poolRes == null || !"AWS::Cognito::UserPool".equals(poolRes.get("Type"))) {
            throw new TemplateException(
                    fileName,
                    line(src + "/Properties/UserPool"),
                    "Cognito event of " + fnId
                            + " must reference an AWS::Cognito::UserPool of this template with !Ref (SAM requires it)");
        }
        permission(
                fnId,
                fnRes,
                fnId + "CognitoPermission",
                "cognito-idp.amazonaws.com",
                Maps.of("Fn::GetAtt", new ArrayList<>(List.of(poolId, "Arn"))),
                null,
                src);
        Map<String, Object> pp = poolRes.get("Properties") instanceof Map<?, ?>
                ? Maps.map(poolRes.get("Properties"))
                : new LinkedHashMap<>();
        poolRes.put("Properties", pp);
        Map<String, Object> config =
                pp.get("LambdaConfig") instanceof Map<?, ?> ? Maps.map(pp.get("LambdaConfig")) : new LinkedHashMap<>();
        pp.put("LambdaConfig", config);
        Object triggers = props.get("Trigger");
        for (Object t : triggers instanceof List<?> l ? l : List.of(String.valueOf(triggers))) {
            config.put(String.valueOf(t), functionArnRef(fnId));
        }
    }

    private void logs(String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        String permId = id + "Permission";
        permission(
                fnId,
                fnRes,
                permId,
                "logs.amazonaws.com",
                Maps.of(
                        "Fn::Sub",
                        new ArrayList<>(List.of(
                                "arn:" + partition
                                        + ":logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*",
                                Maps.of("__LogGroupName__", Maps.deepCopy(props.get("LogGroupName")))))),
                null,
                src);
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("Type", "AWS::Logs::SubscriptionFilter");
        copyAttributes(fnRes, filter, PASSTHROUGH);
        filter.put("DependsOn", new ArrayList<>(List.of(permId)));
        filter.put(
                "Properties",
                Maps.of(
                        "LogGroupName",
                        Maps.deepCopy(props.get("LogGroupName")),
                        "FilterPattern",
                        Maps.deepCopy(props.get("FilterPattern")),
                        "DestinationArn",
                        functionArnRef(fnId)));
        output.put(id, filter);
        setLine("/Resources/" + CfnYaml.escape(id), src);
    }

    private void iotRule(String fnId, Map<String, Object> fnRes, String id, Map<String, Object> props, String src) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("Type", "AWS::IoT::TopicRule");
        copyAttributes(fnRes, rule, PASSTHROUGH);
        Map<String, Object> payload = Maps.of(
                "Sql",
                Maps.deepCopy(props.get("Sql")),
                "RuleDisabled",
                false,
                "Actions",
                new ArrayList<>(List.of(Maps.of("Lambda", Maps.of("FunctionArn", functionArnRef(fnId))))));
        if (props.get("AwsIotSqlVersion") != null) {
            payload.put("AwsIotSqlVersion", props.get("AwsIotSqlVersion"));
        }
        rule.put("Properties", Maps.of("TopicRulePayload", payload));
        output.put(id, rule);
        setLine("/Resources/" + CfnYaml.escape(id), src);
        permission(
                fnId,
                fnRes,
                id + "Permission",
                "iot.amazonaws.com",
                Maps.of(
                        "Fn::Sub",
                        new ArrayList<>(List.of(
                                "arn:" + partition + ":iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}",
                                Maps.of("RuleName", Maps.of("Ref", id))))),
                Maps.of("Fn::Sub", "${AWS::AccountId}"),
                src);
    }

    /** EventInvokeConfig's destination policies for the generated role (samtranslator names them so). */
    private List<Map<String, Object>> eventInvokePolicies(String fnId, Map<String, Object> props) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> dc =
                Maps.map(Maps.map(props.get("EventInvokeConfig")).get("DestinationConfig"));
        for (String on : List.of("OnSuccess", "OnFailure")) {
            Map<String, Object> c = Maps.map(dc.get(on));
            Object type = parameterRef(c.get("Type"));
            if (type == null) {
                continue;
            }
            String id = fnId + "EventInvokeConfig" + on;
            Object dest = invokeDestination(id, c);
            Map<String, Object> policy = switch (String.valueOf(type)) {
                case "SQS" ->
                    namedPolicy(
                            id + "SQSPolicy",
                            Maps.of("Action", "sqs:SendMessage", "Effect", "Allow", "Resource", dest));
                case "SNS" ->
                    namedPolicy(
                            id + "SNSPolicy", Maps.of("Action", "sns:publish", "Effect", "Allow", "Resource", dest));
                case "EventBridge" ->
                    namedPolicy(
                            id + "EventBridgePolicy",
                            Maps.of("Action", "events:PutEvents", "Effect", "Allow", "Resource", dest));
                case "Lambda" ->
                    namedPolicy(
                            id + "LambdaPolicy",
                            Maps.of("Action", "lambda:InvokeFunction", "Effect", "Allow", "Resource", dest));
                case "S3Bucket" ->
                    Maps.of(
                            "PolicyName",
                            id + "S3Policy",
                            "PolicyDocument",
                            Maps.of(
                                    "Statement",
                                    new ArrayList<>(List.of(
                                            Maps.of(
                                                    "Action",
                                                    "s3:PutObject",
                                                    "Effect",
                                                    "Allow",
                                                    "Resource",
                                                    Maps.of(
                                                            "Fn::Join",
                                                            new ArrayList<>(List.of(
                                                                    "/", new ArrayList<>(List.of(dest, "*")))))),
                                            Maps.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", dest)))));
                default -> null;
            };
            if (policy != null) {
                out.add(policy);
            }
        }
        return out;
    }

    private static Map<String, Object> namedPolicy(String name, Map<String, Object> statement) {
        return Maps.of("PolicyName", name, "PolicyDocument", Maps.of("Statement", new ArrayList<>(List.of(statement))));
    }

    /** The destination given, or the queue/topic SAM creates when an SQS/SNS destination has none. */
    private Object invokeDestination(String id, Map<String, Object> config) {
        if (config.get("Destination") != null) {
            return Maps.deepCopy(config.get("Destination"));
        }
        Object type = parameterRef(config.get("Type"));
        if ("SQS".equals(type)) {
            return Maps.of("Fn::GetAtt", new ArrayList<>(List.of(id + "Queue", "Arn")));
        }
        if ("SNS".equals(type)) {
            return Maps.of("Ref", id + "Topic");
        }
        return null;
    }

    private void eventInvokeConfig(String fnId, Map<String, Object> fnRes, Map<String, Object> props, String src) {
        if (!(props.get("EventInvokeConfig") instanceof Map<?, ?> raw)) {
            return;
        }
        Map<String, Object> eic = Maps.map(raw);
        String id = fnId + "EventInvokeConfig";
        Map<String, Object> dc = Maps.map(eic.get("DestinationConfig"));
        Map<String, Object> destinations = new LinkedHashMap<>();
        for (String on : List.of("OnSuccess", "OnFailure")) {
            if (!(dc.get(on) instanceof Map<?, ?> c)) {
                continue;
            }
            Map<String, Object> config = Maps.map(c);
            Object type = parameterRef(config.get("Type"));
            if (config.get("Destination") == null && ("SQS".equals(type) || "SNS".equals(type))) {
                String created = id + on + ("SQS".equals(type) ? "Queue" : "Topic");
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("Type", "SQS".equals(type) ? "AWS::SQS::Queue" : "AWS::SNS::Topic");
                copyAttributes(fnRes, r, PASSTHROUGH);
                output.put(created, r);
                setLine("/Resources/" + CfnYaml.escape(created), src + "/Properties/EventInvokeConfig");
            }
            destinations.put(on, Maps.of("Destination", invokeDestination(id + on, config)));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("FunctionName", Maps.of("Ref", fnId));
        p.put(
                "Qualifier",
                aliases.containsKey(fnId)
                        ? Maps.map(Maps.map(output.get(aliases.get(fnId))).get("Properties"))
                                .get("Name")
                        : "$LATEST");
        p.put("DestinationConfig", destinations);
        for (String k : List.of("MaximumEventAgeInSeconds", "MaximumRetryAttempts")) {
            if (eic.containsKey(k)) {
                p.put(k, Maps.deepCopy(eic.get(k)));
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("Type", "AWS::Lambda::EventInvokeConfig");
        copyAttributes(fnRes, res, PASSTHROUGH);
        res.put("Properties", p);
        output.put(id, res);
        setLine("/Resources/" + CfnYaml.escape(id), src + "/Properties/EventInvokeConfig");
    }

    /** FunctionUrlConfig: the URL, and for AuthType NONE the two public permissions samtranslator adds. */
    private void functionUrl(String fnId, Map<String, Object> fnRes, Map<String, Object> props, String src) {
        if (!(props.get("FunctionUrlConfig") instanceof Map<?, ?> raw)) {
            return;
        }
        Map<String, Object> config = Maps.map(raw);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("TargetFunctionArn", functionRef(fnId));
        for (String k : List.of("AuthType", "Cors", "InvokeMode")) {
            if (config.containsKey(k)) {
                p.put(k, Maps.deepCopy(config.get(k)));
            }
        }
        Map<String, Object> url = new LinkedHashMap<>();
        url.put("Type", "AWS::Lambda::Url");
        copyAttributes(fnRes, url, PASSTHROUGH);
        url.put("Properties", p);
        output.put(fnId + "Url", url);
        String at = src + "/Properties/FunctionUrlConfig";
        setLine("/Resources/" + CfnYaml.escape(fnId + "Url"), at);
        if ("NONE".equals(parameterRef(config.get("AuthType")))) {
            Map<String, Object> urlPerm = permission(fnId, fnRes, fnId + "UrlPublicPermissions", "*", null, null, at);
            Maps.map(urlPerm.get("Properties")).put("Action", "lambda:InvokeFunctionUrl");
            Maps.map(urlPerm.get("Properties")).put("FunctionUrlAuthType", "NONE");
            Map<String, Object> invokePerm =
                    permission(fnId, fnRes, fnId + "URLInvokeAllowPublicAccess", "*", null, null, at);
            Maps.map(invokePerm.get("Properties")).put("InvokedViaFunctionUrl", true);
            eventTypes.put(fnId + "UrlPublicPermissions", "FunctionUrl");
            eventTypes.put(fnId + "URLInvokeAllowPublicAccess", "FunctionUrl");
        }
    }

    /** API Gateway drops a trailing slash and path parameters match anything (samtranslator's SwaggerEditor). */
    private static String apiPath(String path) {
        String p = path.replaceAll("^(.+)/$", "$1");
        return p.replaceAll("\\{[^}]+}", "*");
    }

    private void implicitRestApi() {
        if (!output.containsKey("ServerlessRestApi")) {
            output.put(
                    "ServerlessRestApi",
                    Maps.of(
                            "Type",
                            "AWS::ApiGateway::RestApi",
                            "Properties",
                            Maps.of("Name", Maps.of("Ref", "AWS::StackName"))));
            output.put(
                    "ServerlessRestApiProdStage",
                    Maps.of(
                            "Type",
                            "AWS::ApiGateway::Stage",
                            "Properties",
                            Maps.of("RestApiId", Maps.of("Ref", "ServerlessRestApi"), "StageName", "Prod")));
        }
    }

    private void implicitHttpApi() {
        if (!output.containsKey("ServerlessHttpApi")) {
            output.put(
                    "ServerlessHttpApi",
                    Maps.of(
                            "Type",
                            "AWS::ApiGatewayV2::Api",
                            "Properties",
                            Maps.of("Name", Maps.of("Ref", "AWS::StackName"), "ProtocolType", "HTTP")));
            output.put(
                    "ServerlessHttpApiApiGatewayDefaultStage",
                    Maps.of(
                            "Type",
                            "AWS::ApiGatewayV2::Stage",
                            "Properties",
                            Maps.of("ApiId", Maps.of("Ref", "ServerlessHttpApi"), "StageName", "$default")));
        }
    }

    // ---------------------------------------------------------------- other SAM resources

    private void restApi(String id, Map<String, Object> res) {
        Map<String, Object> props = Maps.map(res.get("Properties"));
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("Type", "AWS::ApiGateway::RestApi");
        copyAttributes(res, api, PASSTHROUGH);
        api.put(
                "Properties",
                Maps.of("Name", props.get("Name") == null ? Maps.of("Ref", "AWS::StackName") : props.get("Name")));
        output.put(id, api);
        Object stage = parameterRef(props.get("StageName"));
        if (stage instanceof String s) {
            output.put(
                    id + s + "Stage",
                    Maps.of(
                            "Type",
                            "AWS::ApiGateway::Stage",
                            "Properties",
                            Maps.of("RestApiId", Maps.of("Ref", id), "StageName", s)));
        }
        copyLines("/Resources/" + CfnYaml.escape(id), "/Resources/" + CfnYaml.escape(id));
    }

    private void httpApi(String id, Map<String, Object> res) {
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("Type", "AWS::ApiGatewayV2::Api");
        copyAttributes(res, api, PASSTHROUGH);
        api.put("Properties", Maps.of("Name", Maps.of("Ref", "AWS::StackName"), "ProtocolType", "HTTP"));
        output.put(id, api);
    }

    private void simpleTable(String id, Map<String, Object> res) {
        Map<String, Object> props = Maps.map(res.get("Properties"));
        Map<String, Object> pk = props.get("PrimaryKey") instanceof Map<?, ?>
                ? Maps.map(props.get("PrimaryKey"))
                : Maps.of("Name", "id", "Type", "String");
        String attrType = switch (String.valueOf(pk.get("Type"))) {
            case "Number" -> "N";
            case "Binary" -> "B";
            default -> "S";
        };
        Map<String, Object> p = new LinkedHashMap<>();
        if (props.get("TableName") != null) {
            p.put("TableName", props.get("TableName"));
        }
        p.put(
                "AttributeDefinitions",
                new ArrayList<>(List.of(Maps.of("AttributeName", pk.get("Name"), "AttributeType", attrType))));
        p.put("KeySchema", new ArrayList<>(List.of(Maps.of("AttributeName", pk.get("Name"), "KeyType", "HASH"))));
        p.put("BillingMode", "PAY_PER_REQUEST");
        if (props.get("SSESpecification") != null) {
            p.put("SSESpecification", props.get("SSESpecification"));
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("Type", "AWS::DynamoDB::Table");
        copyAttributes(res, table, PASSTHROUGH);
        table.put("Properties", p);
        output.put(id, table);
    }

    private void layer(String id, Map<String, Object> res) {
        Map<String, Object> props = Maps.map(res.get("Properties"));
        Map<String, Object> p = new LinkedHashMap<>();
        if (props.get("LayerName") != null) {
            p.put("LayerName", props.get("LayerName"));
        }
        p.put("Content", Maps.of("S3Bucket", "{{ContentUri}}", "S3Key", String.valueOf(props.get("ContentUri"))));
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("Type", "AWS::Lambda::LayerVersion");
        copyAttributes(res, layer, PASSTHROUGH);
        layer.put("Properties", p);
        output.put(id, layer);
    }

    // ---------------------------------------------------------------- helpers

    /** What event sources name as the function: its alias when AutoPublishAlias is set. */
    private Object functionRef(String fnId) {
        return Maps.of("Ref", aliases.getOrDefault(fnId, fnId));
    }

    /** The function's ARN for targets and notifications: the alias ARN when AutoPublishAlias is set. */
    private Object functionArnRef(String fnId) {
        String alias = aliases.get(fnId);
        return alias != null ? Maps.of("Ref", alias) : Maps.of("Fn::GetAtt", new ArrayList<>(List.of(fnId, "Arn")));
    }

    /** A {"Ref": Parameter} replaced by the parameter's value, as samtranslator's parameter resolver does. */
    private Object parameterRef(Object value) {
        if (value instanceof Map<?, ?> m
                && m.size() == 1
                && m.get("Ref") instanceof String ref
                && parameterValues.containsKey(ref)) {
            return parameterValues.get(ref);
        }
        return value;
    }

    private String longestEventId(String permId) {
        String best = null;
        for (String id : eventTypes.keySet()) {
            if (permId.startsWith(id) && (best == null || id.length() > best.length())) {
                best = id;
            }
        }
        return best;
    }

    private static void copyAttributes(Map<String, Object> from, Map<String, Object> to, List<String> names) {
        for (String n : names) {
            if (from.containsKey(n)) {
                to.put(n, Maps.deepCopy(from.get(n)));
            }
        }
    }

    private int line(String pointer) {
        return Maps.lineOf(lines, pointer);
    }

    private void setLine(String dst, String src) {
        lines.putIfAbsent(dst, line(src));
    }

    /** Gives every pointer under {@code src} a twin under {@code dst} with the same line (unless dst has one). */
    private void copyLines(String src, String dst) {
        List<Map.Entry<String, Integer>> found = new ArrayList<>();
        if (lines instanceof java.util.NavigableMap<String, Integer> sorted) {
            found.addAll(sorted.subMap(src + "/", true, src + "/\uffff", true).entrySet());
            if (sorted.containsKey(src)) {
                found.add(Map.entry(src, sorted.get(src)));
            }
        } else {
            for (Map.Entry<String, Integer> e : lines.entrySet()) {
                String k = e.getKey();
                if (k.equals(src) || k.startsWith(src + "/")) {
                    found.add(e);
                }
            }
        }
        found = new ArrayList<>(
                found.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        for (Map.Entry<String, Integer> e : found) {
            lines.putIfAbsent(dst + e.getKey().substring(src.length()), e.getValue());
        }
        setLine(dst, src);
    }

    private static Map<String, String> loadManagedArns() {
        try (InputStream in = PolicyTemplates.class.getResourceAsStream("managed_policy_arns.json")) {
            if (in == null) {
                throw new IllegalStateException("managed_policy_arns.json is missing from the roleproof-template jar");
            }
            Map<String, Object> root = new ObjectMapper().readValue(in, new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, String> map = (Map<String, String>) root.get("Policies");
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
