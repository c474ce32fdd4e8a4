package dev.roleproof.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The events/ files name the resources the template creates with its defaults (stack roleproof, account
 * 111111111111, us-east-1), so sam local invoke, roleproof local and the handler tests all use the same files.
 */
class EventsMatchTemplateIT {

    static final Map<String, String> PSEUDO = Map.of(
            "AWS::StackName",
            "roleproof",
            "AWS::AccountId",
            "111111111111",
            "AWS::Region",
            "us-east-1",
            "AWS::Partition",
            "aws");

    private final JsonNode a = Templates.accountA();

    private static JsonNode event(String name) throws IOException {
        return new ObjectMapper()
                .readTree(Tools.root().resolve("events").resolve(name).toFile());
    }

    /** A {"Fn::Sub": "..."} string with the pseudo parameters above. */
    private static String sub(JsonNode node) {
        String text = node.path("Fn::Sub").asText();
        for (Map.Entry<String, String> p : PSEUDO.entrySet()) {
            text = text.replace("${" + p.getKey() + "}", p.getValue());
        }
        assertThat(text).as("unresolved ${...} in " + node).doesNotContain("${");
        return text;
    }

    private JsonNode properties(String logicalId) {
        return a.path("Resources").path(logicalId).path("Properties");
    }

    @Test
    void theSqsEventComesFromTheOrdersQueue() throws IOException {
        String queue = sub(properties("OrdersQueue").path("QueueName"));
        for (JsonNode record : event("sqs-consumer.json").path("Records")) {
            assertThat(record.path("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:us-east-1:111111111111:" + queue);
        }
    }

    @Test
    void theStreamEventComesFromTheAuditTablesStream() throws IOException {
        String table = sub(properties("AuditTable").path("TableName"));
        for (JsonNode record : event("ddb-stream-processor.json").path("Records")) {
            assertThat(record.path("eventSourceARN").asText())
                    .startsWith("arn:aws:dynamodb:us-east-1:111111111111:table/" + table + "/stream/");
        }
    }

    @Test
    void theS3EventComesFromTheUploadsBucket() throws IOException {
        String bucket = sub(properties("UploadsBucket").path("BucketName"));
        for (JsonNode record : event("s3-object-processor.json").path("Records")) {
            assertThat(record.path("s3").path("bucket").path("name").asText()).isEqualTo(bucket);
            assertThat(record.path("s3").path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::" + bucket);
        }
    }

    @Test
    void theCrossAccountRequestReadsTheTargetTableAndSelfCheckIsTheDocumentedEvent() throws IOException {
        assertThat(event("cross-account-reader.json").path("table").asText())
                .isEqualTo(a.path("Parameters")
                        .path("TargetTableName")
                        .path("Default")
                        .asText())
                .isEqualTo(Templates.accountB()
                        .path("Parameters")
                        .path("TableName")
                        .path("Default")
                        .asText());
        assertThat(event("self-check.json").toString()).isEqualTo("{\"roleproof\":\"self-check\"}");
    }
}
