package dev.roleproof.check;

import java.nio.file.Path;

/**
 * What a rule is: its id (as in findings and SARIF), default severity, one-line description, and the shape of its fix
 * ({@code {0}}-style placeholders are filled per finding).
 */
public record CheckInfo(String id, Severity defaultSeverity, String description, String fixTemplate) {

    /** A finding of this rule at its default severity. */
    public Finding finding(String resource, String message, String fix, int line, Path file) {
        return new Finding(id, defaultSeverity, resource, message, fix, line, file);
    }
}
