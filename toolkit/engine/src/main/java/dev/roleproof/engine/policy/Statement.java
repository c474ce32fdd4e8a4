package dev.roleproof.engine.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.internal.CompiledStatement;
import dev.roleproof.engine.json.PolicyJson;
import java.util.List;

/**
 * One statement. Exactly one of actions/notActions is non-null; at most one of resources/notResources (both null:
 * a trust policy, which applies to the role itself); at most one of principal/notPrincipal (resource-based
 * policies only). Lists keep the text as written.
 *
 * @param index position in the policy's Statement array (0 for a single statement object)
 * @param sid nullable
 * @param conditions all must hold (AND); empty when there is no Condition
 * @param compiled matchers built once from the lists above (for the evaluator)
 */
public record Statement(
        int index,
        String sid,
        Effect effect,
        List<String> actions,
        List<String> notActions,
        List<String> resources,
        List<String> notResources,
        Principals principal,
        Principals notPrincipal,
        List<Condition> conditions,
        CompiledStatement compiled) {

    public Statement {
        actions = actions == null ? null : List.copyOf(actions);
        notActions = notActions == null ? null : List.copyOf(notActions);
        resources = resources == null ? null : List.copyOf(resources);
        notResources = notResources == null ? null : List.copyOf(notResources);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        if ((actions == null) == (notActions == null)) {
            throw new IllegalArgumentException("A statement needs exactly one of Action and NotAction");
        }
        if (resources != null && notResources != null) {
            throw new IllegalArgumentException("A statement cannot have both Resource and NotResource");
        }
        if (principal != null && notPrincipal != null) {
            throw new IllegalArgumentException("A statement cannot have both Principal and NotPrincipal");
        }
    }

    /** Builds and compiles a statement; variables says whether its policy's Version enables policy variables. */
    public Statement(
            int index,
            String sid,
            Effect effect,
            List<String> actions,
            List<String> notActions,
            List<String> resources,
            List<String> notResources,
            Principals principal,
            Principals notPrincipal,
            List<Condition> conditions,
            boolean variables) {
        this(
                index,
                sid,
                effect,
                actions,
                notActions,
                resources,
                notResources,
                principal,
                notPrincipal,
                conditions,
                new CompiledStatement(
                        actions != null ? actions : notActions,
                        resources != null ? resources : notResources,
                        variables));
    }

    /** A simple Allow/Deny of actions on resources, for tests and hand-built policies (variables enabled). */
    public static Statement of(int index, Effect effect, List<String> actions, List<String> resources) {
        return new Statement(index, null, effect, actions, null, resources, null, null, null, List.of(), true);
    }

    /** The statement as AWS JSON (Jackson serialises a Statement as this). */
    @JsonValue
    public ObjectNode toJson() {
        return PolicyJson.write(this);
    }

    public boolean hasNotAction() {
        return notActions != null;
    }

    public boolean hasNotResource() {
        return notResources != null;
    }

    /** The statement's label for explanations: "Sid" or "#index". */
    public String label() {
        return sid != null && !sid.isEmpty() ? sid : "#" + index;
    }
}
