package dev.roleproof.local.enforce;

/** The wire protocol of a request: it decides how a denial must look for the SDK to raise the service's error. */
enum Protocol {
    /** SQS over AWS JSON 1.0 with the query-compatible error header (SDK v2 default). */
    SQS_JSON,
    /** SQS over the AWS query protocol (form body, XML responses). */
    SQS_QUERY,
    /** DynamoDB and DynamoDB Streams: AWS JSON 1.0. */
    DYNAMODB,
    S3,
    /** STS and other AWS query protocol services: form body, XML ErrorResponse. */
    QUERY,
    /** Other AWS JSON services (X-Amz-Target). */
    JSON,
    /** Other REST services. */
    REST
}
