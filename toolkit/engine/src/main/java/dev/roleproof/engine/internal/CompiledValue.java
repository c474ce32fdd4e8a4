package dev.roleproof.engine.internal;

import dev.roleproof.engine.policy.ConditionOperator;
import java.math.BigDecimal;

/**
 * One policy value of a condition, read once at parse time into the form its operator compares. A value holding
 * policy variables is resolved per request instead (template non-null).
 */
public final class CompiledValue {
    public final String raw;
    public final Template template;
    final Glob glob; // StringLike
    final ArnPattern arn; // Arn*
    final BigDecimal number; // Numeric*
    final Long date; // Date*
    final Cidr cidr; // IpAddress
    final Boolean bool; // Bool, Null

    private CompiledValue(
            String raw,
            Template template,
            Glob glob,
            ArnPattern arn,
            BigDecimal number,
            Long date,
            Cidr cidr,
            Boolean bool) {
        this.raw = raw;
        this.template = template;
        this.glob = glob;
        this.arn = arn;
        this.number = number;
        this.date = date;
        this.cidr = cidr;
        this.bool = bool;
    }

    /**
     * Compiles a value for an operator; returns null when a literal value cannot be read by that operator (the
     * parser turns that into an error naming the place).
     */
    public static CompiledValue compile(ConditionOperator op, String raw, boolean variables) {
        // Null and Bool take fixed literals; a variable there is read as text.
        Template t = variables && op.family() != ConditionOperator.Family.NULL ? Template.parseOrNull(raw) : null;
        if (t != null) {
            return new CompiledValue(raw, t, null, null, null, null, null, null);
        }
        return literal(op, raw);
    }

    static CompiledValue pattern(Glob g, String raw) {
        return g == null ? null : new CompiledValue(raw, null, g, null, null, null, null, null);
    }

    static CompiledValue arn(ArnPattern a, String raw) {
        return a == null ? null : new CompiledValue(raw, null, null, a, null, null, null, null);
    }

    /** The compiled form of a literal (or resolved) value; null when the operator cannot read it. */
    static CompiledValue literal(ConditionOperator op, String raw) {
        switch (op.family()) {
            case STRING:
                return new CompiledValue(
                        raw,
                        null,
                        op == ConditionOperator.STRING_LIKE || op == ConditionOperator.STRING_NOT_LIKE
                                ? Glob.of(raw)
                                : null,
                        null,
                        null,
                        null,
                        null,
                        null);
            case ARN:
                return new CompiledValue(raw, null, null, ArnPattern.of(raw), null, null, null, null);
            case NUMERIC: {
                BigDecimal n = Numbers.parseOrNull(raw);
                return n == null ? null : new CompiledValue(raw, null, null, null, n, null, null, null);
            }
            case DATE: {
                Long d = Dates.parseOrNull(raw);
                return d == null ? null : new CompiledValue(raw, null, null, null, null, d, null, null);
            }
            case IP: {
                Cidr c = Cidr.parseOrNull(raw);
                return c == null ? null : new CompiledValue(raw, null, null, null, null, null, c, null);
            }
            case BOOL:
            case NULL: {
                if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
                    return null;
                }
                return new CompiledValue(raw, null, null, null, null, null, null, Boolean.parseBoolean(raw));
            }
            case BINARY:
            default:
                return new CompiledValue(raw, null, null, null, null, null, null, null);
        }
    }
}
