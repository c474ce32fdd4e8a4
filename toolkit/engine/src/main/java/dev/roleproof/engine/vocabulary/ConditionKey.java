package dev.roleproof.engine.vocabulary;

/**
 * A condition key as the Service Authorization Reference lists it.
 *
 * @param name e.g. "s3:prefix", "aws:RequestTag/${TagKey}", "s3:ExistingObjectTag/&lt;key&gt;"
 * @param type String, ARN, Numeric, Date, Bool, IPAddress, ArrayOfString, ...
 */
public record ConditionKey(String name, String type) {}
