/**
 * The enforcing proxy: every AWS call made with a function's credentials, judged by RoleProof's engine before moto
 * sees it.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start();
 *      EnforcingProxy proxy = EnforcingProxy.start(moto.endpoint(), policySource, Evaluator.create())) {
 *   proxy.registerCredentials(accessKeyId, new Principal(sessionArn, account)); // or AssumeRole through the proxy
 *   // SDK clients: endpointOverride(proxy.endpoint()); S3 path-style (automatic for 127.0.0.1)
 *   List<CallRecord> calls = proxy.calls(sessionArn);
 * }
 * }</pre>
 * Calls signed with an unregistered key (RoleProof's setup, as the account admin) pass unjudged; they pick their
 * account with their own {@code x-moto-account-id} header and are recorded as {@link
 * dev.roleproof.local.enforce.CallRecord#ADMIN}.
 *
 * <h2>What a request means to IAM</h2>
 * <ul>
 *   <li>SQS (JSON {@code AmazonSQS.*} and query protocol): {@code sqs:<Op>} on the queue ARN from QueueUrl; batch APIs
 *       as their non-batch action; GetQueueUrl/CreateQueue on the named queue; ListQueues on {@code *}.</li>
 *   <li>DynamoDB ({@code DynamoDB_20120810.*}): the table ARN ({@code /index/NAME} for index queries and scans),
 *       one call per table for batch APIs, per item kind for transactions (ConditionCheck →
 *       dynamodb:ConditionCheckItem); context dynamodb:LeadingKeys, Select, ReturnValues, ReturnConsumedCapacity.</li>
 *   <li>DynamoDB Streams ({@code DynamoDBStreams_20120810.*}): DescribeStream/GetShardIterator on StreamArn,
 *       GetRecords on the stream that issued the iterator (learnt from responses), ListStreams on {@code *}.</li>
 *   <li>S3 (path-style REST): objects (GET/HEAD → s3:GetObject, PUT → s3:PutObject, copy → GetObject on the source
 *       too, DELETE, multipart, tagging, ACLs, versions), buckets (GET → s3:ListBucket with s3:prefix/delimiter/
 *       max-keys, HEAD → s3:ListBucket, subresources), DeleteObjects per key, GET / → s3:ListAllMyBuckets. A missing
 *       object is 404 only if s3:ListBucket is allowed, else 403, as in S3. The bucket's account is taken to be the
 *       caller's.</li>
 *   <li>STS (query): AssumeRole on RoleArn with sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, session tags
 *       (and sts:TagSession); the PolicySource supplies the role's trust policy as the resource policy. Returned
 *       keys are registered as {@code arn:aws:sts::ROLE_ACCOUNT:assumed-role/ROLE_NAME/SESSION}.
 *       GetCallerIdentity is never judged and answers with the registered caller.</li>
 *   <li>Other JSON/query services: {@code <service>:<Op>} on {@code *}. Other REST services: denied, with the reason
 *       recorded (fail closed).</li>
 * </ul>
 * Global context: aws:RequestedRegion (from the SigV4 scope), aws:SecureTransport=true, aws:CurrentTime,
 * aws:EpochTime, aws:ViaAWSService=false; principal keys are derived by the engine.
 *
 * <h2>Denials, as each service sends them</h2>
 * SQS JSON: 403 + {@code x-amzn-query-error: AccessDenied;Sender} (SqsException "AccessDenied"); SQS query and STS:
 * 403 ErrorResponse XML (code AccessDenied); DynamoDB and Streams: 400 {@code AccessDeniedException}; S3: 403
 * {@code <Error><Code>AccessDenied}, no body for HEAD; other REST: 403 {@code x-amzn-ErrorType:
 * AccessDeniedException}. The message is the engine's AWS-style one (SQS spells the action in lower case, as SQS
 * does).
 */
package dev.roleproof.local.enforce;
