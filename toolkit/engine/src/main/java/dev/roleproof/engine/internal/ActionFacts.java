package dev.roleproof.engine.internal;

import dev.roleproof.engine.explain.Reason;
import dev.roleproof.engine.vocabulary.ContextKeySet;
import dev.roleproof.engine.vocabulary.IamAction;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import dev.roleproof.engine.vocabulary.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Service Authorization Reference says about one request's action and resource ("Actions, resources, and
 * condition keys for AWS services"): an action without a resource type is authorized on "*" (so only a Resource
 * covering "*" grants it); an ARN that is not of one of the action's resource types is not something the action acts
 * on (no Allow grants it); and the request carries only the condition keys the action and that resource type
 * support. An action the data does not know (a service newer than the data, a misspelling) is matched by its name
 * alone.
 */
public final class ActionFacts {
    /** Null when the data does not know the action. */
    public final IamAction action;

    /** The resource the statements' Resource/NotResource are matched against: "*" for a wildcard-only action. */
    public final String matchResource;

    /** The request's resource is an ARN of no resource type of the action: no Allow statement grants it. */
    public final boolean typeMismatch;

    /** The action's resource types the request's resource is of (empty when unknown or not checked). */
    public final List<ResourceType> types;

    private final ContextKeySet keys; // null when the action is unknown

    private ActionFacts(IamAction action, String matchResource, boolean typeMismatch, List<ResourceType> types) {
        this.action = action;
        this.matchResource = matchResource;
        this.typeMismatch = typeMismatch;
        this.types = types;
        this.keys = action == null ? null : action.contextKeys(types);
    }

    public static ActionFacts of(IamVocabulary vocabulary, String lowerAction, String resource) {
        IamAction a = vocabulary.actionLowerOrNull(lowerAction);
        if (a == null) {
            return new ActionFacts(null, resource, false, List.of());
        }
        if (a.wildcardOnly()) {
            return new ActionFacts(a, "*", false, List.of());
        }
        if (!resource.startsWith("arn:") || resource.indexOf('*') >= 0 || resource.indexOf('?') >= 0) {
            return new ActionFacts(a, resource, false, List.of());
        }
        List<ResourceType> types = a.typesOf(resource);
        return new ActionFacts(a, resource, types.isEmpty(), types);
    }

    public boolean known() {
        return action != null;
    }

    public boolean wildcardOnly() {
        return action != null && action.wildcardOnly();
    }

    /** Whether a given context key of the action's own list (or its resource type's) applies to this request. */
    public boolean supportsKey(String key) {
        return keys != null && keys.contains(key);
    }

    /** UNKNOWN_ACTION, WILDCARD_ONLY_ACTION or RESOURCE_TYPE_MISMATCH when one of them shaped the decision. */
    public Reason note() {
        if (action == null) {
            return Reason.UNKNOWN_ACTION;
        }
        if (action.wildcardOnly()) {
            return Reason.WILDCARD_ONLY_ACTION;
        }
        return typeMismatch ? Reason.RESOURCE_TYPE_MISMATCH : null;
    }

    public List<String> typeNames() {
        List<String> out = new ArrayList<>(types.size());
        types.forEach(t -> out.add(t.name()));
        return out;
    }
}
