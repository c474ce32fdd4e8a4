package dev.roleproof.engine;

import dev.roleproof.engine.policy.Policy;

/**
 * An AWS managed policy as data.
 *
 * @param json the policy document as AWS publishes it
 * @param summary what it grants, why it is broad, and which scoped inline statements replace it
 * @param versionId the default version the document is taken from (e.g. "v3")
 * @param updateDate when AWS last updated that version (ISO 8601)
 */
public record ManagedPolicy(
        String name, String arn, Policy policy, String json, String summary, String versionId, String updateDate) {

    public ManagedPolicy(String name, String arn, Policy policy, String json, String summary) {
        this(name, arn, policy, json, summary, null, null);
    }
}
