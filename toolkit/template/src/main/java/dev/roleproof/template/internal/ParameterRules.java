package dev.roleproof.template.internal;

import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The constraints CloudFormation enforces on a parameter's value before it creates anything ("Parameters" in the
 * CloudFormation User Guide, and "Understand CloudFormation quotas" for the 4,096-byte value): Type, AllowedValues,
 * AllowedPattern (the whole value must match; each item of a CommaDelimitedList), MinLength/MaxLength (String),
 * MinValue/MaxValue (Number and each item of List&lt;Number&gt;), and the format of the AWS-specific ID types that
 * can be checked offline (ami-, i-, sg-, subnet-, vol-, vpc- ids; hosted zone ids). Whether such an id exists in the
 * account cannot be checked offline.
 *
 * <p>AllowedPattern is matched with java.util.regex against the whole value ({@code Matcher.matches()}), as
 * CloudFormation does; a pattern in another dialect (Python's {@code (?P<name>...)}, POSIX classes such as
 * {@code [[:digit:]]}) is reported as invalid rather than guessed at.
 */
final class ParameterRules {

    /** "Parameter value: 4,096 bytes" (CloudFormation quotas). */
    static final int MAX_VALUE_BYTES = 4096;

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Map<String, Pattern> ID_FORMATS = Map.of(
            "AWS::EC2::Image::Id", ec2Id("ami"),
            "AWS::EC2::Instance::Id", ec2Id("i"),
            "AWS::EC2::SecurityGroup::Id", ec2Id("sg"),
            "AWS::EC2::Subnet::Id", ec2Id("subnet"),
            "AWS::EC2::Volume::Id", ec2Id("vol"),
            "AWS::EC2::VPC::Id", ec2Id("vpc"),
            "AWS::Route53::HostedZone::Id", Pattern.compile("[A-Z0-9]{1,32}"));

    private final String file;
    private final Limits limits;

    ParameterRules(String file, Limits limits) {
        this.file = file;
        this.limits = limits;
    }

    /** EC2 ids: the prefix, then 8 (older) or 17 hexadecimal digits. */
    private static Pattern ec2Id(String prefix) {
        return Pattern.compile(prefix + "-([0-9a-f]{8}|[0-9a-f]{17})");
    }

    /**
     * Checks {@code text}, the value of parameter {@code name} declared as {@code def}.
     *
     * @param line where to point (the Default, or the parameter when the value came from outside the template)
     * @param origin "its Default" or "the value given" (--param or samconfig), for messages
     */
    void check(String name, Map<String, Object> def, String text, int line, String origin) {
        String type = String.valueOf(def.getOrDefault("Type", "String"));
        if (!supported(type)) {
            throw new TemplateException(
                    file,
                    line,
                    "parameter '" + name + "' has Type '" + type + "', which CloudFormation does not support (String,"
                            + " Number, List<Number>, CommaDelimitedList, an AWS-specific or an SSM type)");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new TemplateException(
                    file,
                    line,
                    "parameter '" + name + "': " + origin + " is " + Limits.number(bytes)
                            + " bytes; CloudFormation accepts at most 4,096 per parameter value");
        }
        if (type.startsWith("AWS::SSM::Parameter::")) {
            return; // the value names a Parameter Store key, resolved at deploy time
        }
        boolean list = type.equals("CommaDelimitedList") || type.startsWith("List<");
        List<String> items = new ArrayList<>();
        if (list) {
            for (String s : text.split(",", -1)) {
                items.add(type.equals("CommaDelimitedList") ? s : s.trim());
            }
        } else {
            items.add(text);
        }
        String element =
                list ? type.equals("CommaDelimitedList") ? "String" : type.substring(5, type.length() - 1) : type;
        String what = "parameter '" + name + "' is '" + clip(text) + "' (" + origin + ")";
        Object allowed = def.get("AllowedValues");
        if (allowed != null) {
            if (!(allowed instanceof List<?> values)) {
                throw new TemplateException(file, line, "AllowedValues of parameter '" + name + "' must be a list");
            }
            List<String> texts = values.stream().map(String::valueOf).toList();
            for (String item : items) {
                if (!texts.contains(item)) {
                    throw fail(what, list, item, "not one of its AllowedValues " + clip(texts.toString()), def, line);
                }
            }
        }
        if (def.get("AllowedPattern") != null && (type.equals("String") || type.equals("CommaDelimitedList"))) {
            Pattern pattern = pattern(name, String.valueOf(def.get("AllowedPattern")), line);
            for (String item : items) {
                if (!matches(pattern, item, name, line)) {
                    throw fail(
                            what,
                            list,
                            item,
                            "not matched by its AllowedPattern '" + clip(pattern.pattern())
                                    + "' (which must match the whole value)",
                            def,
                            line);
                }
            }
        }
        if (type.equals("String")) {
            int length = text.codePointCount(0, text.length());
            Integer min = integer(def, "MinLength", name, line);
            Integer max = integer(def, "MaxLength", name, line);
            if (min != null && length < min) {
                throw fail(what, false, text, length + " characters, fewer than its MinLength " + min, def, line);
            }
            if (max != null && length > max) {
                throw fail(what, false, text, length + " characters, more than its MaxLength " + max, def, line);
            }
        }
        if (element.equals("Number")) {
            BigDecimal min = decimal(def, "MinValue", name, line);
            BigDecimal max = decimal(def, "MaxValue", name, line);
            for (String item : items) {
                String n = item.trim();
                if (!NUMBER.matcher(n).matches()) {
                    throw fail(what, list, item, "not a number (Type " + type + ")", def, line);
                }
                BigDecimal v = new BigDecimal(n.startsWith("+") ? n.substring(1) : n);
                if (min != null && v.compareTo(min) < 0) {
                    throw fail(what, list, item, "below its MinValue " + min.toPlainString(), def, line);
                }
                if (max != null && v.compareTo(max) > 0) {
                    throw fail(what, list, item, "above its MaxValue " + max.toPlainString(), def, line);
                }
            }
        }
        Pattern format = ID_FORMATS.get(element);
        if (format != null) {
            for (String item : items) {
                if (!format.matcher(item).matches()) {
                    throw fail(
                            what,
                            list,
                            item,
                            "not the form of an " + element + " (such as " + example(element) + ")",
                            def,
                            line);
                }
            }
        }
    }

