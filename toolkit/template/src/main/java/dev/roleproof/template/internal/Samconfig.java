package dev.roleproof.template.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.roleproof.template.Limits;
import dev.roleproof.template.TemplateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What RoleProof reads from SAM's samconfig.toml (via jackson-dataformat-toml): {@code parameter_overrides} and
 * {@code stack_name} of {@code [<env>.deploy.parameters]}, falling back to {@code [<env>.global.parameters]}.
 */
public record Samconfig(Map<String, String> parameterOverrides, String stackName) {

    public static Samconfig read(Path file, String env) {
        return read(file, env, Limits.DEFAULT);
    }

    public static Samconfig read(Path file, String env, Limits limits) {
        String name = file.toString();
        String text = SourceFiles.read(file, "samconfig", limits);
        JsonNode root;
        try {
            TomlFactory factory = TomlFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(limits.maxDepth())
                            .build())
                    .build();
            root = new TomlMapper(factory).readTree(text);
        } catch (IOException e) {
            String why = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw new TemplateException(name, 0, "cannot read samconfig: " + why);
        }
        String environment = env == null ? "default" : env;
        JsonNode envNode = root.path(environment);
        if (envNode.isMissingNode()) {
            if (env != null) {
                throw new TemplateException(name, 0, "samconfig has no environment '" + env + "' (--config-env)");
            }
            return new Samconfig(Map.of(), null);
        }
        JsonNode deploy = envNode.path("deploy").path("parameters");
        JsonNode global = envNode.path("global").path("parameters");
        Map<String, String> overrides = new LinkedHashMap<>();
        JsonNode po = deploy.has("parameter_overrides")
                ? deploy.get("parameter_overrides")
                : global.path("parameter_overrides");
        if (po.isArray()) {
            for (JsonNode n : po) {
                overrides.putAll(parseOverrides(n.asText(), name));
            }
        } else if (po.isTextual()) {
            overrides.putAll(parseOverrides(po.asText(), name));
        }
        String stack = deploy.has("stack_name")
                ? deploy.get("stack_name").asText()
                : global.has("stack_name") ? global.get("stack_name").asText() : null;
        return new Samconfig(overrides, stack);
    }

    /**
     * SAM's parameter_overrides: space-separated Key=Value pairs, values optionally in double or single quotes.
     * Hand-written: the shell-like split is SAM's own rule, no library parses it.
     */
    public static Map<String, String> parseOverrides(String text, String file) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int quoteAt = 0;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    cur.append(quote);
                    i++;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                quoteAt = i;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quote != 0) {
            // Never guess where the value ends: the rest of the text would leak into it (an account id, an ARN).
            throw new TemplateException(
                    file,
                    0,
                    "parameter_overrides: the quote " + quote + " at character " + (quoteAt + 1) + " is never closed");
        }
        if (any || cur.length() > 0) {
            tokens.add(cur.toString());
        }
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new TemplateException(file, 0, "parameter_overrides: '" + t + "' is not Key=Value");
            }
            String key = t.substring(0, eq);
            if (t.startsWith("ParameterKey=")) {
                // The CLI's long form: ParameterKey=K,ParameterValue=V
                int comma = t.indexOf(",ParameterValue=");
                if (comma < 0) {
                    throw new TemplateException(file, 0, "parameter_overrides: '" + t + "' lacks ParameterValue=");
                }
                out.put(t.substring("ParameterKey=".length(), comma), t.substring(comma + ",ParameterValue=".length()));
            } else {
                out.put(key, t.substring(eq + 1));
            }
        }
        return out;
    }
}
