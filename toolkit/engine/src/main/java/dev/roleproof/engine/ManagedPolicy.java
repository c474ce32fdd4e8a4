package dev.roleproof.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.policy.Policy;
import dev.roleproof.engine.vocabulary.GrantSummary;
import java.util.Objects;

/**
 * An AWS managed policy as data: its default version's document as AWS publishes it, and what it grants.
 * Immutable; {@link #json()} and a computed {@link #summary()} are made on first use.
 */
public final class ManagedPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String arn;
    private final Policy policy;
    private final String document; // compact, as published
    private final String explanation; // RoleProof's own, for the policies SAM attaches; null otherwise
    private final String versionId;
    private final String updateDate;
    private volatile String json;
    private volatile GrantSummary grants;

    ManagedPolicy(
            String name,
            String arn,
            Policy policy,
            String document,
            String explanation,
            String versionId,
            String updateDate) {
        this.name = Objects.requireNonNull(name);
        this.arn = Objects.requireNonNull(arn);
        this.policy = Objects.requireNonNull(policy);
        this.document = document;
        this.explanation = explanation;
        this.versionId = versionId;
        this.updateDate = updateDate;
    }

    /** e.g. "AWSLambdaSQSQueueExecutionRole". */
    public String name() {
        return name;
    }

    /** e.g. "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole" (path included). */
    public String arn() {
        return arn;
    }

    /** The parsed document, named by the ARN. */
    public Policy policy() {
        return policy;
    }

    /** The document as AWS publishes it, pretty-printed. */
    public String json() {
        String j = json;
        if (j == null) {
            try {
                j = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Corrupt document of " + name, e);
            }
            json = j;
        }
        return j;
    }

    /** What it grants by service and access level, from the Service Authorization Reference. */
    public GrantSummary grants() {
        GrantSummary g = grants;
        if (g == null) {
            g = GrantSummary.of(policy);
            grants = g;
        }
        return g;
    }

    /**
     * What it grants, why it is broad and which scoped statements replace it: RoleProof's own words for the managed
     * policies SAM attaches to Lambda roles, else {@link #grants()} as text.
     */
    public String summary() {
        return explanation != null ? explanation : grants().text();
    }

    /** Whether {@link #summary()} is RoleProof's own explanation (the policies SAM attaches to Lambda roles). */
    public boolean explained() {
        return explanation != null;
    }

    /** The default version the document is taken from (e.g. "v3"). */
    public String versionId() {
        return versionId;
    }

    /** When AWS last updated that version (ISO 8601). */
    public String updateDate() {
        return updateDate;
    }

    @Override
    public String toString() {
        return arn + " " + versionId;
    }
}
