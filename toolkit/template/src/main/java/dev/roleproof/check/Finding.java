package dev.roleproof.check;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing a check found, pointing back at the template: the rule, its severity, the logical id of the resource to
 * change, a one-paragraph message, the concrete fix, and the source line (0 when unknown). {@code file} is the
 * template the resource lives in (the main template, or account B's with {@code --target}).
 */
public record Finding(
        String rule, Severity severity, String resource, String message, String fix, int line, Path file) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
        line = Math.max(0, line);
    }
}
