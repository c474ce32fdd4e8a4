package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Baseline of the SQS consumer: sam init style, client made lazily with every default, no self-check. */
public class SqsBaseline implements RequestHandler<SQSEvent, String> {
    private SqsClient sqs;

    @Override
    public String handleRequest(SQSEvent event, Context context) {
        if (sqs == null) {
            sqs = SqsClient.builder().build();
        }
        // The consumer's AWS work on a delivery: the queue read its mapping needs.
        sqs.getQueueAttributes(r -> r.queueUrl(System.getenv("QUEUE_URL")).attributeNamesWithStrings("QueueArn"));
        return "handled " + (event.getRecords() == null ? 0 : event.getRecords().size());
    }
}
