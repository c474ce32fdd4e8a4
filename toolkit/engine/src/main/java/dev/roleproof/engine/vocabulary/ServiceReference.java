package dev.roleproof.engine.vocabulary;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One service of the Service Authorization Reference: its actions, resource types and condition keys. */
public final class ServiceReference {
    private final String prefix;
    private final String name;
    private final List<IamAction> actions;
    private final Map<String, IamAction> byLowerName;
    private final List<ResourceType> resourceTypes;
    private final List<ConditionKey> conditionKeys;

    ServiceReference(
            String prefix,
            String name,
            List<IamAction> actions,
            Map<String, IamAction> byLowerName,
            List<ResourceType> resourceTypes,
            List<ConditionKey> conditionKeys) {
        this.prefix = prefix;
        this.name = name;
        this.actions = List.copyOf(actions);
        this.byLowerName = Collections.unmodifiableMap(byLowerName);
        this.resourceTypes = List.copyOf(resourceTypes);
        this.conditionKeys = List.copyOf(conditionKeys);
    }

    /** The service prefix used in actions, e.g. "s3". */
    public String prefix() {
        return prefix;
    }

    /** e.g. "Amazon S3". */
    public String name() {
        return name;
    }

    /** Every action, sorted by name. */
    public List<IamAction> actions() {
        return actions;
    }

    /** By name, case-insensitively ("getobject" finds GetObject). */
    public Optional<IamAction> action(String actionName) {
        return Optional.ofNullable(byLowerName.get(actionName.toLowerCase(Locale.ROOT)));
    }

    IamAction actionLower(String lowerName) {
        return byLowerName.get(lowerName);
    }

    public List<ResourceType> resourceTypes() {
        return resourceTypes;
    }

    public Optional<ResourceType> resourceType(String typeName) {
        return resourceTypes.stream().filter(t -> t.name().equals(typeName)).findFirst();
    }

    public List<ConditionKey> conditionKeys() {
        return conditionKeys;
    }

    @Override
    public String toString() {
        return prefix + " (" + name + ", " + actions.size() + " actions)";
    }
}
