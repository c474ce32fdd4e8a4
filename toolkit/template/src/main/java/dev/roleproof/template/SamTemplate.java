package dev.roleproof.template;

import dev.roleproof.template.internal.Maps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded template after intrinsic resolution and SAM expansion: what CloudFormation would deploy, as far as
 * permissions are concerned. {@code lines} maps JSON pointers into the source template
 * ("/Resources/Fn/Properties/Policies/0") to 1-based lines; {@link #line(String)} falls back to the nearest parent.
 * {@code resourcePolicies} are the resource-based policies declared in the template (SQS queue policies, S3 bucket
 * policies, SNS topic policies). {@code index} is derived from the lists (lookups by id, ARN and function in constant
 * time, so that checking a template stays linear in its size); it never takes part in equality.
 */
public record SamTemplate(
        Path file,
        String account,
        String region,
        String partition,
        Map<String, String> parameters,
        List<FunctionSpec> functions,
        List<RoleSpec> roles,
        List<EventSourceMapping> mappings,
        List<FunctionPermission> permissions,
        List<ResourceSpec> resources,
        List<ResourcePolicy> resourcePolicies,
        String stackName,
        Map<String, Integer> lines,
        Index index) {

    public SamTemplate {
        parameters = Map.copyOf(parameters);
        functions = List.copyOf(functions);
        roles = List.copyOf(roles);
        mappings = List.copyOf(mappings);
        permissions = List.copyOf(permissions);
        resources = List.copyOf(resources);
        resourcePolicies = List.copyOf(resourcePolicies);
        lines = Map.copyOf(lines);
        index = new Index(functions, roles, mappings, permissions, resources, resourcePolicies);
    }

    public SamTemplate(
            Path file,
            String account,
            String region,
            String partition,
            Map<String, String> parameters,
            List<FunctionSpec> functions,
            List<RoleSpec> roles,
            List<EventSourceMapping> mappings,
            List<FunctionPermission> permissions,
            List<ResourceSpec> resources,
            List<ResourcePolicy> resourcePolicies,
            String stackName,
            Map<String, Integer> lines) {
        this(
                file,
                account,
                region,
                partition,
                parameters,
                functions,
                roles,
                mappings,
                permissions,
                resources,
                resourcePolicies,
                stackName,
                lines,
                null);
    }

    public Optional<FunctionSpec> function(String logicalId) {
        return Optional.ofNullable(index.functions.get(logicalId));
    }

    /**
     * The function a FunctionName designates, as Lambda reads it: its name or ARN, either with a :qualifier
     * (version or alias).
     */
    public Optional<FunctionSpec> functionByNameOrArn(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        // The first function (in template order) whose name or ARN is the value or the value's part before a ':'.
        int best = Integer.MAX_VALUE;
        for (int colon = nameOrArn.indexOf(':'); ; colon = nameOrArn.indexOf(':', colon + 1)) {
            String candidate = colon < 0 ? nameOrArn : nameOrArn.substring(0, colon);
            best = Math.min(best, index.functionByName.getOrDefault(candidate, Integer.MAX_VALUE));
            best = Math.min(best, index.functionByArn.getOrDefault(candidate, Integer.MAX_VALUE));
            if (colon < 0) {
                break;
            }
        }
        return best == Integer.MAX_VALUE ? Optional.empty() : Optional.of(functions.get(best));
    }

    public Optional<RoleSpec> role(String logicalId) {
        return Optional.ofNullable(index.roles.get(logicalId));
    }

    /** The role whose ARN is {@code arn} (a function's roleArn), if the template declares it. */
    public Optional<RoleSpec> roleByArn(String arn) {
        return Optional.ofNullable(index.rolesByArn.get(arn));
    }

    public Optional<ResourceSpec> resource(String logicalId) {
        return Optional.ofNullable(index.resources.get(logicalId));
    }

    /**
     * The resource whose ARN is {@code arn}; a DynamoDB stream ARN finds its table, an S3 object ARN its bucket.
     */
    public Optional<ResourceSpec> resourceByArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        ResourceSpec exact = index.resourcesByArn.get(arn);
        if (exact != null) {
            return Optional.of(exact);
        }
        // The first resource (in template order) whose ARN followed by '/' starts this one.
        int best = Integer.MAX_VALUE;
        for (int slash = arn.indexOf('/'); slash >= 0; slash = arn.indexOf('/', slash + 1)) {
            best = Math.min(best, index.resourceOrderByArn.getOrDefault(arn.substring(0, slash), Integer.MAX_VALUE));
        }
        return best == Integer.MAX_VALUE ? Optional.empty() : Optional.of(resources.get(best));
    }

    public List<EventSourceMapping> mappingsOf(String functionLogicalId) {
        return Collections.unmodifiableList(index.mappingsByFunction.getOrDefault(functionLogicalId, List.of()));
    }

    public List<FunctionPermission> permissionsOf(String functionLogicalId) {
        return Collections.unmodifiableList(index.permissionsByFunction.getOrDefault(functionLogicalId, List.of()));
    }

    /** Resource policies that apply to the resource with this logical id. */
    public List<ResourcePolicy> resourcePoliciesOf(String resourceLogicalId) {
        return Collections.unmodifiableList(index.policiesByTarget.getOrDefault(resourceLogicalId, List.of()));
    }

    /**
     * Data derived from this template by {@code compute}, computed once and kept with it (a check's per-template
     * lookups, so that work per function does not rescan every resource).
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, java.util.function.Function<SamTemplate, T> compute) {
        Object v = index.derived.get(key);
        if (v == null) {
            v = compute.apply(this);
            index.derived.putIfAbsent(key, v);
        }
        return (T) v;
    }

    /** The source line of a JSON pointer, or of its nearest ancestor that has one; 0 when unknown. */
    public int line(String pointer) {
        return Maps.lineOf(lines, pointer);
    }

    /**
     * Lookups over the template's lists, built once with it. Derived data: every index is equal to every other, so
     * records holding one compare by their real components only.
     */
    public static final class Index extends DerivedIndex {
        private final Map<String, FunctionSpec> functions = new HashMap<>();
        private final Map<String, Integer> functionByName = new HashMap<>();
        private final Map<String, Integer> functionByArn = new HashMap<>();
        private final Map<String, RoleSpec> roles = new HashMap<>();
        private final Map<String, RoleSpec> rolesByArn = new HashMap<>();
        private final Map<String, ResourceSpec> resources = new HashMap<>();
        private final Map<String, ResourceSpec> resourcesByArn = new HashMap<>();
        private final Map<String, Integer> resourceOrderByArn = new HashMap<>();
        private final Map<String, List<EventSourceMapping>> mappingsByFunction = new HashMap<>();
        private final Map<String, List<FunctionPermission>> permissionsByFunction = new HashMap<>();
        private final Map<String, List<ResourcePolicy>> policiesByTarget = new HashMap<>();
        private final Map<Object, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

        private Index(
                List<FunctionSpec> functions,
                List<RoleSpec> roles,
                List<EventSourceMapping> mappings,
                List<FunctionPermission> permissions,
                List<ResourceSpec> resources,
                List<ResourcePolicy> resourcePolicies) {
            for (int i = 0; i < functions.size(); i++) {
                FunctionSpec f = functions.get(i);
                this.functions.putIfAbsent(f.logicalId(), f);
                if (f.functionName() != null) {
                    functionByName.putIfAbsent(f.functionName(), i);
                }
                if (f.functionArn() != null) {
                    functionByArn.putIfAbsent(f.functionArn(), i);
                }
            }
            for (RoleSpec r : roles) {
                this.roles.putIfAbsent(r.logicalId(), r);
                rolesByArn.putIfAbsent(r.arn(), r);
            }
            for (int i = 0; i < resources.size(); i++) {
                ResourceSpec r = resources.get(i);
                this.resources.putIfAbsent(r.logicalId(), r);
                if (r.arn() != null) {
                    resourcesByArn.putIfAbsent(r.arn(), r);
                    resourceOrderByArn.putIfAbsent(r.arn(), i);
                }
                if (r.attribute("StreamArn") != null) {
                    resourcesByArn.putIfAbsent(r.attribute("StreamArn"), r);
                }
            }
            for (EventSourceMapping m : mappings) {
                if (m.functionLogicalId() != null) {
                    mappingsByFunction
                            .computeIfAbsent(m.functionLogicalId(), k -> new ArrayList<>())
                            .add(m);
                }
            }
            for (FunctionPermission p : permissions) {
                if (p.functionLogicalId() != null) {
                    permissionsByFunction
                            .computeIfAbsent(p.functionLogicalId(), k -> new ArrayList<>())
                            .add(p);
                }
            }
            for (ResourcePolicy p : resourcePolicies) {
                for (String target : new LinkedHashSet<>(p.targets())) {
                    policiesByTarget
                            .computeIfAbsent(target, k -> new ArrayList<>())
                            .add(p);
                }
            }
        }
    }
}
