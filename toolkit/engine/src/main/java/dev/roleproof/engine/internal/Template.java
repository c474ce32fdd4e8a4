package dev.roleproof.engine.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Text with IAM policy variables: ${key}, ${key, 'default'}, and the escapes ${*}, ${?}, ${$}. Parsed once.
 * Substituted values are literal characters (never wildcards). A variable whose key is absent (or multi-valued) and
 * has no default leaves the whole value unresolved: it then matches nothing (IAM policy elements: Variables and tags).
 */
public final class Template {
    private final List<Object> parts; // String literal (wildcards live), Character escape, or Var

    private record Var(String key, String fallback) {}

    private Template(List<Object> parts) {
        this.parts = parts;
    }

    /** Null when the text holds no variable (the common case: callers then use plain compiled forms). */
    public static Template parseOrNull(String text) {
        if (text.indexOf("${") < 0) {
            return null;
        }
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder lit = new StringBuilder();
        boolean any = false;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            int close = open < 0 ? -1 : text.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                lit.append(text, i, text.length());
                break;
            }
            lit.append(text, i, open);
            String inner = text.substring(open + 2, close).trim();
            Object part = parsePart(inner);
            if (part == null) { // not a variable: keep the text as written
                lit.append(text, open, close + 1);
            } else {
                if (lit.length() > 0) {
                    parts.add(lit.toString());
                    lit.setLength(0);
                }
                parts.add(part);
                any = true;
            }
            i = close + 1;
        }
        if (!any) {
            return null;
        }
        if (lit.length() > 0) {
            parts.add(lit.toString());
        }
        return new Template(List.copyOf(parts));
    }

    private static Object parsePart(String inner) {
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
            return inner.charAt(0);
        }
        String key = inner;
        String fallback = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
            key = inner.substring(0, comma).trim();
            String def = inner.substring(comma + 1).trim();
            if (def.length() < 2 || def.charAt(0) != '\'' || def.charAt(def.length() - 1) != '\'') {
                return null;
            }
            fallback = def.substring(1, def.length() - 1).replace("''", "'");
        }
        if (key.isEmpty() || key.indexOf(' ') >= 0) {
            return null;
        }
        return new Var(key, fallback);
    }

    private static String value(Var v, ContextLookup ctx) {
        List<String> values = ctx.get(v.key());
        if (values != null && values.size() == 1) {
            return values.get(0);
        }
        return v.fallback();
    }

    /** The text with variables replaced, for equality operators; null when unresolved. */
    public String resolveText(ContextLookup ctx) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Var) {
                String v = value((Var) p, ctx);
                if (v == null) {
                    return null;
                }
                sb.append(v);
            } else {
                sb.append(p);
            }
        }
        return sb.toString();
    }

    /** Wildcard tokens with variables replaced by literal characters; null when unresolved. */
    public int[] resolveTokens(ContextLookup ctx) {
        List<int[]> chunks = new ArrayList<>();
        int total = 0;
        for (Object p : parts) {
            int[] chunk;
            if (p instanceof String) {
                chunk = Glob.tokenize((String) p);
            } else if (p instanceof Character) {
                chunk = new int[] {(Character) p};
            } else {
                String v = value((Var) p, ctx);
                if (v == null) {
                    return null;
                }
                chunk = v.chars().toArray();
            }
            chunks.add(chunk);
            total += chunk.length;
        }
        int[] out = new int[total];
        int o = 0;
        for (int[] c : chunks) {
            System.arraycopy(c, 0, out, o, c.length);
            o += c.length;
        }
        return out;
    }

    public Glob resolveGlob(ContextLookup ctx) {
        int[] t = resolveTokens(ctx);
        return t == null ? null : Glob.ofTokens(t);
    }

    public ArnPattern resolveArn(ContextLookup ctx) {
        int[] t = resolveTokens(ctx);
        return t == null ? null : ArnPattern.ofTokens(t);
    }
}
