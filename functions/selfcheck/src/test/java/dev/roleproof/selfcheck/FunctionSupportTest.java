package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.selfcheck.internal.JsonLines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FunctionSupportTest {

    @Test
    void logLinesAreOneLineOfJsonWithNumbersBooleansAndNesting() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "object-read");
        line.put("key", "café/\"quoted\"\nnext");
        line.put("size", 26L);
        line.put("count", 3);
        line.put("ratio", 0.5);
        line.put("found", true);
        line.put("changed", new TreeSet<>(List.of("b", "a")));
        line.put("item", Map.of("pk", "x"));
        line.put("note", null);

        assertThat(JsonLines.toJson(line)).isEqualTo("{\"event\":\"object-read\",\"key\":\"café/\\\"quoted\\\"\\nnext\","
                + "\"size\":26,\"count\":3,\"ratio\":0.5,\"found\":true,\"changed\":[\"a\",\"b\"],"
                + "\"item\":{\"pk\":\"x\"},\"note\":null}");
    }

    @Test
    void aMissingVariableNamesItself() {
        assertThat(FunctionSupport.required(Map.of("QUEUE_URL", "u"), "QUEUE_URL")).isEqualTo("u");
        assertThatThrownBy(() -> FunctionSupport.required(Map.of("QUEUE_URL", " "), "QUEUE_URL"))
                .hasMessage("Environment variable QUEUE_URL is not set (template.yaml sets it)");
    }

    @Test
    void recordsAreNullWithoutRecordsAndAMalformedListIsAnError() {
        assertThat(FunctionSupport.records(Map.of("roleproof", "self-check"))).isNull();
        assertThat(FunctionSupport.records(Map.of("Records", List.of(Map.of("a", 1))))).hasSize(1);
        assertThatThrownBy(() -> FunctionSupport.records(Map.of("Records", 42)))
                .hasMessage("Records is not a list in the event");
        assertThatThrownBy(() -> FunctionSupport.records(Map.of("Records", List.of("x"))))
                .hasMessage("a record of the event is not an object: x");
    }

    @Test
    void batchItemFailuresHaveLambdasShapeAndKeepAMissingId() {
        assertThat(FunctionSupport.json(FunctionSupport.batchItemFailures(java.util.Arrays.asList("m-1", null))))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"},{\"itemIdentifier\":null}]}");
        assertThat(FunctionSupport.json(FunctionSupport.batchItemFailures(List.of())))
                .isEqualTo("{\"batchItemFailures\":[]}");
    }

    @Test
    void snapStartCredentialsComeFromTheContainerEndpointWhenLambdaSetsIt() {
        assertThat(FunctionSupport.credentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:9001/2021-04-23/credentials")::get))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider.class);
        assertThat(FunctionSupport.credentials(Map.<String, String>of()::get))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.class);
    }
}
