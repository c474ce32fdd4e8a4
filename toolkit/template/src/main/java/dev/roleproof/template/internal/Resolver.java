package dev.roleproof.template.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsics against parameters, conditions, mappings, pseudo parameters and the physical
 * names and ARNs of the template's resources. Values AWS only knows at deploy time from outside the template
 * (Fn::ImportValue, unknown GetAtt attributes, SSM parameter types) become symbolic strings such as
 * {{ImportValue:Name}}; everything else that cannot be resolved is a {@link TemplateException}.
 */
public final class Resolver {

    /** Marks AWS::NoValue; removed from the maps and lists that contain it. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PSEUDO = Set.of(
            "AWS::AccountId",
            "AWS::Region",
            "AWS::Partition",
            "AWS::StackName",
            "AWS::StackId",
            "AWS::URLSuffix",
            "AWS::NoValue",
            "AWS::NotificationARNs");

    private final String file;
    private final Limits limits;
    private final Map<String, Integer> lines;
    private final String account;
    private final String region;
    private final String partition;
    private final String stackName;
    private final Map<String, Object> parameterDefs;
    private final Map<String, Object> parameterValues = new LinkedHashMap<>();
    private final Map<String, Object> conditionDefs;
    private final Map<String, Object> mappings;
    private final Map<String, Object> resources;
    private final Map<String, Boolean> conditionCache = new HashMap<>();
    private final Deque<String> conditionStack = new ArrayDeque<>();
    private final Map<String, String> physicalNames = new HashMap<>();
    private final Map<String, Map<String, String>> attributeCache = new HashMap<>();
    private final Deque<String> nameStack = new ArrayDeque<>();
    /** Characters the intrinsic functions have built so far (bounded by {@link Limits#maxResolvedChars()}). */
    private long built;

