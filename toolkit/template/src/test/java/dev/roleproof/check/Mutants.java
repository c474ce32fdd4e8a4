package dev.roleproof.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import dev.roleproof.template.LoadOptions;
import dev.roleproof.template.SamTemplate;
import dev.roleproof.template.TemplateLoader;
import dev.roleproof.template.internal.CfnYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutants of the reference templates: the YAML is parsed into its tree (intrinsics in long form), edited with a JSON
 * Patch (RFC 6902), and loaded back as a JSON template, so every mutant is built from the real reference.
 */
final class Mutants {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Mutants() {}

    static JsonNode tree(Path yaml) {
        try {
            String text = Files.readString(yaml);
            return MAPPER.valueToTree(
                    CfnYaml.parse(yaml.getFileName().toString(), text).root());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode patch(JsonNode tree, JsonNode patch) {
        return patch == null || patch.isEmpty() ? tree.deepCopy() : JsonPatch.apply(patch, tree);
    }

    static String json(JsonNode tree) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SamTemplate loadA(JsonNode tree) {
        return TemplateLoader.load("template.json", json(tree), Path.of("template.json"), LoadOptions.defaults());
    }

    static SamTemplate loadB(JsonNode tree) {
        return TemplateLoader.load(
                "target.json",
                json(tree),
                Path.of("target.json"),
                LoadOptions.defaults().withAccount("222222222222"));
    }
}
