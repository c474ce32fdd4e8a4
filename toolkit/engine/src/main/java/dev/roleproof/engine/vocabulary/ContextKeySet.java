package dev.roleproof.engine.vocabulary;

import dev.roleproof.engine.internal.BoundedCache;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Condition keys as a lookup: names compare case-insensitively, and a listed key with a variable part
 * ({@code aws:RequestTag/${TagKey}}, {@code s3:ExistingObjectTag/<key>}) covers every key with the same text up to
 * its first "/".
 */
public final class ContextKeySet {
    private final Set<String> exact = new HashSet<>();
    private final Set<String> prefixes = new HashSet<>();
    private final BoundedCache<String, Boolean> answers = new BoundedCache<>(1024);

    ContextKeySet(Collection<String> keys) {
        for (String k : keys) {
            String lower = k.toLowerCase(Locale.ROOT);
            exact.add(lower);
            int slash = lower.indexOf('/');
            if (slash > 0) {
                prefixes.add(lower.substring(0, slash + 1));
            }
        }
    }

    /** Whether a request's key (e.g. "aws:RequestTag/team") is one of these. */
    public boolean contains(String key) {
        return answers.get(key, this::lookup);
    }

    private boolean lookup(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (exact.contains(lower)) {
            return true;
        }
        int slash = lower.indexOf('/');
        return slash > 0 && prefixes.contains(lower.substring(0, slash + 1));
    }
}
