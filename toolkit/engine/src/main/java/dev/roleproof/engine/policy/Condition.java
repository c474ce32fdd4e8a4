package dev.roleproof.engine.policy;

import dev.roleproof.engine.internal.CompiledValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One condition: an operator applied to one key with one or more policy values, e.g.
 * {@code "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}}. Immutable; values are compiled once.
 *
 * <p>Use {@link PolicyParser} to build conditions; {@link #of} exists for tests and hand-built policies.
 */
public final class Condition {
    private final String operatorText;
    private final SetQualifier qualifier;
    private final ConditionOperator operator;
    private final boolean ifExists;
    private final String key;
    private final List<String> values;
    private final List<CompiledValue> compiled;

    Condition(
            String operatorText,
            SetQualifier qualifier,
            ConditionOperator operator,
            boolean ifExists,
            String key,
            List<String> values,
            List<CompiledValue> compiled) {
        this.operatorText = operatorText;
        this.qualifier = qualifier;
        this.operator = operator;
        this.ifExists = ifExists;
        this.key = key;
        this.values = List.copyOf(values);
        this.compiled = List.copyOf(compiled);
    }

    /**
     * Builds a condition from its operator as written (e.g. "ForAllValues:StringEqualsIfExists").
     *
     * @throws InvalidPolicyException on an unknown operator or a value the operator cannot read
     */
    public static Condition of(String operatorText, String key, List<String> values, boolean variablesEnabled) {
        return PolicyParser.condition(operatorText, key, values, variablesEnabled, "/Condition");
    }

    static Condition build(
            String operatorText,
            SetQualifier qualifier,
            ConditionOperator operator,
            boolean ifExists,
            String key,
            List<String> values,
            boolean variables,
            String pointer) {
        List<CompiledValue> compiled = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            CompiledValue v = CompiledValue.compile(operator, values.get(i), variables);
            if (v == null) {
                throw new InvalidPolicyException(
                        "Value '" + values.get(i) + "' is not valid for operator '" + operator.awsName() + "'",
                        values.size() == 1 ? pointer : pointer + "/" + i);
            }
            compiled.add(v);
        }
        return new Condition(operatorText, qualifier, operator, ifExists, key, values, compiled);
    }

    /** The operator as written in the policy, e.g. "ForAnyValue:StringLikeIfExists". */
    public String operatorText() {
        return operatorText;
    }

    public SetQualifier qualifier() {
        return qualifier;
    }

    public ConditionOperator operator() {
        return operator;
    }

    public boolean ifExists() {
        return ifExists;
    }

    /** The condition key as written (keys compare case-insensitively). */
    public String key() {
        return key;
    }

    /** The policy values as written (numbers and booleans as their JSON text). */
    public List<String> values() {
        return values;
    }

    /** Compiled values, same order as {@link #values()}; for the evaluator. */
    public List<CompiledValue> compiledValues() {
        return compiled;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Condition)) {
            return false;
        }
        Condition c = (Condition) o;
        return operatorText.equals(c.operatorText) && key.equalsIgnoreCase(c.key) && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return operatorText.hashCode() * 31
                + key.toLowerCase(java.util.Locale.ROOT).hashCode() * 17
                + values.hashCode();
    }

    @Override
    public String toString() {
        return operatorText + "{" + key + "=" + values + "}";
    }
}
