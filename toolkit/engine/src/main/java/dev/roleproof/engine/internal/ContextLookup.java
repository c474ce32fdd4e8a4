package dev.roleproof.engine.internal;

import java.util.List;

/** Request context as the evaluator sees it: given keys first, then keys derived from the request. */
public interface ContextLookup {
    /** The values of a condition key (case-insensitive name), or null when the request does not carry it. */
    List<String> get(String key);

    /** Whether the request was given the key but AWS would not carry it for this action (so get returns null). */
    default boolean hidden(String key) {
        return false;
    }
}
