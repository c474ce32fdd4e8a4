package dev.roleproof.engine.internal;

import java.math.BigDecimal;

/** Numeric condition values: integers or decimals, compared exactly. */
public final class Numbers {
    private Numbers() {}

    public static BigDecimal parseOrNull(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return null;
            }
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
