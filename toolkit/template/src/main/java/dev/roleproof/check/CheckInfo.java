package dev.roleproof.check;

/**
 * What a rule is: its id (as in findings and SARIF), default severity, one-line description, and the shape of its fix
 * ({@code {0}}-style placeholders are filled per finding).
 */
public record CheckInfo(String id, Severity defaultSeverity, String description, String fixTemplate) {
}
