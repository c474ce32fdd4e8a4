package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Baseline of the SQS consumer: the same AWS calls as the consumer's first invocation (its self-check's identity,
 * queue read and forbidden listing; handling a delivery makes no call), written the sam init way: clients made in
 * the handler with every default (Apache HTTP client, region and credential chains), calls one after the other.
 */
public class SqsBaseline implements RequestHandler<SQSEvent, String> {
    private StsClient sts;
    private SqsClient sqs;

    @Override
    public String handleRequest(SQSEvent event, Context context) {
        if (sqs == null) {
            sts = StsClient.builder().build();
            sqs = SqsClient.builder().build();
        }
        sts.getCallerIdentity();
        sqs.getQueueAttributes(r -> r.queueUrl(System.getenv("QUEUE_URL")).attributeNamesWithStrings("QueueArn"));
        sqs.listQueues(r -> r.maxResults(1));
        return "handled " + (event.getRecords() == null ? 0 : event.getRecords().size());
    }
}
