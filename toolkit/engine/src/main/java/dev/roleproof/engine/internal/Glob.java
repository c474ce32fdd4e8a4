package dev.roleproof.engine.internal;

/**
 * An IAM wildcard pattern ({@code *} any run, {@code ?} one character), compiled once at parse time. Hand-written
 * rather than a regex: no escaping pitfalls, no allocation and linear-time greedy matching on the hot path.
 * Literal '*' and '?' (from ${*} and ${?}) are kept as plain characters, which is why tokens are ints.
 */
public final class Glob {
    static final int STAR = -1;
    static final int ONE = -2;

    private final int[] tokens;
    private final String literal; // non-null when the pattern has no wildcard
    private final boolean matchAll;

    private Glob(int[] tokens, String literalText) {
        this.tokens = tokens;
        if (tokens == null) {
            this.literal = literalText;
            this.matchAll = false;
            return;
        }
        boolean wild = false;
        for (int t : tokens) {
            if (t < 0) {
                wild = true;
                break;
            }
        }
        if (wild) {
            this.literal = null;
        } else if (literalText != null) {
            this.literal = literalText;
        } else {
            char[] chars = new char[tokens.length];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) tokens[i];
            }
            this.literal = new String(chars);
        }
        this.matchAll = tokens.length > 0 && allStars(tokens);
    }

    private static boolean allStars(int[] tokens) {
        for (int t : tokens) {
            if (t != STAR) {
                return false;
            }
        }
        return true;
    }

    /** Compiles text where every '*' and '?' is a wildcard. */
    public static Glob of(String pattern) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return new Glob(null, pattern); // the common literal case: no token array needed
        }
        return new Glob(tokenize(pattern), pattern);
    }

    static int[] tokenize(String pattern) {
        int[] tokens = new int[pattern.length()];
        for (int i = 0; i < tokens.length; i++) {
            char c = pattern.charAt(i);
            tokens[i] = c == '*' ? STAR : c == '?' ? ONE : c;
        }
        return tokens;
    }

    /** A pattern from tokens built by {@link Template} (wildcards as {@link #STAR}/{@link #ONE}). */
    static Glob ofTokens(int[] tokens) {
        return new Glob(tokens, null);
    }

    /** Whether the pattern has no wildcard (then it matches only its own text). */
    public boolean isLiteral() {
        return literal != null;
    }

    public boolean matchesAll() {
        return matchAll;
    }

    public boolean matches(String s) {
        return matches(s, 0, s.length());
    }

    /** Matches s[from, to). */
    public boolean matches(String s, int from, int to) {
        if (matchAll) {
            return true;
        }
        if (literal != null) {
            return to - from == literal.length() && s.regionMatches(from, literal, 0, literal.length());
        }
        int[] p = tokens;
        int pi = 0;
        int si = from;
        int starP = -1;
        int starS = -1;
        while (si < to) {
            if (pi < p.length && (p[pi] == ONE || p[pi] == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length && p[pi] == STAR) {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == STAR) {
            pi++;
        }
        return pi == p.length;
    }

    /** True when the last token is a '*' wildcard. */
    boolean endsWithStar() {
        return tokens != null && tokens.length > 0 && tokens[tokens.length - 1] == STAR;
    }
}
