package dev.roleproof.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roleproof.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handler runtime on the real SQS consumer: the Handler string resolved, the event file deserialized by
 * aws-lambda-java-serialization into a typed SQSEvent, the SQSBatchResponse serialized as Lambda expects it, log
 * lines captured per invocation, and an init error reported as Lambda reports it. No AWS call is made: the
 * self-check is off and the handler's clients are only built.
 */
class FunctionRuntimeIT {

    static Path root;
    static Path artifact;

    @BeforeAll
    static void built() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("functions"))) {
            p = p.getParent();
        }
        root = p;
        artifact = root == null ? null : root.resolve("functions/sqs-consumer/target/lambda");
        if (artifact == null || !Files.isDirectory(artifact.resolve("lib"))) {
            RequiredTool.missing("functions/sqs-consumer is not built (target/lambda): run ./mvnw -B package");
        }
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/111111111111/roleproof-orders");
        env.put("QUEUE_ARN", "arn:aws:sqs:us-east-1:111111111111:roleproof-orders");
        env.put("ROLEPROOF_SELF_CHECK", "off");
        env.put("ROLEPROOF_EXPECTED_ROLE_ARN", "arn:aws:iam::111111111111:role/roleproof-sqs-consumer");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "roleproof-sqs-consumer");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        return env;
    }

    @Test
    void typedEventInBatchResponseOutLogsCapturedWarmAcrossInvocations() throws Exception {
        String event = Files.readString(root.resolve("events/sqs-consumer.json"));
        try (FunctionRuntime f = FunctionRuntime.start(
                "roleproof-sqs-consumer",
                "dev.roleproof.sqsconsumer.SqsConsumerFunction::handleRequest",
                artifact,
                env(),
                "arn:aws:lambda:us-east-1:111111111111:function:roleproof-sqs-consumer",
                30)) {
            FunctionRuntime.Invocation first = f.invoke(event);
            assertThat(first.error()).as(first.response()).isFalse();
            // Only the poison message (body "not json ...") is reported failed, under Lambda's field names.
            assertThat(first.response())
                    .isEqualTo(
                            "{\"batchItemFailures\":[{\"itemIdentifier\":\"2e1424d4-f796-459a-8184-9c92662be6da\"}]}");
            assertThat(first.logs())
                    .anyMatch(l -> l.contains("order-accepted") && l.contains("order-1001"))
                    .anyMatch(l -> l.contains("message-failed"));

            // Same execution environment: the handler remembers the ids it handled (its redelivery guard).
            FunctionRuntime.Invocation second = f.invoke(event);
            assertThat(second.logs()).anyMatch(l -> l.contains("duplicate-skipped"));
            assertThat(second.requestId()).isNotEqualTo(first.requestId());
        }
    }

    /**
     * The self-check around the handler (template.yaml's class): the runtime resolves the event type through the
     * wrapper's generic superclass, and the first delivery's report is among that invocation's lines, before the
     * response. Its calls go to a closed port, so they fail fast (INCONCLUSIVE): only where the report lands is checked.
     */
    @Test
    void aDeliverysSelfCheckReportIsLoggedWithItsInvocation() throws Exception {
        String event = Files.readString(root.resolve("events/sqs-consumer.json"));
        Map<String, String> env = env();
        env.put("ROLEPROOF_SELF_CHECK", "first");
        try (FunctionRuntime f = FunctionRuntime.start(
                "roleproof-sqs-consumer",
                "dev.roleproof.sqsconsumer.SqsConsumerFunction::handleRequest",
                artifact,
                env,
                "arn:aws:lambda:us-east-1:111111111111:function:roleproof-sqs-consumer",
                30)) {
            FunctionRuntime.Invocation first = f.invoke(event);
            assertThat(first.error()).as(first.response()).isFalse();
            assertThat(first.response()).contains("\"batchItemFailures\"");
            assertThat(first.logs().get(first.logs().size() - 1)).startsWith("{\"roleproof\":\"self-check\"");

            FunctionRuntime.Invocation second = f.invoke(event);
            assertThat(second.logs()).noneMatch(l -> l.contains("\"roleproof\":\"self-check\""));

            FunctionRuntime.Invocation onDemand = f.invoke(Files.readString(root.resolve("events/self-check.json")));
            assertThat(onDemand.response()).startsWith("{\"roleproof\":\"self-check\"");
        }
    }

    @Test
    void aMissingHandlerClassIsAnInitError() {
        assertThatThrownBy(() -> FunctionRuntime.start(
                        "f",
                        "dev.roleproof.sqsconsumer.NoSuchHandler::handleRequest",
                        artifact,
                        env(),
                        "arn:aws:lambda:us-east-1:111111111111:function:f",
                        30))
                .isInstanceOf(FunctionRuntime.FunctionInitException.class)
                .hasMessageContaining("ClassNotFoundException")
                .hasMessageContaining("NoSuchHandler");
    }

    @Test
    void anUnhandledExceptionIsLambdasErrorJson() throws Exception {
        Map<String, String> env = env();
        try (FunctionRuntime f = FunctionRuntime.start(
                "roleproof-sqs-consumer",
                "dev.roleproof.sqsconsumer.SqsConsumerFunction::handleRequest",
                artifact,
                env,
                "arn:aws:lambda:us-east-1:111111111111:function:roleproof-sqs-consumer",
                30)) {
            // An SQSEvent whose Records is not a list cannot be deserialized: the runtime reports it, the JVM lives on.
            FunctionRuntime.Invocation bad = f.invoke("{\"Records\": 42}");
            assertThat(bad.error()).isTrue();
            assertThat(bad.response()).contains("\"errorMessage\"", "\"errorType\"");
            FunctionRuntime.Invocation good = f.invoke(Files.readString(root.resolve("events/sqs-consumer.json")));
            assertThat(good.error()).as(good.response()).isFalse();
        }
    }

    /**
     * The SnapStart emulation: the handler's CRaC priming runs after init (its self-check report is an init log, made
     * before the "snapshot"), and after the "restore" the first invocation reports a self-check again. The endpoint
     * refuses connections, so every call fails fast and the verdict is INCONCLUSIVE: only the lifecycle is asserted.
     */
    @Test
    void primedRuntimeRunsTheCracHooksAroundTheSnapshotPoint() throws Exception {
        Map<String, String> env = env();
        env.put("ROLEPROOF_SELF_CHECK", "first");
        String event = Files.readString(root.resolve("events/sqs-consumer.json"));
        try (FunctionRuntime f = FunctionRuntime.startPrimed(
                "roleproof-sqs-consumer",
                "dev.roleproof.sqsconsumer.SqsConsumerFunction::handleRequest",
                artifact,
                env,
                "arn:aws:lambda:us-east-1:111111111111:function:roleproof-sqs-consumer",
                30)) {
            FunctionRuntime.Invocation first = f.invoke(event);
            assertThat(f.initLogs())
                    .anyMatch(l -> l.contains("\"roleproof\":\"self-check\"")
                            && l.contains("priming before the SnapStart snapshot"));
            assertThat(first.logs())
                    .anyMatch(l -> l.contains("\"roleproof\":\"self-check\"")
                            && l.contains("invoked by the event source mapping"));
            assertThat(f.invoke(event).logs()).noneMatch(l -> l.contains("\"roleproof\":\"self-check\""));
        }
    }
}
