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
}
