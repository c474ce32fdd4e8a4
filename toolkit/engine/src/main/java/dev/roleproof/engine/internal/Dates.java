package dev.roleproof.engine.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Date condition values: ISO 8601 (date, date-time with or without zone; UTC assumed) or epoch seconds. */
public final class Dates {
    private Dates() {}

    /** Epoch milliseconds, or null when the text is not a date AWS accepts. */
    public static Long parseOrNull(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.chars().allMatch(c -> Character.isDigit(c) || c == '.') && t.indexOf('.') == t.lastIndexOf('.')) {
            try {
                return new BigDecimal(t).movePointRight(3).longValue();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }
}
