package dev.roleproof.check;

import java.util.Locale;

/** How bad a finding is. ERROR makes {@code roleproof check} exit 1; NOTE is information (something not judged). */
public enum Severity {
    ERROR,
    WARNING,
    NOTE;

    /** "error", "warning", "note": the spelling of the JSON output and of SARIF's level. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this is at least as severe as {@code other}. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
