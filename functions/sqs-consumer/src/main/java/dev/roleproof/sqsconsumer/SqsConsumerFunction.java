package dev.roleproof.sqsconsumer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SelfCheckedHandler;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS consumer with its self-check, what template.yaml's Handler names: {@link SqsConsumerHandler} as it is, and
 * what its execution role must and must not be able to do. The handler makes no AWS call (Lambda's poller reads the
 * queue), so the probes have an SQS client of their own.
 */
public class SqsConsumerFunction extends SelfCheckedHandler<SQSEvent> {

    public SqsConsumerFunction() {
        this(selfCheck(() -> Clients.SQS, System.getenv("QUEUE_ARN"), System.getenv("QUEUE_URL"))
                .httpClient(() -> Clients.HTTP));
    }

    SqsConsumerFunction(SelfCheck.Builder<SQSEvent> selfCheck) {
        super(new SqsConsumerHandler(), selfCheck);
    }

    static SelfCheck.Builder<SQSEvent> selfCheck(Supplier<SqsClient> sqs, String queueArn, String queueUrl) {
        return SelfCheck.builder(SQSEvent.class, "sqs-esm")
                // The mapping itself needs GetQueueAttributes on this queue, so the role must have it.
                .require(
                        "sqs:GetQueueAttributes",
                        queueArn,
                        () -> sqs.get()
                                .getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn")))
                // A harmless account-wide read the consumer never needs: catches sqs:* and Resource "*".
                .forbid("sqs:ListQueues", "*", () -> sqs.get().listQueues(r -> r.maxResults(1)))
                .proof(event -> "invoked by the event source mapping for "
                        + event.getRecords().get(0).getEventSourceArn() + ", so the execution role could read it");
    }

    /**
     * Only the probes use these, so they are made by the first probe, on the self-check's threads (the JVM initialises
     * this class on first use): never when the self-check is off, and off the cold start's path otherwise.
     */
    static final class Clients {
        static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
        static final SqsClient SQS = SqsClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                // The role's credentials: in the environment on demand, from the container endpoint under SnapStart.
                .credentialsProvider(AwsCredentialsProviderChain.of(
                        EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create()))
                .httpClient(HTTP)
                .build();

        private Clients() {}
    }
}
