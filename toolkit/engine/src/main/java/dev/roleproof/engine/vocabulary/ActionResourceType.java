package dev.roleproof.engine.vocabulary;

import java.util.List;

/**
 * A resource type an action acts on.
 *
 * @param required marked required ("*") in the Service Authorization Reference
 * @param conditionKeys keys this action sees only on this type (besides the type's own)
 */
public record ActionResourceType(ResourceType type, boolean required, List<String> conditionKeys) {
    public ActionResourceType {
        conditionKeys = List.copyOf(conditionKeys);
    }
}
