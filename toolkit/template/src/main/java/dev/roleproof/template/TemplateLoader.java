package dev.roleproof.template;

import dev.roleproof.template.internal.CfnYaml;
import dev.roleproof.template.internal.Maps;
import dev.roleproof.template.internal.ModelBuilder;
import dev.roleproof.template.internal.Resolver;
import dev.roleproof.template.internal.SamExpander;
import dev.roleproof.template.internal.Samconfig;
import dev.roleproof.template.internal.SourceDocument;
import dev.roleproof.template.internal.SourceFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a SAM or CloudFormation template (YAML or JSON) into a {@link SamTemplate}: parse (keeping lines), expand
 * the SAM transform, bind parameters (Default, then samconfig parameter_overrides, then --param), evaluate
 * conditions, resolve intrinsics, and build the model.
 *
 * <p>The stack name (AWS::StackName, and the prefix of generated names) is, in order: a parameter override named
 * {@code AWS::StackName}, samconfig's {@code stack_name}, else {@value #DEFAULT_STACK_NAME}.
 */
public final class TemplateLoader {

    public static final String DEFAULT_STACK_NAME = "roleproof";

    private TemplateLoader() {}

    /** @throws TemplateException with one line "file:line: what is wrong" when the template is unusable */
    public static SamTemplate load(Path template, LoadOptions options) {
        String text = SourceFiles.read(template, "template", options.limits());
        return load(template.toString(), text, template, options);
    }

    /** Loads template text; {@code name} is used in messages. */
    public static SamTemplate load(String name, String text, Path path, LoadOptions options) {
        try {
            return loadText(name, text, path, options);
        } catch (StackOverflowError e) {
            // Nesting is bounded by Limits.maxDepth, but references can still chain (a condition naming the next one,
            // a name built from the next resource's name...) deeper than the stack: one line, not a crash.
            throw new TemplateException(
                    name,
                    0,
                    "references in the template chain too deeply to follow (conditions, Refs or GetAtts"
                            + " naming each other in a long chain)");
        }
    }

    private static SamTemplate loadText(String name, String text, Path path, LoadOptions options) {
        SourceDocument doc = CfnYaml.parse(name, text, options.limits());
        Object resources = doc.root().get("Resources");
        if (!(resources instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new TemplateException(name, 0, "bad template: it has no Resources");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> r) || !(r.get("Type") instanceof String)) {
                throw new TemplateException(
                        name,
                        line(doc, "/Resources/" + CfnYaml.escape(String.valueOf(e.getKey()))),
                        "resource '" + e.getKey() + "' has no Type");
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        String stackName = null;
        if (options.samconfig() != null) {
            Samconfig config = Samconfig.read(options.samconfig(), options.configEnv(), options.limits());
            Map<String, Object> declared = Maps.map(doc.root().get("Parameters"));
            for (String key : config.parameterOverrides().keySet()) {
                if (!declared.containsKey(key)) {
                    // CloudFormation rejects an override for a parameter the template lacks; name where it came from.
                    throw new TemplateException(
                            options.samconfig().toString(),
                            0,
                            "parameter_overrides of ["
                                    + (options.configEnv() == null ? "default" : options.configEnv())
                                    + ".deploy.parameters] sets '" + key + "', which " + name + " does not declare");
                }
            }
            overrides.putAll(config.parameterOverrides());
            stackName = config.stackName();
        }
        overrides.putAll(options.parameters());
        if (overrides.containsKey("AWS::StackName")) {
            stackName = overrides.remove("AWS::StackName");
        }
        if (stackName == null || stackName.isBlank()) {
            stackName = DEFAULT_STACK_NAME;
        }
        // Sorted, so the expansion copies the lines under a pointer with a range query.
        java.util.TreeMap<String, Integer> lines = new java.util.TreeMap<>(doc.lines());
        SamExpander.Expansion expansion =
                SamExpander.expand(name, Maps.deepCopyMap(doc.root()), lines, options.partition(), overrides);
        Resolver resolver = new Resolver(
                name,
                expansion.template(),
                lines,
                options.account(),
                options.region(),
                options.partition(),
                stackName,
                overrides,
                options.limits());
        ModelBuilder builder = new ModelBuilder(name, resolver, expansion);
        resolver.checkDependencyCycles(builder.active());
        // CloudFormation validates every condition and output, used or not: so do we, for the same errors.
        for (String condition : Maps.map(expansion.template().get("Conditions")).keySet()) {
            resolver.condition(condition, "/Conditions/" + CfnYaml.escape(condition));
        }
        Maps.map(expansion.template().get("Outputs")).forEach((id, output) -> {
            String ptr = "/Outputs/" + CfnYaml.escape(id);
            Object cond = Maps.map(output).get("Condition");
            if (cond == null || resolver.condition(String.valueOf(cond), ptr + "/Condition")) {
                resolver.resolve(Maps.map(output).get("Value"), ptr + "/Value");
                resolver.resolve(Maps.map(output).get("Export"), ptr + "/Export");
            }
        });
        return builder.build(path, resolver.parameterStrings(), lines);
    }

    private static int line(SourceDocument doc, String pointer) {
        Integer l = doc.lines().get(pointer);
        return l == null ? 0 : l;
    }
}
