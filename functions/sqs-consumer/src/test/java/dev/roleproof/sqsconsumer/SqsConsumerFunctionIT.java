package dev.roleproof.sqsconsumer;

import static dev.roleproof.sqsconsumer.SqsConsumerHandlerTest.POISON_ID;
import static dev.roleproof.sqsconsumer.SqsConsumerHandlerTest.failedIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.testing.AccessDeniedInterceptor;
import dev.roleproof.testing.MotoServer;
import dev.roleproof.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SQS consumer as template.yaml names it (the handler with its self-check) against moto's SQS and STS, and what
 * the mapping does with its partial batch responses. Moto does not enforce IAM (NOTES §4): the forbidden probe is
 * refused by a stand-in for AWS's 403 ({@link AccessDeniedInterceptor}).
 */
class SqsConsumerFunctionIT {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-sqs-consumer";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;
    static String queueUrl;
    static String queueArn;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
        try (SqsClient admin = moto.client(SqsClient.builder(), MotoServer.ACCOUNT_A)) {
            queueUrl = admin.createQueue(r -> r.queueName("roleproof-orders")).queueUrl();
            queueArn = admin.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        }
        // The function runs with its execution role's credentials, as in Lambda.
        executionRole = moto.sessionOf(ROLE_ARN, "roleproof-sqs-consumer");
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static SqsConsumerFunction function(String mode, PrintStream log) {
        SqsClient sqs = moto.client(
                SqsClient.builder(),
                executionRole,
                AccessDeniedInterceptor.json(
                        "ListQueues", ROLE_ARN, "sqs:ListQueues", "arn:aws:sqs:us-east-1:111111111111:"));
        StsClient sts = moto.client(StsClient.builder(), executionRole);
        return new SqsConsumerFunction(SqsConsumerFunction.selfCheck(() -> sqs, queueArn, queueUrl)
                .identity(() -> sts.getCallerIdentity().arn())
                .expectedRoleArn(ROLE_ARN)
                .functionName("roleproof-sqs-consumer")
                .environment(Map.of("ROLEPROOF_SELF_CHECK", mode)::get)
                .log(log));
    }

    @Test
    void theSelfCheckEventIsAnsweredWithAPassingReport() {
        // {"roleproof": "self-check"} as the runtime reads it for an SQSEvent handler: Records is null.
        SQSEvent event = EventLoader.loadEvent("self-check.json", SQSEvent.class);

        Object response = function("off", System.out).handleRequest(event, new TestContext());

        Map<?, ?> report = (Map<?, ?>) response;
        assertThat(report.get("pattern")).isEqualTo("sqs-esm");
        assertThat(report.get("identityMatches")).isEqualTo(true);
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString()).contains("sqs:GetQueueAttributes", "sqs:ListQueues");
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void aDeliveryIsAnsweredByTheHandlerAndTheFirstOneProvesTheMappingsRead(SQSEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqsConsumerFunction function = function("first", new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(failedIds((SQSBatchResponse) function.handleRequest(event, new TestContext())))
                .containsExactly(POISON_ID);
        assertThat(failedIds((SQSBatchResponse) function.handleRequest(event, new TestContext())))
                .containsExactly(POISON_ID);

        List<String> reports = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(reports)
                .as("mode first: one report per execution environment")
                .hasSize(1);
        assertThat(reports.get(0))
                .contains("\"verdict\":\"PASS\"")
                .contains("\"proof\":\"invoked by the event source mapping for " + queueArn);
    }

    /**
     * What the mapping does with the partial batch response, played against moto's SQS: successes are deleted, the
     * poison message comes back until SQS moves it to the DLQ after maxReceiveCount receives.
     */
    @Test
    void thePoisonMessageEndsInTheDeadLetterQueueAndTheOthersAreDeleted() {
        try (SqsClient admin = moto.client(SqsClient.builder(), MotoServer.ACCOUNT_A)) {
            String dlqUrl = admin.createQueue(r -> r.queueName("redrive-dlq")).queueUrl();
            String dlqArn = admin.getQueueAttributes(
                            r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            String url = admin.createQueue(r -> r.queueName("redrive-orders")
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}")))
                    .queueUrl();
            for (String body :
                    List.of("{\"orderId\":\"a\",\"quantity\":1}", "not json {", "{\"orderId\":\"b\",\"quantity\":2}")) {
                admin.sendMessage(r -> r.queueUrl(url).messageBody(body));
            }
            SqsConsumerHandler handler = new SqsConsumerHandler();
            for (int receive = 0; receive < 5; receive++) {
                List<Message> received = admin.receiveMessage(r -> r.queueUrl(url)
                                .maxNumberOfMessages(10)
                                .visibilityTimeout(0)
                                .messageSystemAttributeNamesWithStrings("All"))
                        .messages();
                if (received.isEmpty()) {
                    break;
                }
                SQSEvent event = new SQSEvent();
                event.setRecords(received.stream()
                        .map(m -> {
                            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                            message.setMessageId(m.messageId());
                            message.setReceiptHandle(m.receiptHandle());
                            message.setBody(m.body());
                            message.setAttributes(m.attributesAsStrings());
                            message.setEventSourceArn("arn:aws:sqs:us-east-1:111111111111:redrive-orders");
                            return message;
                        })
                        .toList());
                List<String> failed = failedIds(handler.handleRequest(event, new TestContext()));
                received.stream()
                        .filter(m -> !failed.contains(m.messageId()))
                        .forEach(m -> admin.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
            }
            List<String> inDlq =
                    admin.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)).messages().stream()
                            .map(Message::body)
                            .toList();
            assertThat(inDlq).containsExactly("not json {");
            assertThat(admin.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10))
                            .messages())
                    .isEmpty();
        }
    }
}
