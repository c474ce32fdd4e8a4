package dev.roleproof.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

/** Test helpers: load template text given inline. */
final class Templates {

    private Templates() {}

    static SamTemplate load(String yaml) {
        return TemplateLoader.load("t.yaml", yaml, Path.of("t.yaml"), LoadOptions.defaults());
    }

    static SamTemplate load(String yaml, Map<String, String> params) {
        return TemplateLoader.load(
                "t.yaml", yaml, Path.of("t.yaml"), LoadOptions.defaults().withParameters(params));
    }

    /** The TemplateException loading {@code yaml} throws, checked to be one line "t.yaml...". */
    static TemplateException error(String yaml, Map<String, String> params) {
        try {
            load(yaml, params);
        } catch (TemplateException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("t.yaml");
            return e;
        }
        throw new AssertionError("expected a TemplateException");
    }

    /** A template with one probe resource whose property Value is {@code expression} (YAML, indented as needed). */
    static Object value(String prelude, String expression) {
        String yaml = prelude + "\nResources:\n  Probe:\n    Type: Custom::Probe\n    Properties:\n      Value: "
                + expression + "\n" + extraResources;
        return load(yaml).resource("Probe").orElseThrow().properties().get("Value");
    }

    static String extraResources = """
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: jobs
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: items
                  StreamSpecification: {StreamViewType: NEW_IMAGE}
            """;
}
