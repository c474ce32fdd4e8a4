package dev.roleproof.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SAM CLI on the project, for real: {@code sam validate --lint} on both templates, and the events/ files against
 * what {@code sam local generate-event} gives SAM users for the same source (same fields, same JSON types).
 */
class SamCliIT {

    private static final Map<String, String> ENV = Map.of("SAM_CLI_TELEMETRY", "0", "AWS_DEFAULT_REGION", "us-east-1");
    /** Under these keys the values are the user's data (message attributes, DynamoDB items), not the event's shape. */
    private static final Set<String> DATA = Set.of("messageAttributes", "Keys", "NewImage", "OldImage");

    @ParameterizedTest
    @ValueSource(strings = {"template.yaml", "target-account/template.yaml"})
    void samValidateLintPasses(String template) {
        Path sam = Tools.require("sam");
        Tools.Result r = Tools.run(
                List.of(sam.toString(), "validate", "--lint", "--template", template),
                Tools.root(),
                ENV,
                Duration.ofMinutes(3));
        System.out.println("sam validate --lint " + template + ": exit " + r.exitCode());
        assertThat(r.exitCode()).as(r.both()).isZero();
        assertThat(r.both()).contains("is a valid SAM Template");
    }

    @ParameterizedTest
    @CsvSource({
        "sqs-consumer.json, sqs receive-message",
        "ddb-stream-processor.json, dynamodb update",
        "s3-object-processor.json, s3 put"
    })
    void eventsHaveTheShapeSamGenerates(String eventFile, String generateArgs) throws IOException {
        Path sam = Tools.require("sam");
        List<String> command = new java.util.ArrayList<>(List.of(sam.toString(), "local", "generate-event"));
        command.addAll(List.of(generateArgs.split(" ")));
        Tools.Result r = Tools.run(command, Tools.root(), ENV, Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.both()).isZero();

        ObjectMapper json = new ObjectMapper();
        Set<String> generated = shape(json.readTree(r.stdout()));
        Set<String> ours = shape(
                json.readTree(Tools.root().resolve("events").resolve(eventFile).toFile()));

        assertThat(ours)
                .as("events/%s against `sam local generate-event %s`", eventFile, generateArgs)
                .isEqualTo(generated);
    }

    /** Every field path with its JSON type; list items share one path, data subtrees count only as present. */
    static Set<String> shape(JsonNode root) {
        Set<String> out = new TreeSet<>();
        shape(root, "", out);
        return out;
    }

    private static void shape(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            if (DATA.contains(lastName(path))) {
                out.add(path + " : data");
                return;
            }
            out.add(path + " : object");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                shape(field.getValue(), path + "/" + field.getKey(), out);
            }
        } else if (node.isArray()) {
            out.add(path + " : array");
            node.forEach(item -> shape(item, path + "[]", out));
        } else {
            out.add(path + " : " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
