package dev.roleproof.template;

import java.util.Locale;

/**
 * How much input the loader accepts, in one place. Each limit is far above what a deployable template needs
 * (CloudFormation takes at most 1 MB of template and 4,096 bytes per parameter value: "Understand CloudFormation
 * quotas"), so a user never meets one by accident, and low enough that no input exhausts time, stack or a 1 GB heap.
 * Going over one is a {@link TemplateException} whose message names the limit.
 *
 * @param maxTemplateBytes size of a template file or samconfig.toml
 * @param maxDepth nesting of mappings and lists, in the source and after YAML aliases are expanded
 * @param maxAliasExpansion what YAML aliases may add to the template: the text of the scalars they repeat plus
 *     {@value #NODE_WEIGHT} per node they repeat (a bound on the memory the expansion takes)
 * @param maxStringLength characters of one string an intrinsic function builds (Fn::Join, Fn::Sub, Fn::Base64,
 *     Fn::ToJsonString, ...)
 * @param maxResolvedChars characters all intrinsic functions of one template build together
 * @param maxPatternSteps characters a parameter's AllowedPattern may read while matching one value (a pattern that
 *     backtracks exponentially stops there)
 */
public record Limits(
        long maxTemplateBytes,
        int maxDepth,
        long maxAliasExpansion,
        int maxStringLength,
        long maxResolvedChars,
        long maxPatternSteps) {

    /** What a repeated node costs in {@link #maxAliasExpansion}, beyond its text. */
    public static final int NODE_WEIGHT = 16;

    /**
     * The defaults: 8 MiB of template (8x CloudFormation's largest), 100 levels of nesting, 8 MiB of alias expansion,
     * 1 MiB per built string and 64 Mi characters built in all, 10 million pattern steps.
     */
    public static final Limits DEFAULT = new Limits(8L << 20, 100, 8L << 20, 1 << 20, 64L << 20, 10_000_000L);

    public Limits {
        if (maxTemplateBytes <= 0
                || maxDepth <= 0
                || maxAliasExpansion <= 0
                || maxStringLength <= 0
                || maxResolvedChars <= 0
                || maxPatternSteps <= 0) {
            throw new IllegalArgumentException("every limit must be positive");
        }
    }

    /** "1,048,576": limits in messages, grouped so they read at a glance. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
