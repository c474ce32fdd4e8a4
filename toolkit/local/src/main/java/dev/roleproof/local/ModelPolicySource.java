package dev.roleproof.local;

import dev.roleproof.engine.AuthorizationInput;
import dev.roleproof.engine.Request;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.Effect;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Principals;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.local.enforce.PolicySource;
import dev.roleproof.local.enforce.Principal;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.ResourcePolicy;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine needs for one request, read from the deployed models of both accounts: the identity policies and
 * boundary of the caller's role, and the resource-based policy of the target: a role's trust policy for
 * sts:AssumeRole, a queue or bucket policy, or a function's policy (its AWS::Lambda::Permission resources).
 */
final class ModelPolicySource implements PolicySource {

    private volatile Stacks stacks;

    ModelPolicySource(Stacks stacks) {
        this.stacks = stacks;
    }

    void update(Stacks newStacks) {
        this.stacks = newStacks;
    }

    @Override
    public AuthorizationInput inputFor(Principal caller, Request request) {
        Request r = request;
        AuthorizationInput.Builder b;
        Optional<RoleSpec> role = roleOfSession(caller.arn());
        if (role.isPresent()) {
            if (!has(r, "aws:PrincipalArn")) {
                r = r.withContext("aws:PrincipalArn", role.get().arn());
            }
            if (!has(r, "aws:PrincipalAccount")) {
                r = r.withContext("aws:PrincipalAccount", caller.account());
            }
            b = AuthorizationInput.builder(r).identityPolicies(identityPolicies(role.get()));
            if (role.get().permissionsBoundary() != null) {
                b.permissionsBoundary(role.get().permissionsBoundary());
            }
        } else {
            b = AuthorizationInput.builder(r);
        }
        Policy resourcePolicy = resourcePolicy(r.action(), r.resource());
        if (resourcePolicy != null) {
            b.resourcePolicy(resourcePolicy);
        }
        return b.build();
    }

    private static boolean has(Request r, String key) {
        return r.context().keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key));
    }

    /** The role behind arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION (or a role ARN itself). */
    Optional<RoleSpec> roleOfSession(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return Optional.empty();
        }
        String account = parts[4];
        String rest = parts[5];
        String name;
        if (rest.startsWith("assumed-role/")) {
            String[] segs = rest.split("/");
            name = segs.length > 1 ? segs[1] : null;
        } else if (rest.startsWith("role/")) {
            name = rest.substring(rest.lastIndexOf('/') + 1);
        } else {
            return Optional.empty();
        }
        for (SamTemplate t : List.of(stacks.a(), stacks.b())) {
            if (!t.account().equals(account)) {
                continue;
            }
            for (RoleSpec role : t.roles()) {
                if (Objects.equals(role.roleName(), name)) {
                    return Optional.of(role);
                }
            }
        }
        return Optional.empty();
    }

    static List<Policy> identityPolicies(RoleSpec role) {
        List<Policy> out = new ArrayList<>();
        for (AttachedPolicy p : role.policies()) {
            if (p.policy() != null) {
                out.add(p.policy());
            }
        }
        return out;
    }

    Policy resourcePolicy(String action, String resource) {
        if (resource == null) {
            return null;
        }
        String a = action.toLowerCase();
        if (a.startsWith("sts:assumerole")) {
            return stacks.roleByArn(resource).map(RoleSpec::trustPolicy).orElse(null);
        }
        if (a.startsWith("lambda:")) {
            for (SamTemplate t : List.of(stacks.a(), stacks.b())) {
                for (FunctionSpec f : t.functions()) {
                    if (resource.equals(f.functionArn())) {
                        return functionPolicy(t, f);
                    }
                }
            }
            return null;
        }
        String target = resource;
        if (a.startsWith("s3:") && resource.indexOf('/') > 0) {
            target = resource.substring(0, resource.indexOf('/'));
        }
        for (SamTemplate t : List.of(stacks.a(), stacks.b())) {
            for (ResourcePolicy p : t.resourcePolicies()) {
                if (p.targetArns().contains(target) && p.policy() != null) {
                    return p.policy();
                }
            }
        }
        return null;
    }

    /** A function's resource-based policy as Lambda builds it from its permissions (AddPermission). */
    static Policy functionPolicy(SamTemplate t, FunctionSpec f) {
        List<Statement> statements = new ArrayList<>();
        for (FunctionPermission p : t.permissionsOf(f.logicalId())) {
            boolean service = p.principal() != null && p.principal().endsWith(".amazonaws.com");
            Principals principal = service
                    ? new Principals(false, List.of(), List.of(p.principal()), List.of(), List.of())
                    : "*".equals(p.principal())
                            ? Principals.ANY
                            : new Principals(
                                    false,
                                    List.of(
                                            p.principal().matches("\\d{12}")
                                                    ? "arn:" + t.partition() + ":iam::" + p.principal() + ":root"
                                                    : p.principal()),
                                    List.of(),
                                    List.of(),
                                    List.of());
            List<Condition> conditions = new ArrayList<>();
            if (p.sourceArn() != null) {
                conditions.add(Condition.of("ArnLike", "AWS:SourceArn", List.of(p.sourceArn()), true));
            }
            if (p.sourceAccount() != null) {
                conditions.add(Condition.of("StringEquals", "AWS:SourceAccount", List.of(p.sourceAccount()), true));
            }
            statements.add(new Statement(
                    statements.size(),
                    p.logicalId(),
                    Effect.ALLOW,
                    List.of(p.action()),
                    null,
                    List.of(f.functionArn()),
                    null,
                    principal,
                    null,
                    conditions,
                    true));
        }
        return new Policy(f.logicalId() + "/FunctionPolicy", Policy.V2012, statements);
    }
}
