package dev.roleproof.engine.internal;

import java.util.Arrays;

/**
 * A Resource / ArnLike pattern. AWS matches the six colon-separated ARN parts separately, except that a part ending
 * in '*' may expand across colons (IAM JSON policy elements: Resource). The resource part (after the fifth colon)
 * is one glob, so '*' there crosses '/' and ':'. Compiled once; matching allocates nothing.
 */
public final class ArnPattern {
    private final Glob whole;
    private final Glob[] parts; // null when the pattern is not ARN-shaped (fewer than six parts)
    private final Glob[] remainders; // remainders[i]: the pattern from part i to the end

    private ArnPattern(int[] tokens) {
        this.whole = Glob.ofTokens(tokens);
        int[] colons = new int[5];
        int n = 0;
        for (int i = 0; i < tokens.length && n < 5; i++) {
            if (tokens[i] == ':') {
                colons[n++] = i;
            }
        }
        if (whole.matchesAll() || n < 5) {
            parts = null;
            remainders = null;
            return;
        }
        parts = new Glob[6];
        remainders = new Glob[6];
        int start = 0;
        for (int i = 0; i < 6; i++) {
            int end = i < 5 ? colons[i] : tokens.length;
            parts[i] = Glob.ofTokens(Arrays.copyOfRange(tokens, start, end));
            if (i < 5 && parts[i].endsWithStar()) {
                // Only a part ending in '*' may expand across colons; matching stops there, so no later part is needed.
                remainders[i] = Glob.ofTokens(Arrays.copyOfRange(tokens, start, tokens.length));
                break;
            }
            start = end + 1;
        }
    }

    public static ArnPattern of(String pattern) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return new ArnPattern(Glob.of(pattern)); // a literal ARN matches only itself
        }
        return new ArnPattern(Glob.tokenize(pattern));
    }

    private ArnPattern(Glob literal) {
        this.whole = literal;
        this.parts = null;
        this.remainders = null;
    }

    static ArnPattern ofTokens(int[] tokens) {
        return new ArnPattern(tokens);
    }

    public boolean matchesAll() {
        return whole.matchesAll();
    }

    public boolean matches(String value) {
        if (parts == null) {
            return whole.matches(value);
        }
        int start = 0;
        for (int i = 0; i < 5; i++) {
            if (parts[i].endsWithStar()) {
                return remainders[i].matches(value, start, value.length());
            }
            int colon = value.indexOf(':', start);
            if (colon < 0) {
                return false;
            }
            if (!parts[i].matches(value, start, colon)) {
                return false;
            }
            start = colon + 1;
        }
        return parts[5].matches(value, start, value.length());
    }
}
