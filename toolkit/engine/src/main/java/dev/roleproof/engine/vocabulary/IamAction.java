package dev.roleproof.engine.vocabulary;

import dev.roleproof.engine.internal.ArnFormat;
import dev.roleproof.engine.internal.BoundedCache;
import java.util.ArrayList;
import java.util.List;

/**
 * An IAM action as the Service Authorization Reference lists it: access level, the resource types it acts on, and
 * the condition keys its requests can carry.
 */
public final class IamAction {
    private final String service;
    private final String name;
    private final AccessLevel accessLevel;
    private final List<ActionResourceType> resourceTypes;
    private final List<String> conditionKeys;
    private volatile ContextKeySet allKeys;
    private final BoundedCache<String, List<ResourceType>> typesByArn = new BoundedCache<>(4096);
    private final BoundedCache<String, Boolean> grantable = new BoundedCache<>(4096);
    private final java.util.concurrent.ConcurrentHashMap<ResourceType, ContextKeySet> keysByType =
            new java.util.concurrent.ConcurrentHashMap<>();

    IamAction(
            String service,
            String name,
            AccessLevel accessLevel,
            List<ActionResourceType> resourceTypes,
            List<String> conditionKeys) {
        this.service = service;
        this.name = name;
        this.accessLevel = accessLevel;
        this.resourceTypes = List.copyOf(resourceTypes);
        this.conditionKeys = List.copyOf(conditionKeys);
    }

    /** The service prefix, e.g. "s3". */
    public String service() {
        return service;
    }

    /** As AWS spells it, e.g. "GetObject". */
    public String name() {
        return name;
    }

    /** "s3:GetObject". */
    public String fullName() {
        return service + ":" + name;
    }

    public AccessLevel accessLevel() {
        return accessLevel;
    }

    public List<ActionResourceType> resourceTypes() {
        return resourceTypes;
    }

    /** Keys the action's requests can carry whatever the resource (global keys aside). */
    public List<String> conditionKeys() {
        return conditionKeys;
    }

    /**
     * No resource type: AWS authorizes the action on "*", so only a statement whose Resource covers "*" grants it
     * ("Actions, resources, and condition keys": "you must specify all resources ('*')").
     */
    public boolean wildcardOnly() {
        return resourceTypes.isEmpty();
    }

    /** The action's resource types that a concrete ARN is of (empty: none, or a wildcard-only action). */
    public List<ResourceType> typesOf(String arn) {
        return typesByArn.get(arn, this::computeTypesOf);
    }

    private List<ResourceType> computeTypesOf(String arn) {
        List<ResourceType> out = new ArrayList<>(1);
        for (ActionResourceType rt : resourceTypes) {
            if (rt.type().matches(arn)) {
                out.add(rt.type());
            }
        }
        return List.copyOf(out);
    }

    /** Whether a concrete ARN is of one of the action's resource types. */
    public boolean appliesTo(String arn) {
        return !typesOf(arn).isEmpty();
    }

    /**
     * Whether a policy Resource pattern can grant this action: for a wildcard-only action only a pattern that covers
     * "*" can; otherwise the pattern must be able to name a resource of one of its types.
     */
    public boolean grantableBy(String resourcePattern) {
        return grantable.get(resourcePattern, this::computeGrantableBy);
    }

    private boolean computeGrantableBy(String resourcePattern) {
        if (ArnFormat.variablesAsStars(resourcePattern).chars().allMatch(c -> c == '*')) {
            return true;
        }
        if (wildcardOnly()) {
            return false;
        }
        for (ActionResourceType rt : resourceTypes) {
            if (rt.type().overlaps(resourcePattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The condition keys a request of this action on resources of {@code types} can carry (global keys aside): the
     * action's own, the types' and the action's keys for those types. Empty {@code types}: any of its types.
     */
    public ContextKeySet contextKeys(List<ResourceType> types) {
        if (types.isEmpty() && allKeys != null) {
            return allKeys;
        }
        if (types.size() == 1) {
            return keysByType.computeIfAbsent(types.get(0), t -> collect(List.of(t)));
        }
        ContextKeySet set = collect(types);
        if (types.isEmpty()) {
            allKeys = set;
        }
        return set;
    }

    private ContextKeySet collect(List<ResourceType> types) {
        List<String> keys = new ArrayList<>(conditionKeys);
        for (ActionResourceType rt : resourceTypes) {
            if (types.isEmpty() || types.contains(rt.type())) {
                keys.addAll(rt.type().conditionKeys());
                keys.addAll(rt.conditionKeys());
            }
        }
        return new ContextKeySet(keys);
    }

    @Override
    public String toString() {
        return fullName();
    }
}
