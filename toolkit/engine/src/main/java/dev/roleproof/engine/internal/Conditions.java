package dev.roleproof.engine.internal;

import dev.roleproof.engine.explain.ConditionExplain;
import dev.roleproof.engine.explain.Reason;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.ConditionOperator;
import dev.roleproof.engine.policy.SetQualifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Condition semantics (IAM JSON policy elements: Condition operators; Multivalued context keys): values of one key
 * OR, negated operators NOR; a missing key makes positive operators false, negated ones true, …IfExists true,
 * ForAllValues true, ForAnyValue false; Null tests presence. A policy value whose variable has no value is
 * "effectively null" and equals nothing: positive operators do not match it, negated ones do ("Policy variables
 * with no value", IAM User Guide, reference_policies_variables.html#policy-vars-no-value).
 */
public final class Conditions {
    private Conditions() {}

    public static boolean evaluate(Condition c, ContextLookup ctx) {
        List<String> rv = ctx.get(c.key());
        if (c.operator() == ConditionOperator.NULL) {
            return nullResult(c, rv);
        }
        if (rv == null || rv.isEmpty()) {
            return missingResult(c, rv);
        }
        ConditionOperator op = c.operator();
        boolean negated = op.negated();
        SetQualifier q = c.qualifier();
        if (q == SetQualifier.FOR_ALL_VALUES) {
            for (int i = 0; i < rv.size(); i++) {
                if (anyPolicyValue(c, rv.get(i), ctx) == negated) {
                    return false;
                }
            }
            return true;
        }
        if (q == SetQualifier.FOR_ANY_VALUE) {
            for (int i = 0; i < rv.size(); i++) {
                if (anyPolicyValue(c, rv.get(i), ctx) != negated) {
                    return true;
                }
            }
            return false;
        }
        // No set qualifier: a positive operator needs some request value to match; a negated one needs none to match.
        for (int i = 0; i < rv.size(); i++) {
            if (anyPolicyValue(c, rv.get(i), ctx)) {
                return !negated;
            }
        }
        return negated;
    }

    /** The result and its inputs, for explanations. */
    public static ConditionExplain explain(Condition c, ContextLookup ctx) {
        List<String> rv = ctx.get(c.key());
        boolean result = evaluate(c, ctx);
        List<String> resolved = new ArrayList<>(c.values().size());
        boolean unresolved = false;
        for (CompiledValue v : c.compiledValues()) {
            String r = v.template == null ? v.raw : v.template.resolveText(ctx);
            unresolved |= r == null;
            resolved.add(r);
        }
        Reason reason = null;
        if ((rv == null || rv.isEmpty()) && ctx.hidden(c.key())) {
            reason = Reason.KEY_NOT_APPLICABLE;
        } else if (c.operator() == ConditionOperator.NULL) {
            reason = result ? null : valueOrMissing(rv);
        } else if (rv == null || rv.isEmpty()) {
            reason = Reason.MISSING_KEY;
        } else if (unresolved) {
            reason = Reason.UNRESOLVED_VARIABLE;
        } else if (!result) {
            reason = typeMismatch(c, rv) ? Reason.TYPE_MISMATCH : Reason.VALUE_MISMATCH;
        }
        return new ConditionExplain(
                c.operatorText(), c.key(), rv, java.util.Collections.unmodifiableList(resolved), result, reason);
    }

    private static Reason valueOrMissing(List<String> rv) {
        return rv == null || rv.isEmpty() ? Reason.MISSING_KEY : Reason.VALUE_MISMATCH;
    }

    private static boolean typeMismatch(Condition c, List<String> rv) {
        for (String v : rv) {
            if (CompiledValue.literal(c.operator(), v) == null) {
                return true;
            }
        }
        return false;
    }

    private static boolean nullResult(Condition c, List<String> rv) {
        boolean absent = rv == null || rv.isEmpty();
        for (CompiledValue v : c.compiledValues()) {
            if (v.bool != null && v.bool == absent) {
                return true;
            }
        }
        return false;
    }

    private static boolean missingResult(Condition c, List<String> rv) {
        if (c.ifExists()) {
            return true;
        }
        if (c.qualifier() == SetQualifier.FOR_ALL_VALUES) {
            return true;
        }
        if (c.qualifier() == SetQualifier.FOR_ANY_VALUE) {
            return false;
        }
        return c.operator().negated();
    }

    /** Whether the request value matches any policy value under the operator's positive sense. */
    private static boolean anyPolicyValue(Condition c, String requestValue, ContextLookup ctx) {
        List<CompiledValue> values = c.compiledValues();
        for (int i = 0; i < values.size(); i++) {
            CompiledValue v = values.get(i);
            if (v.template != null) {
                v = resolveCompiled(c.operator(), v, ctx);
                if (v == null) {
                    continue;
                }
            }
            if (matchOne(c.operator(), v, requestValue)) {
                return true;
            }
        }
        return false;
    }

    private static CompiledValue resolveCompiled(ConditionOperator op, CompiledValue v, ContextLookup ctx) {
        switch (op) {
            case STRING_LIKE:
            case STRING_NOT_LIKE:
                return CompiledValue.pattern(v.template.resolveGlob(ctx), v.template.resolveText(ctx));
            case ARN_EQUALS:
            case ARN_LIKE:
            case ARN_NOT_EQUALS:
            case ARN_NOT_LIKE:
                return CompiledValue.arn(v.template.resolveArn(ctx), v.template.resolveText(ctx));
            default:
                String text = v.template.resolveText(ctx);
                return text == null ? null : CompiledValue.literal(op, text);
        }
    }

    private static boolean matchOne(ConditionOperator op, CompiledValue v, String r) {
        switch (op) {
            case STRING_EQUALS:
            case STRING_NOT_EQUALS:
                return v.raw.equals(r);
            case STRING_EQUALS_IGNORE_CASE:
            case STRING_NOT_EQUALS_IGNORE_CASE:
                return v.raw.equalsIgnoreCase(r);
            case STRING_LIKE:
            case STRING_NOT_LIKE:
                return v.glob.matches(r);
            case ARN_EQUALS:
            case ARN_LIKE:
            case ARN_NOT_EQUALS:
            case ARN_NOT_LIKE:
                return v.arn.matches(r);
            case BINARY_EQUALS:
                return v.raw.equals(r);
            case BOOL:
                return v.bool != null
                        && (r.equalsIgnoreCase("true") || r.equalsIgnoreCase("false"))
                        && v.bool == Boolean.parseBoolean(r);
            case IP_ADDRESS:
            case NOT_IP_ADDRESS: {
                int slash = r.indexOf('/');
                return v.cidr.contains(Cidr.parseAddress(
                        slash < 0 ? r.trim() : r.substring(0, slash).trim()));
            }
            default:
                break;
        }
        if (op.family() == ConditionOperator.Family.NUMERIC) {
            BigDecimal n = Numbers.parseOrNull(r);
            return n != null && compare(op, n.compareTo(v.number));
        }
        if (op.family() == ConditionOperator.Family.DATE) {
            Long d = Dates.parseOrNull(r);
            return d != null && compare(op, Long.compare(d, v.date));
        }
        return false;
    }

    /** cmp = request compared to policy value. */
    private static boolean compare(ConditionOperator op, int cmp) {
        switch (op) {
            case NUMERIC_EQUALS:
            case NUMERIC_NOT_EQUALS:
            case DATE_EQUALS:
            case DATE_NOT_EQUALS:
                return cmp == 0;
            case NUMERIC_LESS_THAN:
            case DATE_LESS_THAN:
                return cmp < 0;
            case NUMERIC_LESS_THAN_EQUALS:
            case DATE_LESS_THAN_EQUALS:
                return cmp <= 0;
            case NUMERIC_GREATER_THAN:
            case DATE_GREATER_THAN:
                return cmp > 0;
            case NUMERIC_GREATER_THAN_EQUALS:
            case DATE_GREATER_THAN_EQUALS:
                return cmp >= 0;
            default:
                return false;
        }
    }
}
