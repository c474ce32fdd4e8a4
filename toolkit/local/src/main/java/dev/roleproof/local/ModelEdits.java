package dev.roleproof.local;

import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.policy.Statement;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionPermission;
import dev.roleproof.template.FunctionSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Copies of a loaded model with one thing changed: the breaks (an action removed, a resource swapped, a permission
 * dropped) and the deploy-time values moto chooses (a table's real StreamArn replaces the model's placeholder).
 * The model is immutable records, so each edit rebuilds what it touches.
 */
final class ModelEdits {

    private ModelEdits() {}

    /** Removes {@code action} (case-insensitive) from every Allow statement of the role; empty statements go. */
    static SamTemplate removeAction(SamTemplate t, String roleLogicalId, String action) {
        return editStatements(t, roleLogicalId, s -> {
            if (s.actions() == null) {
                return s;
            }
            List<String> kept = s.actions().stream()
                    .filter(a -> !a.equalsIgnoreCase(action))
                    .toList();
            return kept.size() == s.actions().size()
                    ? s
                    : kept.isEmpty() ? null : withActionsResources(s, kept, s.resources());
        });
    }

    /** Points every statement of the role that grants an action of {@code service} at {@code newResource}. */
    static SamTemplate retarget(SamTemplate t, String roleLogicalId, String servicePrefix, String newResource) {
        return editStatements(t, roleLogicalId, s -> {
            if (s.actions() == null
                    || s.resources() == null
                    || s.actions().stream().noneMatch(a -> a.toLowerCase().startsWith(servicePrefix + ":"))) {
                return s;
            }
            return withActionsResources(s, s.actions(), List.of(newResource));
        });
    }

    /** Drops the function permissions (AWS::Lambda::Permission) of a function for a principal. */
    static SamTemplate removePermissions(SamTemplate t, String functionLogicalId, String principal) {
        List<FunctionPermission> kept = t.permissions().stream()
                .filter(p -> !(functionLogicalId.equals(p.functionLogicalId()) && principal.equals(p.principal())))
                .toList();
        return with(t, t.functions(), t.roles(), t.mappings(), kept);
    }

    /** Sets the SourceArn of a function's permissions for a principal. */
    static SamTemplate permissionSourceArn(
            SamTemplate t, String functionLogicalId, String principal, String sourceArn) {
        List<FunctionPermission> out = new ArrayList<>();
        for (FunctionPermission p : t.permissions()) {
            out.add(
                    functionLogicalId.equals(p.functionLogicalId()) && principal.equals(p.principal())
                            ? new FunctionPermission(
                                    p.logicalId(),
                                    p.functionLogicalId(),
                                    p.action(),
                                    p.principal(),
                                    sourceArn,
                                    p.sourceAccount(),
                                    p.line(),
                                    p.functionName(),
                                    p.eventType())
                            : p);
        }
        return with(t, t.functions(), t.roles(), t.mappings(), out);
    }