    public Resolver(
            String file,
            Map<String, Object> template,
            Map<String, Integer> lines,
            String account,
            String region,
            String partition,
            String stackName,
            Map<String, String> overrides,
            Limits limits) {
        this.file = file;
        this.limits = limits;
        this.lines = lines;
        this.account = account;
        this.region = region;
        this.partition = partition;
        this.stackName = stackName;
        this.parameterDefs = Maps.map(template.get("Parameters"));
        this.conditionDefs = Maps.map(template.get("Conditions"));
        this.mappings = Maps.map(template.get("Mappings"));
        this.resources = Maps.map(template.get("Resources"));
        bindParameters(overrides);
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    public String partition() {
        return partition;
    }

    public String stackName() {
        return stackName;
    }

    public String urlSuffix() {
        return partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
    }

    /** Parameter values as strings (lists joined with commas), for the model. */
    public Map<String, String> parameterStrings() {
        Map<String, String> out = new LinkedHashMap<>();
        parameterValues.forEach((k, v) -> out.put(
                k,
                v instanceof List<?> l
                        ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(v)));
        return out;
    }

    // ------------------------------------------------------------------ parameters

    private void bindParameters(Map<String, String> overrides) {
        for (String name : overrides.keySet()) {
            if (!parameterDefs.containsKey(name) && !name.startsWith("AWS::")) {
                throw new TemplateException(
                        file, 0, "--param " + name + ": the template declares no parameter '" + name + "'");
            }
        }
        ParameterRules rules = new ParameterRules(file, limits);
        for (Map.Entry<String, Object> e : parameterDefs.entrySet()) {
            String name = e.getKey();
            Map<String, Object> def = Maps.map(e.getValue());
            String type = String.valueOf(def.getOrDefault("Type", "String"));
            String ptr = "/Parameters/" + CfnYaml.escape(name);
            boolean given = overrides.containsKey(name);
            Object raw = given ? overrides.get(name) : def.get("Default");
            if (raw == null) {
                throw new TemplateException(
                        file,
                        line(ptr),
                        "parameter '" + name + "' has no value: it has no Default, give one with --param " + name
                                + "=VALUE");
            }
            String text = raw instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList())
                    : String.valueOf(raw);
            rules.check(name, def, text, given ? line(ptr) : line(ptr + "/Default"), given ? "given" : "its Default");
            Object value;
            if (type.startsWith("AWS::SSM::Parameter::Value<")) {
                value = type.contains("<List<") || type.contains("<CommaDelimitedList>")
                        ? List.of("{{SSM:" + text + "}}")
                        : "{{SSM:" + text + "}}";
            } else if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
                List<String> items = new ArrayList<>();
                for (String s : text.split(",", -1)) {
                    items.add(type.equals("CommaDelimitedList") ? s : s.trim());
                }
                value = items;
            } else {
                value = text;
            }
            parameterValues.put(name, value);
        }
    }

    // ------------------------------------------------------------------ conditions

    public boolean condition(String name, String pointer) {
        Boolean cached = conditionCache.get(name);
        if (cached != null) {
            return cached;
        }
        if (!conditionDefs.containsKey(name)) {
            throw new TemplateException(file, line(pointer), "unknown condition '" + name + "'");
        }
        if (conditionStack.contains(name)) {
            List<String> cycle = new ArrayList<>(conditionStack);
            java.util.Collections.reverse(cycle);
            cycle.add(name);
            throw new TemplateException(
                    file,
                    line("/Conditions/" + CfnYaml.escape(name)),
                    "cyclic condition: " + String.join(" -> ", cycle.subList(cycle.indexOf(name), cycle.size())));
        }
        conditionStack.push(name);
        try {
            boolean value = evaluate(conditionDefs.get(name), "/Conditions/" + CfnYaml.escape(name));
            conditionCache.put(name, value);
            return value;
        } finally {
            conditionStack.pop();
        }
    }

    private boolean evaluate(Object expr, String ptr) {
        if (expr instanceof Boolean b) {
            return b;
        }
        if (expr instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        if (!(expr instanceof Map<?, ?> m) || m.size() != 1) {
            throw new TemplateException(
                    file, line(ptr), "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition");
        }
        String fn = String.valueOf(m.keySet().iterator().next());
        Object arg = m.get(fn);
        String argPtr = ptr + "/" + CfnYaml.escape(fn);
        switch (fn) {
            case "Condition":
                return condition(String.valueOf(arg), argPtr);
            case "Fn::Equals": {
                List<Object> args = args(arg, 2, fn, argPtr);
                return text(resolve(args.get(0), argPtr + "/0")).equals(text(resolve(args.get(1), argPtr + "/1")));
            }
            case "Fn::Not":
                return !evaluate(args(arg, 1, fn, argPtr).get(0), argPtr + "/0");
            case "Fn::And":
            case "Fn::Or": {
                List<Object> args = Maps.list(arg);
                if (args.size() < 2 || args.size() > 10) {
                    throw new TemplateException(file, line(argPtr), fn + " takes 2 to 10 conditions");
                }
                boolean and = fn.equals("Fn::And");
                boolean result = and;
                for (int i = 0; i < args.size(); i++) {
                    boolean v = evaluate(args.get(i), argPtr + "/" + i);
                    result = and ? result && v : result || v;
                }
                return result;
            }
            default:
                if (fn.startsWith("Fn::") || fn.equals("Ref")) {
                    Object v = resolve(expr, ptr);
                    if (v instanceof Boolean b) {
                        return b;
                    }
                    return Boolean.parseBoolean(text(v));
                }
                throw new TemplateException(file, line(ptr), "unknown intrinsic '" + fn + "'");
        }
    }

    /** Whether the resource exists: no Condition, or a true one. */
    public boolean active(String logicalId) {
        Object cond = Maps.map(resources.get(logicalId)).get("Condition");
        return cond == null
                || condition(String.valueOf(cond), "/Resources/" + CfnYaml.escape(logicalId) + "/Condition");
    }

    // ------------------------------------------------------------------ intrinsics

    /** Resolves every intrinsic in {@code value}; {@code pointer} locates it for error lines. */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value, String pointer) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, map.get(key), pointer + "/" + CfnYaml.escape(key));
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                Object v = resolve(e.getValue(), pointer + "/" + CfnYaml.escape(e.getKey()));
                if (v != NO_VALUE) {
                    out.put(e.getKey(), v);
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object v = resolve(list.get(i), pointer + "/" + i);
                if (v != NO_VALUE) {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    private Object intrinsic(String fn, Object arg, String ptr) {
        switch (fn) {
            case "Ref":
                return ref(text(resolve(arg, ptr)), ptr);
            case "Fn::GetAtt":
                return getAtt(arg, ptr);
            case "Fn::Sub":
                return sub(arg, ptr);
            case "Fn::Join": {
                List<Object> args = args(arg, 2, fn, ptr);
                String delimiter = text(resolve(args.get(0), ptr + "/0"));
                List<String> parts = new ArrayList<>();
                long length = 0;
                for (Object o : asList(resolve(args.get(1), ptr + "/1"), ptr + "/1")) {
                    String part = text(o);
                    length += part.length() + (parts.isEmpty() ? 0 : delimiter.length());
                    requireLength(fn, length, ptr);
                    parts.add(part);
                }
                return built(String.join(delimiter, parts), fn, ptr);
            }
            case "Fn::Select": {
                List<Object> args = args(arg, 2, fn, ptr);
                String idx = text(resolve(args.get(0), ptr + "/0"));
                List<Object> list = asList(resolve(args.get(1), ptr + "/1"), ptr + "/1");
                int i;
                try {
                    i = Integer.parseInt(idx.trim());
                } catch (NumberFormatException e) {
                    throw new TemplateException(file, line(ptr), "Fn::Select index '" + idx + "' is not a number");
                }
                if (list.size() == 1 && isSymbolic(list.get(0))) {
                    return list.get(0);
                }
                if (i < 0 || i >= list.size()) {
                    throw new TemplateException(
                            file, line(ptr), "Fn::Select index " + i + " is out of range for a list of " + list.size());
                }
                return list.get(i);
            }
            case "Fn::Split": {
                List<Object> args = args(arg, 2, fn, ptr);
                String delimiter = text(resolve(args.get(0), ptr + "/0"));
                String source = text(resolve(args.get(1), ptr + "/1"));
                return new ArrayList<Object>(List.of(source.split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::If": {
                List<Object> args = args(arg, 3, fn, ptr);
                boolean c = condition(text(args.get(0)), ptr + "/0");
                return c ? resolve(args.get(1), ptr + "/1") : resolve(args.get(2), ptr + "/2");
            }
            case "Fn::FindInMap":
                return findInMap(arg, ptr);
            case "Fn::ImportValue":
                return "{{ImportValue:" + text(resolve(arg, ptr)) + "}}";
            case "Fn::Base64": {
                byte[] bytes = text(resolve(arg, ptr)).getBytes(StandardCharsets.UTF_8);
                requireLength(fn, (bytes.length + 2L) / 3 * 4, ptr);
                return built(Base64.getEncoder().encodeToString(bytes), fn, ptr);
            }
            case "Fn::GetAZs": {
                String r = text(resolve(arg, ptr));
                String az = r.isEmpty() ? region : r;
                return new ArrayList<Object>(List.of(az + "a", az + "b", az + "c"));
            }
            case "Fn::Cidr":
                return cidr(args(arg, 3, fn, ptr), ptr);
            case "Fn::Equals":
            case "Fn::And":
            case "Fn::Or":
            case "Fn::Not":
                return evaluate(Map.of(fn, arg), ptr.substring(0, ptr.lastIndexOf('/')));
            case "Fn::Length":
                return String.valueOf(asList(resolve(arg, ptr), ptr).size());
            case "Fn::ToJsonString":
                try {
                    return built(JSON.writeValueAsString(resolve(arg, ptr)), fn, ptr);
                } catch (JsonProcessingException e) {
                    throw new TemplateException(file, line(ptr), "Fn::ToJsonString: " + e.getOriginalMessage());
                }
            case "Fn::Transform":
                return "{{Transform:" + text(Maps.map(arg).get("Name")) + "}}";
            default:
                throw new TemplateException(file, line(ptr), "unknown intrinsic '" + fn + "'");
        }
    }

    private List<Object> args(Object arg, int n, String fn, String ptr) {
        if (!(arg instanceof List<?> l) || l.size() != n) {
            throw new TemplateException(file, line(ptr), fn + " takes a list of " + n + " arguments");
        }
        return Maps.list(arg);
    }

    private List<Object> asList(Object value, String ptr) {
        if (value instanceof List<?> l) {
            return Maps.list(l);
        }
        if (isSymbolic(value)) {
            return new ArrayList<>(List.of(value));
        }
        throw new TemplateException(file, line(ptr), "expected a list, found '" + text(value) + "'");
    }

    private static boolean isSymbolic(Object o) {
        return o instanceof String s && s.startsWith("{{") && s.endsWith("}}");
    }

    public Object ref(String name, String ptr) {
        if (PSEUDO.contains(name)) {
            return pseudo(name);
        }
        if (parameterValues.containsKey(name)) {
            Object v = parameterValues.get(name);
            return v instanceof List<?> l ? new ArrayList<Object>(l) : v;
        }
        if (resources.containsKey(name)) {
            requireActive(name, ptr);
            return refValue(name);
        }
        throw new TemplateException(file, line(ptr), "Ref to unknown resource or parameter '" + name + "'");
    }

    private Object pseudo(String name) {
        return switch (name) {
            case "AWS::AccountId" -> account;
            case "AWS::Region" -> region;
            case "AWS::Partition" -> partition;
            case "AWS::StackName" -> stackName;
            case "AWS::StackId" ->
                "arn:" + partition + ":cloudformation:" + region + ":" + account + ":stack/" + stackName + "/"
                        + Names.uuid("stack/" + stackName);
            case "AWS::URLSuffix" -> urlSuffix();
            case "AWS::NotificationARNs" -> new ArrayList<>();
            default -> NO_VALUE;
        };
    }

    private void requireActive(String logicalId, String ptr) {
        if (!active(logicalId)) {
            throw new TemplateException(
                    file,
                    line(ptr),
                    "reference to resource '" + logicalId + "', which is not created (its Condition is false)");
        }
    }

    private Object getAtt(Object arg, String ptr) {
        String resource;
        String attribute;
        if (arg instanceof String s) {
            int dot = s.indexOf('.');
            if (dot < 0) {
                throw new TemplateException(file, line(ptr), "Fn::GetAtt needs Resource.Attribute, found '" + s + "'");
            }
            resource = s.substring(0, dot);
            attribute = s.substring(dot + 1);
        } else {
            List<Object> args = args(arg, 2, "Fn::GetAtt", ptr);
            resource = text(args.get(0));
            attribute = text(resolve(args.get(1), ptr + "/1"));
        }
        if (!resources.containsKey(resource)) {
            throw new TemplateException(file, line(ptr), "Fn::GetAtt of unknown resource '" + resource + "'");
        }
        requireActive(resource, ptr);
        String value = attributes(resource).get(attribute);
        return value != null ? value : "{{GetAtt:" + resource + "." + attribute + "}}";
    }

    private Object sub(Object arg, String ptr) {
        String template;
        Map<String, Object> vars = new HashMap<>();
        if (arg instanceof String s) {
            template = s;
        } else if (arg instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String s) {
            template = s;
            Map<String, Object> raw = Maps.map(l.get(1));
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                vars.put(e.getKey(), resolve(e.getValue(), ptr + "/1/" + CfnYaml.escape(e.getKey())));
            }
        } else {
            throw new TemplateException(file, line(ptr), "Fn::Sub takes a string or [string, {variables}]");
        }
        Matcher m = SUB_VAR.matcher(template);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (vars.containsKey(name)) {
                replacement = text(vars.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement =
                        text(getAtt(new ArrayList<>(List.of(name.substring(0, dot), name.substring(dot + 1))), ptr));
            } else {
                replacement = text(ref(name.trim(), ptr));
            }
            requireLength("Fn::Sub", (long) sb.length() + (m.start() - last) + replacement.length(), ptr);
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            last = m.end();
        }
        m.appendTail(sb);
        return built(sb.toString(), "Fn::Sub", ptr);
    }

    private Object findInMap(Object arg, String ptr) {
        List<Object> args = Maps.list(arg);
        if (args.size() != 3 && args.size() != 4) {
            throw new TemplateException(file, line(ptr), "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]");
        }
        String map = text(resolve(args.get(0), ptr + "/0"));
        String top = text(resolve(args.get(1), ptr + "/1"));
        String second = text(resolve(args.get(2), ptr + "/2"));
        Object fallback = args.size() == 4 ? Maps.map(args.get(3)).get("DefaultValue") : null;
        if (!mappings.containsKey(map)) {
            if (fallback != null) {
                return resolve(fallback, ptr + "/3");
            }
            throw new TemplateException(file, line(ptr), "Fn::FindInMap: unknown mapping '" + map + "'");
        }
        Map<String, Object> level = Maps.map(Maps.map(mappings.get(map)).get(top));
        if (!level.containsKey(second)) {
            if (fallback != null) {
                return resolve(fallback, ptr + "/3");
            }
            throw new TemplateException(
                    file, line(ptr), "Fn::FindInMap: mapping '" + map + "' has no " + top + "/" + second);
        }
        return resolve(
                level.get(second),
                "/Mappings/" + CfnYaml.escape(map) + "/" + CfnYaml.escape(top) + "/" + CfnYaml.escape(second));
    }

    private Object cidr(List<Object> args, String ptr) {
        String block = text(resolve(args.get(0), ptr + "/0"));
        // "count: the number of CIDRs to generate, 1 to 256" (Fn::Cidr in the CloudFormation template reference).
        int count = cidrNumber(resolve(args.get(1), ptr + "/1"), "count", 1, 256, ptr);
        int bits = cidrNumber(resolve(args.get(2), ptr + "/2"), "cidrBits", 0, 128, ptr);
        String[] parts = block.split("/");
        String[] octets = parts[0].split("\\.");
        if (parts.length != 2 || octets.length != 4) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add("{{Cidr:" + block + "/" + i + "}}");
            }
            return out;
        }
        long base = 0;
        for (String o : octets) {
            base = base * 256 + Long.parseLong(o);
        }
        int prefix = 32 - bits;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long addr = base + ((long) i << bits);
            out.add(((addr >> 24) & 255) + "." + ((addr >> 16) & 255) + "." + ((addr >> 8) & 255) + "." + (addr & 255)
                    + "/" + prefix);
        }
        return out;
    }

    private int cidrNumber(Object value, String what, int min, int max, String ptr) {
        String t = text(value).trim();
        try {
            int n = Integer.parseInt(t);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TemplateException(
                file,
                line(ptr),
                "Fn::Cidr " + what + " must be a number from " + min + " to " + max + ", not '" + t + "'");
    }

    /** A string an intrinsic would build may not pass {@link Limits#maxStringLength()}: checked before it is built. */
    private void requireLength(String fn, long length, String ptr) {
        if (length > limits.maxStringLength()) {
            throw new TemplateException(
                    file,
                    line(ptr),
                    fn + " builds a string longer than " + Limits.number(limits.maxStringLength())
                            + " characters (limit maxStringLength)");
        }
    }

    /** Counts what the intrinsics build, so that many strings within the limit cannot exhaust memory either. */
    private String built(String value, String fn, String ptr) {
        requireLength(fn, value.length(), ptr);
        built += value.length();
        if (built > limits.maxResolvedChars()) {
            throw new TemplateException(
                    file,
                    line(ptr),
                    "the template's intrinsic functions build more than " + Limits.number(limits.maxResolvedChars())
                            + " characters in all (limit maxResolvedChars)");
        }
        return value;
    }

    /** Plain text of a resolved scalar (CloudFormation passes numbers and booleans as strings). */
    public String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> l) {
            return String.join(",", l.stream().map(this::text).toList());
        }
        if (value instanceof Map<?, ?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    // ------------------------------------------------------------------ physical names and attributes

    private Map<String, Object> properties(String logicalId) {
        return Maps.map(Maps.map(resources.get(logicalId)).get("Properties"));
    }

    public String type(String logicalId) {
        return String.valueOf(Maps.map(resources.get(logicalId)).get("Type"));
    }

    /** The given or generated physical name. */
    public String physicalName(String logicalId) {
        String cached = physicalNames.get(logicalId);
        if (cached != null) {
            return cached;
        }
        String ptr = "/Resources/" + CfnYaml.escape(logicalId);
        if (nameStack.contains(logicalId)) {
            List<String> cycle = new ArrayList<>(nameStack);
            java.util.Collections.reverse(cycle);
            cycle = new ArrayList<>(cycle.subList(cycle.indexOf(logicalId), cycle.size()));
            cycle.add(logicalId);
            throw new TemplateException(file, line(ptr), "cyclic Ref: " + String.join(" -> ", cycle));
        }
        nameStack.push(logicalId);
        try {
            String type = type(logicalId);
            String nameProperty = nameProperty(type);
            Object given = nameProperty == null ? null : properties(logicalId).get(nameProperty);
            String name;
            if (given != null) {
                Object resolved = resolve(given, ptr + "/Properties/" + nameProperty);
                name = resolved == NO_VALUE ? null : text(resolved);
            } else {
                name = null;
            }
            if (name == null) {
                name = switch (type) {
                    case "AWS::S3::Bucket" -> Names.generated(stackName, logicalId, 63, true);
                    case "AWS::SQS::Queue" ->
                        Names.generated(stackName, logicalId, 80, false)
                                + (truthy(properties(logicalId).get("FifoQueue"), ptr) ? ".fifo" : "");
                    case "AWS::SNS::Topic" ->
                        Names.generated(stackName, logicalId, 256, false)
                                + (truthy(properties(logicalId).get("FifoTopic"), ptr) ? ".fifo" : "");
                    case "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::ManagedPolicy" ->
                        Names.generated(stackName, logicalId, 64, false);
                    default -> Names.generated(stackName, logicalId, 128, false);
                };
            }
            physicalNames.put(logicalId, name);
            return name;
        } finally {
            nameStack.pop();
        }
    }

    private boolean truthy(Object raw, String ptr) {
        return raw != null && Boolean.parseBoolean(text(resolve(raw, ptr)));
    }

    private static String nameProperty(String type) {
        return switch (type) {
            case "AWS::SQS::Queue" -> "QueueName";
            case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable" -> "TableName";
            case "AWS::S3::Bucket" -> "BucketName";
            case "AWS::Lambda::Function" -> "FunctionName";
            case "AWS::IAM::Role" -> "RoleName";
            case "AWS::IAM::User" -> "UserName";
            case "AWS::IAM::ManagedPolicy" -> "ManagedPolicyName";
            case "AWS::SNS::Topic" -> "TopicName";
            case "AWS::Kinesis::Stream",
                    "AWS::Events::Rule",
                    "AWS::Events::EventBus",
                    "AWS::SSM::Parameter",
                    "AWS::SecretsManager::Secret",
                    "AWS::ApiGateway::RestApi",
                    "AWS::ApiGatewayV2::Api" -> "Name";
            case "AWS::Logs::LogGroup" -> "LogGroupName";
            case "AWS::StepFunctions::StateMachine" -> "StateMachineName";
            case "AWS::Lambda::LayerVersion" -> "LayerName";
            case "AWS::KMS::Alias" -> "AliasName";
            case "AWS::IoT::TopicRule" -> "RuleName";
            case "AWS::Cognito::UserPool" -> "UserPoolName";
            default -> null;
        };
    }

    /** What Ref returns for a resource. */
    public String refValue(String logicalId) {
        String type = type(logicalId);
        return switch (type) {
            case "AWS::SQS::Queue",
                    "AWS::SNS::Topic",
                    "AWS::IAM::ManagedPolicy",
                    "AWS::SecretsManager::Secret",
                    "AWS::StepFunctions::StateMachine",
                    "AWS::Lambda::LayerVersion",
                    "AWS::Lambda::Version",
                    "AWS::Lambda::Alias" -> {
                Map<String, String> a = attributes(logicalId);
                yield type.equals("AWS::SQS::Queue") ? a.get("QueueUrl") : a.get("Arn");
            }
            case "AWS::KMS::Key" -> attributes(logicalId).get("KeyId");
            case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api" -> Names.hex(stackName + "/" + logicalId, 10);
            case "AWS::Lambda::EventSourceMapping" -> Names.uuid(stackName + "/" + logicalId);
            case "AWS::Cognito::UserPool" -> region + "_" + Names.suffix("pool/" + stackName + "/" + logicalId, 9);
            default -> physicalName(logicalId);
        };
    }

    /** GetAtt values RoleProof knows for the resource (Arn, QueueUrl, StreamArn, ...). */
    public Map<String, String> attributes(String logicalId) {
        Map<String, String> cached = attributeCache.get(logicalId);
        if (cached == null) {
            cached = computeAttributes(logicalId);
            attributeCache.put(logicalId, cached);
        }
        return cached;
    }

    private Map<String, String> computeAttributes(String logicalId) {
        String type = type(logicalId);
        String ptr = "/Resources/" + CfnYaml.escape(logicalId);
        Map<String, String> a = new LinkedHashMap<>();
        String p = partition;
        String r = region;
        String acct = account;
        switch (type) {
            case "AWS::SQS::Queue" -> {
                String n = physicalName(logicalId);
                a.put("Arn", "arn:" + p + ":sqs:" + r + ":" + acct + ":" + n);
                a.put("QueueName", n);
                a.put("QueueUrl", "https://sqs." + r + "." + urlSuffix() + "/" + acct + "/" + n);
            }
            case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable" -> {
                String n = physicalName(logicalId);
                String arn = "arn:" + p + ":dynamodb:" + r + ":" + acct + ":table/" + n;
                a.put("Arn", arn);
                Object streamSpec = properties(logicalId).get("StreamSpecification");
                if (streamSpec != null && resolve(streamSpec, ptr + "/Properties/StreamSpecification") != NO_VALUE) {
                    a.put("StreamArn", arn + "/stream/" + Names.STREAM_LABEL);
                }
            }
            case "AWS::S3::Bucket" -> {
                String n = physicalName(logicalId);
                a.put("Arn", "arn:" + p + ":s3:::" + n);
                a.put("DomainName", n + ".s3." + urlSuffix());
                a.put("RegionalDomainName", n + ".s3." + r + "." + urlSuffix());
                a.put("DualStackDomainName", n + ".s3.dualstack." + r + "." + urlSuffix());
                a.put("WebsiteURL", "http://" + n + ".s3-website-" + r + "." + urlSuffix());
            }
            case "AWS::Lambda::Function" -> {
                String n = physicalName(logicalId);
                a.put("Arn", "arn:" + p + ":lambda:" + r + ":" + acct + ":function:" + n);
            }
            case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::ManagedPolicy" -> {
                String n = physicalName(logicalId);
                Object rawPath = properties(logicalId).get("Path");
                String path = rawPath == null ? "/" : text(resolve(rawPath, ptr + "/Properties/Path"));
                String kind = switch (type) {
                    case "AWS::IAM::Role" -> "role";
                    case "AWS::IAM::User" -> "user";
                    default -> "policy";
                };
                a.put("Arn", "arn:" + p + ":iam::" + acct + ":" + kind + path + n);
                if (kind.equals("role")) {
                    a.put("RoleId", "AROA" + Names.suffix("role/" + stackName + "/" + logicalId, 17));
                }
                if (kind.equals("policy")) {
                    a.put("PolicyArn", a.get("Arn"));
                }
            }
            case "AWS::SNS::Topic" -> {
                String n = physicalName(logicalId);
                a.put("Arn", "arn:" + p + ":sns:" + r + ":" + acct + ":" + n);
                a.put("TopicArn", a.get("Arn"));
                a.put("TopicName", n);
            }
            case "AWS::Kinesis::Stream" ->
                a.put("Arn", "arn:" + p + ":kinesis:" + r + ":" + acct + ":stream/" + physicalName(logicalId));
            case "AWS::Events::Rule" -> {
                Object bus = properties(logicalId).get("EventBusName");
                String busName = bus == null ? "default" : text(resolve(bus, ptr + "/Properties/EventBusName"));
                a.put(
                        "Arn",
                        "arn:" + p + ":events:" + r + ":" + acct + ":rule/"
                                + (busName.equals("default") ? "" : busName + "/") + physicalName(logicalId));
            }
            case "AWS::Events::EventBus" -> {
                a.put("Arn", "arn:" + p + ":events:" + r + ":" + acct + ":event-bus/" + physicalName(logicalId));
                a.put("Name", physicalName(logicalId));
            }
            case "AWS::KMS::Key" -> {
                String id = Names.uuid("kms/" + stackName + "/" + logicalId);
                a.put("KeyId", id);
                a.put("Arn", "arn:" + p + ":kms:" + r + ":" + acct + ":key/" + id);
            }
            case "AWS::SecretsManager::Secret" ->
                a.put(
                        "Arn",
                        "arn:" + p + ":secretsmanager:" + r + ":" + acct + ":secret:" + physicalName(logicalId) + "-"
                                + Names.suffix("secret/" + logicalId, 6));
            case "AWS::Logs::LogGroup" ->
                a.put("Arn", "arn:" + p + ":logs:" + r + ":" + acct + ":log-group:" + physicalName(logicalId) + ":*");
            case "AWS::StepFunctions::StateMachine" -> {
                a.put("Arn", "arn:" + p + ":states:" + r + ":" + acct + ":stateMachine:" + physicalName(logicalId));
                a.put("Name", physicalName(logicalId));
            }
            case "AWS::Lambda::LayerVersion" ->
                a.put("Arn", "arn:" + p + ":lambda:" + r + ":" + acct + ":layer:" + physicalName(logicalId) + ":1");
            case "AWS::SSM::Parameter" -> {
                a.put("Type", text(properties(logicalId).get("Type")));
                a.put("Value", text(resolve(properties(logicalId).get("Value"), ptr + "/Properties/Value")));
            }
            case "AWS::ApiGateway::RestApi" ->
                a.put("RootResourceId", Names.hex("root/" + stackName + "/" + logicalId, 10));
            case "AWS::ApiGatewayV2::Api" ->
                a.put("ApiEndpoint", "https://" + refValue(logicalId) + ".execute-api." + r + "." + urlSuffix());
            case "AWS::Lambda::EventSourceMapping" -> a.put("Id", refValue(logicalId));
            case "AWS::Cognito::UserPool" -> {
                a.put("Arn", "arn:" + p + ":cognito-idp:" + r + ":" + acct + ":userpool/" + refValue(logicalId));
                a.put("ProviderName", "cognito-idp." + r + "." + urlSuffix() + "/" + refValue(logicalId));
            }
            case "AWS::IoT::TopicRule" ->
                a.put("Arn", "arn:" + p + ":iot:" + r + ":" + acct + ":rule/" + physicalName(logicalId));
            case "AWS::Lambda::Url" ->
                a.put("FunctionUrl", "https://" + Names.hex("url/" + logicalId, 32) + ".lambda-url." + r + ".on.aws/");
            case "AWS::Lambda::Version" -> {
                a.put("Version", "1");
                a.put("Arn", lambdaArn(properties(logicalId).get("FunctionName"), ptr) + ":1");
            }
            case "AWS::Lambda::Alias" ->
                a.put(
                        "Arn",
                        lambdaArn(properties(logicalId).get("FunctionName"), ptr) + ":"
                                + text(resolve(properties(logicalId).get("Name"), ptr + "/Properties/Name")));
            default -> {
                // Unknown types: GetAtt becomes symbolic.
            }
        }
        return a;
    }

    /** The unqualified function ARN for a FunctionName (a name, an ARN, or either with a qualifier). */
    private String lambdaArn(Object functionName, String ptr) {
        String f = text(resolve(functionName, ptr + "/Properties/FunctionName"));
        if (f.startsWith("arn:")) {
            String[] parts = f.split(":");
            return parts.length > 7 ? String.join(":", java.util.Arrays.copyOf(parts, 7)) : f;
        }
        String name = f.contains(":") ? f.substring(0, f.indexOf(':')) : f;
        return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + name;
    }

    // ------------------------------------------------------------------ dependency cycles

    /**
     * CloudFormation refuses a template whose resources depend on each other in a circle (Ref, GetAtt, Sub,
     * DependsOn); so do we, naming the circle.
     */
    public void checkDependencyCycles(List<String> active) {
        Set<String> activeSet = new java.util.HashSet<>(active);
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (String id : active) {
            Set<String> d = new LinkedHashSet<>();
            Map<String, Object> res = Maps.map(resources.get(id));
            collectRefs(res.get("Properties"), d);
            Object dependsOn = res.get("DependsOn");
            List<String> named = dependsOn instanceof String s
                    ? List.of(s)
                    : dependsOn instanceof List<?> l
                            ? l.stream().map(String::valueOf).toList()
                            : List.of();
            for (String n : named) {
                if (!resources.containsKey(n)) {
                    throw new TemplateException(
                            file,
                            line("/Resources/" + CfnYaml.escape(id) + "/DependsOn"),
                            "DependsOn of " + id + " names unknown resource '" + n + "'");
                }
            }
            d.addAll(named);
            d.retainAll(activeSet);
            deps.put(id, d);
        }
        Map<String, Integer> state = new HashMap<>();
        for (String id : active) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = findCycle(id, deps, state, path);
            if (cycle != null) {
                throw new TemplateException(
                        file,
                        line("/Resources/" + CfnYaml.escape(cycle.get(0))),
                        "circular dependency between resources: " + String.join(" -> ", cycle));
            }
        }
    }

    private List<String> findCycle(
            String id, Map<String, Set<String>> deps, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> p = new ArrayList<>(path);
            java.util.Collections.reverse(p);
            List<String> cycle = new ArrayList<>(p.subList(p.indexOf(id), p.size()));
            cycle.add(id);
            return cycle;
        }
        state.put(id, 1);
        path.push(id);
        for (String d : deps.getOrDefault(id, Set.of())) {
            List<String> c = findCycle(d, deps, state, path);
            if (c != null) {
                return c;
            }
        }
        path.pop();
        state.put(id, 2);
        return null;
    }

    private void collectRefs(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            if (m.size() == 1) {
                Object key = m.keySet().iterator().next();
                Object arg = m.get(key);
                if ("Ref".equals(key) && arg instanceof String s) {
                    out.add(s);
                    return;
                }
                if ("Fn::GetAtt".equals(key)) {
                    if (arg instanceof List<?> l && !l.isEmpty()) {
                        out.add(String.valueOf(l.get(0)));
                    } else if (arg instanceof String s) {
                        out.add(s.contains(".") ? s.substring(0, s.indexOf('.')) : s);
                    }
                    return;
                }
                if ("Fn::Sub".equals(key)) {
                    Object tpl = arg instanceof List<?> l && !l.isEmpty() ? l.get(0) : arg;
                    Set<String> local = arg instanceof List<?> l && l.size() > 1
                            ? Maps.map(l.get(1)).keySet()
                            : Set.of();
                    if (tpl instanceof String t) {
                        Matcher mm = SUB_VAR.matcher(t);
                        while (mm.find()) {
                            String name = mm.group(1);
                            if (!name.startsWith("!") && !local.contains(name)) {
                                out.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
                            }
                        }
                    }
                    if (arg instanceof List<?> l && l.size() > 1) {
                        collectRefs(l.get(1), out);
                    }
                    return;
                }
            }
            m.values().forEach(v -> collectRefs(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    // ------------------------------------------------------------------ lines

    public int line(String pointer) {
        return Maps.lineOf(lines, pointer);
    }
}
