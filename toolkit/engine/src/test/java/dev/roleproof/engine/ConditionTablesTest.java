package dev.roleproof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.internal.Conditions;
import dev.roleproof.engine.internal.ContextLookup;
import dev.roleproof.engine.policy.Condition;
import dev.roleproof.engine.policy.ConditionOperator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One table per condition operator (src/test/resources/conditions/&lt;Operator&gt;.json): policy values, request
 * values (null = key missing) and the expected result, optionally under an IfExists / ForAllValues / ForAnyValue form.
 * Source: "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued context keys".
 */
class ConditionTablesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "test:Key";

    @TestFactory
    Stream<DynamicContainer> everyOperatorHasATable() throws IOException {
        List<DynamicContainer> tables = new ArrayList<>();
        for (ConditionOperator op : ConditionOperator.values()) {
            String path = "/conditions/" + op.awsName() + ".json";
            try (InputStream in = ConditionTablesTest.class.getResourceAsStream(path)) {
                assertThat(in).as("a table for %s at %s", op.awsName(), path).isNotNull();
                JsonNode table = MAPPER.readTree(in);
                assertThat(table.get("doc").asText()).startsWith("https://docs.aws.amazon.com/");
                List<DynamicTest> rows = new ArrayList<>();
                for (JsonNode row : table.get("rows")) {
                    String operator = row.has("op") ? row.get("op").asText() : op.awsName();
                    List<String> policy = strings(row.get("policy"));
                    List<String> request = row.get("request").isNull() ? null : strings(row.get("request"));
                    boolean expected = row.get("expected").asBoolean();
                    String name = operator + " " + policy + " vs " + (request == null ? "<missing>" : request) + " -> "
                            + expected;
                    rows.add(DynamicTest.dynamicTest(name, () -> {
                        Condition c = Condition.of(operator, KEY, policy, true);
                        ContextLookup ctx = k -> k.equalsIgnoreCase(KEY) ? request : null;
                        assertThat(Conditions.evaluate(c, ctx)).isEqualTo(expected);
                        assertThat(Conditions.explain(c, ctx).result()).isEqualTo(expected);
                    }));
                }
                assertThat(rows).as("rows for %s", op.awsName()).hasSizeGreaterThanOrEqualTo(2);
                tables.add(DynamicContainer.dynamicContainer(op.awsName(), rows));
            }
        }
        return tables.stream();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