    /**
     * Replaces a value everywhere the Lambda service and the engine read it: function environments, policy
     * resources, mapping sources and destinations. Used for values only known once deployed (a stream's label).
     */
    static SamTemplate replaceValue(SamTemplate t, String from, String to) {
        if (from == null || from.equals(to)) {
            return t;
        }
        UnaryOperator<String> r = v -> v == null ? null : v.replace(from, to);
        List<FunctionSpec> functions = new ArrayList<>();
        for (FunctionSpec f : t.functions()) {
            Map<String, String> env = new LinkedHashMap<>();
            f.environment().forEach((k, v) -> env.put(k, r.apply(v)));
            functions.add(new FunctionSpec(
                    f.logicalId(),
                    f.functionName(),
                    f.functionArn(),
                    f.handler(),
                    f.runtime(),
                    f.codeUri(),
                    f.timeoutSeconds(),
                    f.memoryMb(),
                    env,
                    f.roleLogicalId(),
                    f.roleArn(),
                    f.calls(),
                    f.line(),
                    f.properties()));
        }
        List<EventSourceMapping> mappings = new ArrayList<>();
        for (EventSourceMapping m : t.mappings()) {
            mappings.add(new EventSourceMapping(
                    m.logicalId(),
                    m.functionLogicalId(),
                    m.sourceType(),
                    r.apply(m.eventSourceArn()),
                    m.batchSize(),
                    m.functionResponseTypes(),
                    m.bisectBatchOnFunctionError(),
                    m.maximumRetryAttempts(),
                    m.maximumRecordAgeInSeconds(),
                    r.apply(m.onFailureDestinationArn()),
                    m.line(),
                    m.startingPosition(),
                    m.maximumBatchingWindowInSeconds(),
                    m.enabled(),
                    m.functionName()));
        }
        SamTemplate edited = with(t, functions, t.roles(), mappings, t.permissions());
        for (RoleSpec role : t.roles()) {
            edited = editStatements(
                    edited,
                    role.logicalId(),
                    s -> s.resources() == null || s.resources().stream().noneMatch(x -> x.contains(from))
                            ? s
                            : withActionsResources(
                                    s,
                                    s.actions(),
                                    s.resources().stream().map(r).toList()));
        }
        return edited;
    }

    /** Applies {@code edit} to each statement of the role's policies (null removes the statement). */
    static SamTemplate editStatements(SamTemplate t, String roleLogicalId, UnaryOperator<Statement> edit) {
        List<RoleSpec> roles = new ArrayList<>();
        for (RoleSpec role : t.roles()) {
            if (!role.logicalId().equals(roleLogicalId)) {
                roles.add(role);
                continue;
            }
            List<AttachedPolicy> policies = new ArrayList<>();
            for (AttachedPolicy ap : role.policies()) {
                if (ap.policy() == null) {
                    policies.add(ap);
                    continue;
                }
                List<Statement> statements = new ArrayList<>();
                boolean changed = false;
                for (Statement s : ap.policy().statements()) {
                    Statement e = edit.apply(s);
                    changed |= e != s;
                    if (e != null) {
                        statements.add(e);
                    }
                }
                if (!changed) {
                    policies.add(ap);
                    continue;
                }
                Policy p = ap.policy();
                policies.add(new AttachedPolicy(
                        ap.name(),
                        ap.kind(),
                        ap.arn(),
                        new Policy(p.name(), p.version(), p.id(), statements),
                        ap.line(),
                        ap.statementLines(),
                        ap.template(),
                        ap.json()));
            }
            roles.add(new RoleSpec(
                    role.logicalId(),
                    role.roleName(),
                    role.arn(),
                    role.trustPolicy(),
                    policies,
                    role.permissionsBoundary(),
                    role.functions(),
                    role.line(),
                    role.generated(),
                    role.path(),
                    role.permissionsBoundaryArn()));
        }
        return new SamTemplate(
                t.file(),
                t.account(),
                t.region(),
                t.partition(),
                t.parameters(),
                t.functions(),
                roles,
                t.mappings(),
                t.permissions(),
                t.resources(),
                t.resourcePolicies(),
                t.stackName(),
                t.lines());
    }

    private static Statement withActionsResources(Statement s, List<String> actions, List<String> resources) {
        return new Statement(
                s.index(),
                s.sid(),
                s.effect(),
                actions,
                s.notActions() == null ? null : s.notActions(),
                resources,
                s.notResources(),
                s.principal(),
                s.notPrincipal(),
                s.conditions(),
                true);
    }

    private static SamTemplate with(
            SamTemplate t,
            List<FunctionSpec> functions,
            List<RoleSpec> roles,
            List<EventSourceMapping> mappings,
            List<FunctionPermission> permissions) {
        return new SamTemplate(
                t.file(),
                t.account(),
                t.region(),
                t.partition(),
                t.parameters(),
                functions,
                roles,
                mappings,
                permissions,
                t.resources(),
                t.resourcePolicies(),
                t.stackName(),
                t.lines());
    }
}