    /** "parameter 'P' is 'v' (given), PROBLEM", or for one item of a list "...: 'item' is PROBLEM". */
    private TemplateException fail(
            String what, boolean list, String item, String problem, Map<String, Object> def, int line) {
        Object d = def.get("ConstraintDescription");
        String description = d == null ? "" : " (" + clip(String.valueOf(d)) + ")";
        return new TemplateException(
                file, line, what + (list ? ": '" + clip(item) + "' is " : ", ") + problem + description);
    }

    private static boolean supported(String type) {
        return type.equals("String")
                || type.equals("Number")
                || type.equals("List<Number>")
                || type.equals("CommaDelimitedList")
                || type.startsWith("AWS::")
                || type.startsWith("List<AWS::") && type.endsWith(">");
    }

    private static String example(String type) {
        return switch (type) {
            case "AWS::EC2::Image::Id" -> "ami-0ff8a91507f77f867";
            case "AWS::EC2::Instance::Id" -> "i-1e731a32";
            case "AWS::EC2::SecurityGroup::Id" -> "sg-a123fd85";
            case "AWS::EC2::Subnet::Id" -> "subnet-123a351e";
            case "AWS::EC2::Volume::Id" -> "vol-3cdd3f56";
            case "AWS::EC2::VPC::Id" -> "vpc-a123baa3";
            default -> "Z23YXV4OVPL04A";
        };
    }

    /** A value in a message: long ones are cut, so the message stays one readable line. */
    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + Limits.number(s.length()) + " characters)";
    }

    private Pattern pattern(String name, String regex, int line) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new TemplateException(
                    file,
                    line,
                    "AllowedPattern of parameter '" + name + "' is not a valid regular expression ("
                            + e.getDescription() + " near index " + e.getIndex() + "; CloudFormation uses Java's"
                            + " syntax)");
        }
    }

    private boolean matches(Pattern pattern, String value, String name, int line) {
        try {
            return pattern.matcher(new Budgeted(value, new long[] {limits.maxPatternSteps()}))
                    .matches();
        } catch (Budgeted.Exhausted e) {
            throw new TemplateException(
                    file,
                    line,
                    "AllowedPattern of parameter '" + name + "' takes more than "
                            + Limits.number(limits.maxPatternSteps()) + " steps on this value (limit maxPatternSteps):"
                            + " simplify the pattern (nested quantifiers backtrack)");
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition of some groups: a long value can overflow the stack.
            throw new TemplateException(
                    file, line, "AllowedPattern of parameter '" + name + "' is too complex for a value this long");
        }
    }

    private Integer integer(Map<String, Object> def, String key, String name, int line) {
        Object v = def.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(
                    file,
                    line,
                    key + " of parameter '" + name + "' must be an integer, not '" + clip(String.valueOf(v)) + "'");
        }
    }

    private BigDecimal decimal(Map<String, Object> def, String key, String name, int line) {
        Object v = def.get(key);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).trim();
        if (!NUMBER.matcher(s).matches()) {
            throw new TemplateException(
                    file, line, key + " of parameter '" + name + "' must be a number, not '" + clip(s) + "'");
        }
        return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
    }

    /**
     * The value as the regex engine reads it, one step per character read. Hand-written: java.util.regex has no
     * time or step limit, and a pattern that backtracks exponentially would otherwise never end.
     */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final long[] budget;

        Budgeted(String text, long[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }

        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exhausted() {
                super(null, null, false, false);
            }
        }
    }
}
