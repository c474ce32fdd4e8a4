package dev.roleproof.sqsconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.roleproof.selfcheck.AwsJsonApi;
import dev.roleproof.selfcheck.CallerIdentity;
import dev.roleproof.testing.AccessDeniedHttpClient;
import dev.roleproof.testing.MotoServer;
import java.io.ByteArrayInputStream;
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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS consumer against a real SQS API (moto), over the events/ files the SAM application ships. */
class SqsConsumerHandlerTest {

    static final String ROLE_ARN = "arn:aws:iam::111111111111:role/roleproof-sqs-consumer";
    static final String POISON_ID = "2e1424d4-f796-459a-8184-9c92662be6da";

    static MotoServer moto;
    static AwsCredentialsProvider executionRole;
    static String queueUrl;
    static String queueArn;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startIfInstalled();
        if (moto == null) {
            return;
        }
        try (SqsClient admin = moto.client(SqsClient.builder(), MotoServer.ACCOUNT_A)) {
            queueUrl = admin.createQueue(r -> r.queueName("roleproof-orders")).queueUrl();
            queueArn = admin.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        }
        // The handler runs with its execution role's credentials, as in Lambda.
        executionRole = moto.sessionOf(ROLE_ARN, "roleproof-sqs-consumer");
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static SqsConsumerHandler handler(String selfCheckMode) {
        MotoServer.assumeRunning(moto);
        // moto does not enforce IAM: the forbidden probe is refused by this stand-in for AWS's 403 (see its doc).
        AwsJsonApi sqs = AwsJsonApi.of(
                AwsJsonApi.Service.SQS,
                AccessDeniedHttpClient.json(
                        UrlConnectionHttpClient.create(),
                        "AmazonSQS.ListQueues",
                        "arn:aws:sts::111111111111:assumed-role/x/y",
                        "sqs:ListQueues",
                        "arn:aws:sqs:us-east-1:111111111111:"),
                executionRole,
                MotoServer.REGION,
                Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get);
        CallerIdentity identity = CallerIdentity.of(
                UrlConnectionHttpClient.create(),
                executionRole,
                MotoServer.REGION,
                Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString())::get);
        return new SqsConsumerHandler(
                () -> sqs,
                identity,
                Map.of(
                        "QUEUE_URL",
                        queueUrl,
                        "QUEUE_ARN",
                        queueArn,
                        "ROLEPROOF_EXPECTED_ROLE_ARN",
                        ROLE_ARN,
                        "ROLEPROOF_SELF_CHECK",
                        selfCheckMode,
                        "AWS_LAMBDA_FUNCTION_NAME",
                        "roleproof-sqs-consumer"));
    }

    private static List<String> failedIds(Object response) {
        assertThat(response).isInstanceOf(SQSBatchResponse.class);
        return ((SQSBatchResponse) response)
                .getBatchItemFailures().stream()
                        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                        .toList();
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void onlyThePoisonMessageIsReportedFailed(SQSEvent event) {
        assertThat(event.getRecords()).hasSize(3);

        assertThat(failedIds(handler("off").handle(event))).containsExactly(POISON_ID);
    }

    /** Lambda's entry point: the events/ file in, Lambda's partial batch response JSON out. */
    @Test
    void theStreamEntryPointAnswersLambdasBatchResponseJson() throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        handler("off").handleRequest(new ByteArrayInputStream(eventFile("sqs-consumer.json")), json, null);
        assertThat(json.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + POISON_ID + "\"}]}");
        // The same bytes the Java runtime's serializer makes of the SQSBatchResponse the typed handler returns.
        ByteArrayOutputStream runtime = new ByteArrayOutputStream();
        JacksonFactory.getInstance()
                .getSerializer(Object.class)
                .toJson(handler("off").handle(SqsConsumerHandler.readEvent(eventFile("sqs-consumer.json"))), runtime);
        assertThat(json.toString(StandardCharsets.UTF_8)).isEqualTo(runtime.toString(StandardCharsets.UTF_8));
    }

    /** readEvent builds what the Java runtime's own event mapping builds, on every events/ file it can receive. */
    @Test
    void readEventAgreesWithTheRuntimesMapping() throws Exception {
        for (String file : List.of("sqs-consumer.json", "self-check.json")) {
            assertThat(SqsConsumerHandler.readEvent(eventFile(file)))
                    .as(file)
                    .isEqualTo(EventLoader.loadEvent(file, SQSEvent.class));
        }
    }

    static byte[] eventFile(String name) throws java.io.IOException {
        try (java.io.InputStream in = SqsConsumerHandlerTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name + " on the test classpath (events/)").isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void aRedeliveredBatchFailsTheSamePoisonAgainAndSkipsWhatWasHandled(SQSEvent event) {
        SqsConsumerHandler handler = handler("off");
        handler.handle(event);

        // The mapping redelivers the poison message (and, after a timeout, possibly the others): same answer.
        assertThat(failedIds(handler.handle(event))).containsExactly(POISON_ID);
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void onAFifoQueueEverythingAfterTheFirstFailureIsReportedToo(SQSEvent event) {
        event.getRecords().forEach(m -> m.setEventSourceArn(m.getEventSourceArn() + ".fifo"));

        assertThat(failedIds(handler("off").handle(event)))
                .containsExactly(POISON_ID, "c80e8021-a70a-42c7-a470-796e1186f753");
    }

    @Test
    void ordersAreValidated() {
        assertThat(SqsConsumerHandler.Order.parse("{\"orderId\":\"o-1\",\"quantity\":3}"))
                .isEqualTo(new SqsConsumerHandler.Order("o-1", null, 3));
        for (String poison : List.of(
                "not json {",
                "[1,2]",
                "{\"quantity\":1}",
                "{\"orderId\":\"o\",\"quantity\":0}",
                "{\"orderId\":\"o\",\"quantity\":\"two\"}",
                "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqsConsumerHandler.Order.parse(poison))
                    .as(poison)
                    .isInstanceOf(SqsConsumerHandler.InvalidMessageException.class);
        }
    }

    @Test
    void theSelfCheckEventReturnsTheReport() {
        // {"roleproof": "self-check"} read as the runtime reads it for an SQSEvent handler: Records is null.
        SQSEvent event = EventLoader.loadEvent("self-check.json", SQSEvent.class);
        assertThat(event.getRecords()).isNull();

        Object response = handler("off").handle(event);

        assertThat(response).isInstanceOf(Map.class);
        Map<?, ?> report = (Map<?, ?>) response;
        assertThat(report.get("pattern")).isEqualTo("sqs-esm");
        assertThat(report.get("identityMatches")).isEqualTo(true);
        assertThat(report.get("verdict")).as(report.toString()).isEqualTo("PASS");
        assertThat(report.get("probes").toString()).contains("sqs:GetQueueAttributes", "sqs:ListQueues");
    }

    @ParameterizedTest
    @Event(value = "sqs-consumer.json", type = SQSEvent.class)
    void aDeliveryRunsTheSelfCheckOnceAndStillAnswersTheBatch(SQSEvent event) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            // Built while stdout is captured: the self-check logs where stdout pointed at init, as in Lambda.
            SqsConsumerHandler handler = handler("first");
            assertThat(failedIds(handler.handle(event))).containsExactly(POISON_ID);
            assertThat(failedIds(handler.handle(event))).containsExactly(POISON_ID);
        } finally {
            System.setOut(original);
        }
        String logs = out.toString(StandardCharsets.UTF_8);
        // Mode "first": one report per execution environment, whatever the number of invocations.
        assertThat(logs.lines().filter(l -> l.contains("\"roleproof\":\"self-check\"")))
                .hasSize(1);
        assertThat(logs).contains("\"proof\":\"invoked by the event source mapping for " + queueArn);
        assertThat(logs).contains("\"event\":\"message-failed\"", POISON_ID, "body is not valid JSON");
    }

    /**
     * What the mapping does with the partial batch response, played against moto's SQS: successes are deleted, the
     * poison message comes back until SQS moves it to the DLQ after maxReceiveCount receives.
     */
    @Test
    void thePoisonMessageEndsInTheDeadLetterQueueAndTheOthersAreDeleted() {
        MotoServer.assumeRunning(moto);
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
            SqsConsumerHandler handler = handler("off");
            for (int receive = 0; receive < 5; receive++) {
                List<software.amazon.awssdk.services.sqs.model.Message> received = admin.receiveMessage(
                                r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
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
                            message.setEventSourceArn("arn:aws:sqs:us-east-1:111111111111:redrive-orders");
                            return message;
                        })
                        .toList());
                List<String> failed = failedIds(handler.handle(event));
                received.stream()
                        .filter(m -> !failed.contains(m.messageId()))
                        .forEach(m -> admin.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
            }
            List<String> inDlq =
                    admin.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)).messages().stream()
                            .map(software.amazon.awssdk.services.sqs.model.Message::body)
                            .toList();
            assertThat(inDlq).containsExactly("not json {");
            assertThat(admin.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10))
                            .messages())
                    .isEmpty();
        }
    }
}
