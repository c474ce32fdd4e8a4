package dev.roleproof.engine.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roleproof.engine.json.PolicyJson;
import java.util.List;

/**
 * A parsed policy document.
 *
 * @param name a label for explanations and messages (e.g. "SqsConsumerRole/inline/ReadQueue" or a managed ARN); nullable
 * @param version "2012-10-17", "2008-10-17", or null when the document has none (AWS then uses 2008-10-17)
 * @param id the document's Id, nullable
 * @param statements in document order; {@link Statement#index()} is the position
 */
public record Policy(String name, String version, String id, List<Statement> statements) {
    public static final String V2012 = "2012-10-17";
    public static final String V2008 = "2008-10-17";

    public Policy {
        statements = List.copyOf(statements);
    }

    public Policy(String name, String version, List<Statement> statements) {
        this(name, version, null, statements);
    }

    /** Policy variables (${aws:username}…) are only substituted under 2012-10-17; otherwise they are literal text. */
    public boolean variablesEnabled() {
        return V2012.equals(version);
    }

    /** The AWS policy document (Jackson serialises a Policy as this; the name is not part of it). */
    @JsonValue
    public ObjectNode toJson() {
        return PolicyJson.write(this);
    }

    /** The same policy under another label. */
    public Policy withName(String newName) {
        return new Policy(newName, version, id, statements);
    }
}
