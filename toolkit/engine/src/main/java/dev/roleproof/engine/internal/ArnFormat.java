package dev.roleproof.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource type's ARN format from the Service Authorization Reference, e.g.
 * {@code arn:${Partition}:s3:::${BucketName}/${ObjectName}}: variables in the first five parts stand for one part
 * (no colon); in the resource part a variable stands for one or more characters. A last variable whose format is
 * extended by another type of the same service with "/" (bucket → bucket/object, table → table/stream) excludes "/":
 * that is what tells {@code arn:aws:s3:::b/*} (objects) from a bucket. Extensions with ":" (a Lambda function and its
 * qualified alias or version ARN) are not excluded, since actions listed for "function" take qualified ARNs too.
 */
public final class ArnFormat {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    // Tokens of the resource part; for the header parts the same tokens apply within one part.
    static final int STAR = -1; // any run, possibly empty
    static final int ONE = -2; // any one character
    static final int NS_STAR = -3; // any run without '/'
    static final int NS_ONE = -4; // one character other than '/'

    private final String format;
    private final boolean lastExcludesSlash;
    private volatile Compiled compiled; // on first use: most formats of a service are never matched

    private record Compiled(Pattern regex, List<String> variables, int[][] parts) {}

    private ArnFormat(String format, boolean lastExcludesSlash) {
        this.format = format;
        this.lastExcludesSlash = lastExcludesSlash;
    }

    private Compiled compiled() {
        Compiled c = compiled;
        if (c == null) {
            c = compile(format, lastExcludesSlash);
            compiled = c;
        }
        return c;
    }

    private static Compiled compile(String format, boolean lastExcludesSlash) {
        String[] split = splitArn(format);
        StringBuilder re = new StringBuilder();
        List<String> vars = new ArrayList<>();
        int[][] parts = new int[6][];
        for (int p = 0; p < 6; p++) {
            String text = split[p];
            List<Integer> tokens = new ArrayList<>();
            Matcher m = VARIABLE.matcher(text);
            int at = 0;
            while (m.find()) {
                literal(text.substring(at, m.start()), tokens, re);
                boolean last = p == 5 && m.end() == text.length();
                vars.add(m.group(1));
                if (p < 5) {
                    tokens.add(STAR);
                    re.append("([^:]*)");
                } else if (last && lastExcludesSlash) {
                    tokens.add(NS_ONE);
                    tokens.add(NS_STAR);
                    re.append("([^/]+)");
                } else {
                    tokens.add(ONE);
                    tokens.add(STAR);
                    re.append(last ? "(.+)" : "(.+?)");
                }
                at = m.end();
            }
            literal(text.substring(at), tokens, re);
            if (p < 5) {
                re.append(':');
            }
            parts[p] = tokens.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Compiled(Pattern.compile(re.toString()), List.copyOf(vars), parts);
    }

    private static void literal(String text, List<Integer> tokens, StringBuilder re) {
        if (text.isEmpty()) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            tokens.add((int) text.charAt(i));
        }
        re.append(Pattern.quote(text));
    }

    /**
     * Compiles the formats of one service, in order; a format's last variable excludes "/" when another of them
     * extends it with "/".
     */
    public static List<ArnFormat> compileAll(List<String> formats) {
        List<ArnFormat> out = new ArrayList<>(formats.size());
        for (String f : formats) {
            boolean extended = false;
            if (f.endsWith("}")) {
                for (String g : formats) {
                    extended |= g.startsWith(f + "/");
                }
            }
            out.add(new ArnFormat(f, extended));
        }
        return out;
    }

    public String format() {
        return format;
    }

    /** Whether a concrete ARN is of this format. */
    public boolean matches(String arn) {
        return compiled().regex().matcher(arn).matches();
    }

    /** The variables' values in a concrete ARN (or a pattern read as text); null when it is not of this format. */
    public Map<String, String> bind(String arn) {
        Compiled c = compiled();
        Matcher m = c.regex().matcher(arn);
        if (!m.matches()) {
            return null;
        }
        List<String> variables = c.variables();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            out.putIfAbsent(variables.get(i), m.group(i + 1));
        }
        return out;
    }

    /** The format with variables filled from {@code values}; a variable without a value becomes "*". */
    public String fill(Map<String, String> values) {
        Matcher m = VARIABLE.matcher(format);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "*" : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Whether some resource a policy Resource pattern names (with IAM wildcards, matched as the engine does: the
     * first five parts one by one, a trailing "*" part standing for the rest) is of this format. Policy variables in
     * the pattern count as "*".
     */
    public boolean overlaps(String pattern) {
        String p = variablesAsStars(pattern);
        if (p.equals("*")) {
            return true;
        }
        if (!p.startsWith("arn:")) {
            return false;
        }
        String[] split = splitArn(p);
        for (int i = 0; i < 6; i++) {
            if (split[i] == null) { // fewer than six parts: a trailing '*' part spans the rest
                return split[i - 1] != null && split[i - 1].endsWith("*");
            }
            if (!intersects(Glob.tokenize(split[i]), compiled().parts()[i])) {
                return false;
            }
        }
        return true;
    }

    /** A policy pattern with each policy variable ("${aws:username}") read as "*". */
    public static String variablesAsStars(String pattern) {
        int open = pattern.indexOf("${");
        if (open < 0) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length());
        int at = 0;
        while (open >= 0) {
            int close = pattern.indexOf('}', open + 2);
            if (close < 0) {
                break;
            }
            sb.append(pattern, at, open).append('*');
            at = close + 1;
            open = pattern.indexOf("${", at);
        }
        return sb.append(pattern, at, pattern.length()).toString();
    }

    /** Splits at the first five colons; missing parts are null. */
    static String[] splitArn(String s) {
        String[] out = new String[6];
        int start = 0;
        for (int i = 0; i < 5; i++) {
            int c = s.indexOf(':', start);
            if (c < 0) {
                out[i] = s.substring(start);
                return out;
            }
            out[i] = s.substring(start, c);
            start = c + 1;
        }
        out[5] = s.substring(start);
        return out;
    }

    /** Whether two token sequences accept a common string: reachability in their product automaton. */
    static boolean intersects(int[] a, int[] b) {
        int n = a.length;
        int m = b.length;
        boolean[][] seen = new boolean[n + 1][m + 1];
        int[] stack = new int[(n + 1) * (m + 1)];
        int top = 0;
        stack[top++] = 0;
        seen[0][0] = true;
        while (top > 0) {
            int s = stack[--top];
            int i = s / (m + 1);
            int j = s % (m + 1);
            if (i == n && j == m) {
                return true;
            }
            // Epsilon: a star may match nothing.
            if (i < n && isStar(a[i])) {
                top = push(seen, stack, top, i + 1, j, m);
            }
            if (j < m && isStar(b[j])) {
                top = push(seen, stack, top, i, j + 1, m);
            }
            if (i == n || j == m) {
                continue;
            }
            if (!compatible(a[i], b[j])) {
                continue;
            }
            // Consume one character on both sides: a star stays, anything else advances.
            int ni = isStar(a[i]) ? i : i + 1;
            int nj = isStar(b[j]) ? j : j + 1;
            top = push(seen, stack, top, ni, nj, m);
        }
        return false;
    }

    private static int push(boolean[][] seen, int[] stack, int top, int i, int j, int m) {
        if (!seen[i][j]) {
            seen[i][j] = true;
            stack[top++] = i * (m + 1) + j;
        }
        return top;
    }

    private static boolean isStar(int t) {
        return t == STAR || t == NS_STAR;
    }

    /** Whether one character can satisfy both tokens. */
    private static boolean compatible(int x, int y) {
        if (x >= 0 && y >= 0) {
            return x == y;
        }
        if (x >= 0) {
            return x != '/' || (y != NS_STAR && y != NS_ONE);
        }
        if (y >= 0) {
            return y != '/' || (x != NS_STAR && x != NS_ONE);
        }
        return true; // two wildcards: some character other than '/' satisfies both
    }

    @Override
    public String toString() {
        return format;
    }
}
