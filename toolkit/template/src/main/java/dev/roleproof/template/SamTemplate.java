package dev.roleproof.template;

import dev.roleproof.template.internal.Maps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded template after intrinsic resolution and SAM expansion: what CloudFormation would deploy, as far as
 * permissions are concerned. {@code lines} maps JSON pointers into the source template
 * ("/Resources/Fn/Properties/Policies/0") to 1-based lines; {@link #line(String)} falls back to the nearest parent.
 * {@code resourcePolicies} are the resource-based policies declared in the template (SQS queue policies, S3 bucket
 * policies, SNS topic policies).
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
        Map<String, Integer> lines) {

    public SamTemplate {
        parameters = Map.copyOf(parameters);
        functions = List.copyOf(functions);
        roles = List.copyOf(roles);
        mappings = List.copyOf(mappings);
        permissions = List.copyOf(permissions);
        resources = List.copyOf(resources);
        resourcePolicies = List.copyOf(resourcePolicies);
        lines = Map.copyOf(lines);
    }

    public Optional<FunctionSpec> function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
    }

    /**
     * The function a FunctionName designates, as Lambda reads it: its name or ARN, either with a :qualifier
     * (version or alias).
     */
    public Optional<FunctionSpec> functionByNameOrArn(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        return functions.stream()
                .filter(f -> nameOrArn.equals(f.functionName())
                        || nameOrArn.equals(f.functionArn())
                        || nameOrArn.startsWith(f.functionArn() + ":")
                        || nameOrArn.startsWith(f.functionName() + ":"))
                .findFirst();
    }

    public Optional<RoleSpec> role(String logicalId) {
        return roles.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
    }

    /** The role whose ARN is {@code arn} (a function's roleArn), if the template declares it. */
    public Optional<RoleSpec> roleByArn(String arn) {
        return roles.stream().filter(r -> Objects.equals(r.arn(), arn)).findFirst();
    }

    public Optional<ResourceSpec> resource(String logicalId) {
        return resources.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
    }

    /**
     * The resource whose ARN is {@code arn}; a DynamoDB stream ARN finds its table, an S3 object ARN its bucket.
     */
    public Optional<ResourceSpec> resourceByArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        for (ResourceSpec r : resources) {
            if (arn.equals(r.arn()) || arn.equals(r.attribute("StreamArn"))) {
                return Optional.of(r);
            }
        }
        for (ResourceSpec r : resources) {
            if (r.arn() != null && (arn.startsWith(r.arn() + "/"))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public List<EventSourceMapping> mappingsOf(String functionLogicalId) {
        return mappings.stream()
                .filter(m -> functionLogicalId.equals(m.functionLogicalId()))
                .toList();
    }

    public List<FunctionPermission> permissionsOf(String functionLogicalId) {
        return permissions.stream()
                .filter(p -> functionLogicalId.equals(p.functionLogicalId()))
                .toList();
    }

    /** Resource policies that apply to the resource with this logical id. */
    public List<ResourcePolicy> resourcePoliciesOf(String resourceLogicalId) {
        return resourcePolicies.stream()
                .filter(p -> p.targets().contains(resourceLogicalId))
                .toList();
    }

    /** The source line of a JSON pointer, or of its nearest ancestor that has one; 0 when unknown. */
    public int line(String pointer) {
        return Maps.lineOf(lines, pointer);
    }
}
