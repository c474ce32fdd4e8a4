package dev.roleproof.local.enforce;

/**
 * The partition key attribute of a table, needed for dynamodb:LeadingKeys (the request names key values, not which
 * attribute is the partition key).
 */
@FunctionalInterface
interface KeySchemas {
    /** The partition key attribute name of the table with this ARN, or null if unknown. */
    String partitionKey(String tableArn);

    KeySchemas NONE = tableArn -> null;
}
