package dev.roleproof.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roleproof.template.AttachedPolicy;
import dev.roleproof.template.ResourceSpec;
import dev.roleproof.template.RoleSpec;
import dev.roleproof.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates what the models declare in moto through the AWS APIs, as each account's administrator: IAM roles with
 * their policies (so STS AssumeRole works), queues with redrive, tables with streams, buckets; then seeds B's table.
 * Never event source mappings or bucket notifications: moto would try to invoke functions itself (in Docker, which is not here); the
 * emulated Lambda service plays them.
 */
final class Deployer {

    /** Queues read by an SQS mapping get this visibility timeout for the run, so redelivery takes seconds. */
    static final int RUN_VISIBILITY_TIMEOUT = 1;

    private final Aws aws;
    private final java.net.URI moto;
    private final Consumer<String> progress;

    Deployer(Aws aws, java.net.URI moto, Consumer<String> progress) {
        this.aws = aws;
        this.moto = moto;
        this.progress = progress;
    }

    /**
     * First what the Lambda service needs to start functions: roles (for AssumeRole) and tables (their real stream
     * ARNs go into the models), both accounts in parallel. Returns the models with deploy-time values filled in.
     */
    Stacks deployCore(Stacks stacks) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<SamTemplate> a = CompletableFuture.supplyAsync(() -> core(stacks.a()), pool);
            CompletableFuture<SamTemplate> b = CompletableFuture.supplyAsync(() -> core(stacks.b()), pool);
            return new Stacks(join(a), join(b));
        } finally {
            pool.shutdown();
        }
    }

    /** Then the rest (queues with redrive, buckets) and B's seed item, while the functions' JVMs start. */
    void deployRest(Stacks stacks, Path seedEvent) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> rest(stacks.a()), pool);
            CompletableFuture<Void> b = CompletableFuture.runAsync(
                    () -> {
                        rest(stacks.b());
                        seed(stacks.b(), seedEvent);
                    },
                    pool);
            join(a);
            join(b);
        } finally {
            pool.shutdown();
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    private SamTemplate core(SamTemplate t) {
        Aws.Admin admin = aws.admin(moto, t.account());
        try (IamClient iam = admin.iam()) {
            for (RoleSpec role : t.roles()) {
                createRole(iam, role);
            }
        }
        SamTemplate deployed = t;
        int tables = 0;
        try (DynamoDbClient ddb = admin.dynamodb()) {
            for (ResourceSpec table : t.resources()) {
                if (!table.type().equals("AWS::DynamoDB::Table")) {
                    continue;
                }
                String stream = createTable(ddb, table);
                tables++;
                String placeholder = table.attribute("StreamArn");
                if (stream != null && placeholder != null) {
                    // The stream label is chosen when the table is created: the model's placeholder becomes the real
                    // ARN.
                    deployed = ModelEdits.replaceValue(deployed, placeholder, stream);
                }
            }
        }
        progress.accept(String.format(
                "deployed account %s (%s): %d roles with their policies, %d tables",
                t.account(), t.file().getFileName(), t.roles().size(), tables));
        return deployed;
    }

    private void rest(SamTemplate t) {
        Aws.Admin admin = aws.admin(moto, t.account());
        int queues = 0;
        int buckets = 0;
        Set<String> polled = new java.util.HashSet<>();
        t.mappings().stream().filter(m -> "SQS".equals(m.sourceType())).forEach(m -> polled.add(m.eventSourceArn()));
        try (SqsClient sqs = admin.sqs()) {
            List<ResourceSpec> ordered = new ArrayList<>();
            // Dead-letter queues first: a redrive policy names an existing queue.
            t.resources().stream()
                    .filter(r -> r.type().equals("AWS::SQS::Queue")
                            && !r.properties().containsKey("RedrivePolicy"))
                    .forEach(ordered::add);
            t.resources().stream()
                    .filter(r ->
                            r.type().equals("AWS::SQS::Queue") && r.properties().containsKey("RedrivePolicy"))
                    .forEach(ordered::add);
            for (ResourceSpec q : ordered) {
                Map<QueueAttributeName, String> attributes = new HashMap<>();
                q.properties().forEach((k, v) -> {
                    QueueAttributeName name = QueueAttributeName.fromValue(k);
                    if (name != QueueAttributeName.UNKNOWN_TO_SDK_VERSION && !k.equals("QueueName")) {
                        attributes.put(
                                name,
                                v instanceof Map || v instanceof List
                                        ? PolicyJson.MAPPER.valueToTree(v).toString()
                                        : String.valueOf(v));
                    }
                });
                if (polled.contains(q.arn())) {
                    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(RUN_VISIBILITY_TIMEOUT));
                }
                sqs.createQueue(r -> r.queueName(q.physicalName()).attributes(attributes));
                queues++;
            }
        }
        try (S3Client s3 = admin.s3()) {
            for (ResourceSpec bucket : t.resources()) {
                if (bucket.type().equals("AWS::S3::Bucket")) {
                    s3.createBucket(r -> r.bucket(bucket.physicalName()));
                    buckets++;
                }
            }
        }
        if (queues + buckets > 0) {
            progress.accept(String.format(
                    "deployed account %s: %d queues (visibility timeout of polled queues set to"
                            + " %d s for the run), %d buckets; no mapping or notification (RoleProof plays them)",
                    t.account(), queues, RUN_VISIBILITY_TIMEOUT, buckets));
        }
    }

    private void createRole(IamClient iam, RoleSpec role) {
        String trust = role.trustPolicy() == null
                ? "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
                : PolicyJson.toJson(role.trustPolicy());
        try {
            iam.createRole(r -> r.roleName(role.roleName())
                    .path(role.path() == null ? "/" : role.path())
                    .assumeRolePolicyDocument(trust));
        } catch (EntityAlreadyExistsException e) {
            throw new LocalException("moto at " + moto + " already holds role " + role.roleName() + ": roleproof local"
                    + " deploys into an empty moto server (restart it, or leave out --endpoint)");
        }
        for (AttachedPolicy p : role.policies()) {
            if (p.policy() != null && p.kind() != AttachedPolicy.Kind.MANAGED) {
                String doc = PolicyJson.toJson(p.policy());
                iam.putRolePolicy(
                        r -> r.roleName(role.roleName()).policyName(p.name()).policyDocument(doc));
            }
            // AWS managed policies are not loaded in moto by default; the engine reads them from the model anyway.
        }
    }

    @SuppressWarnings("unchecked")
    private String createTable(DynamoDbClient ddb, ResourceSpec table) {
        Map<String, Object> p = table.properties();
        CreateTableRequest.Builder req = CreateTableRequest.builder().tableName(table.physicalName());
        List<AttributeDefinition> defs = new ArrayList<>();
        for (Object o : (List<Object>) p.getOrDefault("AttributeDefinitions", List.of())) {
            Map<String, Object> d = (Map<String, Object>) o;
            defs.add(AttributeDefinition.builder()
                    .attributeName(String.valueOf(d.get("AttributeName")))
                    .attributeType(String.valueOf(d.get("AttributeType")))
                    .build());
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Object o : (List<Object>) p.getOrDefault("KeySchema", List.of())) {
            Map<String, Object> k = (Map<String, Object>) o;
            keys.add(KeySchemaElement.builder()
                    .attributeName(String.valueOf(k.get("AttributeName")))
                    .keyType(String.valueOf(k.get("KeyType")))
                    .build());
        }
        req.attributeDefinitions(defs).keySchema(keys).billingMode(BillingMode.PAY_PER_REQUEST);
        Object spec = p.get("StreamSpecification");
        if (spec instanceof Map) {
            req.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(String.valueOf(((Map<String, Object>) spec).get("StreamViewType")))
                    .build());
        }
        try {
            return ddb.createTable(req.build()).tableDescription().latestStreamArn();
        } catch (ResourceInUseException e) {
            throw new LocalException("moto at " + moto + " already holds table " + table.physicalName() + ": roleproof"
                    + " local deploys into an empty moto server (restart it, or leave out --endpoint)");
        }
    }

    /** Puts the item the cross-account event asks for into B's table, so the read has something to find. */
    private void seed(SamTemplate b, Path seedEvent) {
        if (seedEvent == null || !Files.isRegularFile(seedEvent)) {
            return;
        }
        JsonNode event;
        try {
            event = PolicyJson.MAPPER.readTree(Files.readString(seedEvent));
        } catch (IOException e) {
            throw new UncheckedIOException(seedEvent + ": " + e.getMessage(), e);
        }
        String table = event.path("table").asText(null);
        JsonNode key = event.path("key");
        if (table == null || !key.isObject()) {
            return;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        key.properties()
                .forEach(f -> item.put(
                        f.getKey(),
                        f.getValue().isNumber()
                                ? AttributeValue.fromN(f.getValue().asText())
                                : AttributeValue.fromS(f.getValue().asText())));
        item.put("title", AttributeValue.fromS("Monthly report (seeded by roleproof local)"));
        item.put("total", AttributeValue.fromN("42"));
        try (DynamoDbClient ddb = aws.admin(moto, b.account()).dynamodb()) {
            ddb.putItem(r -> r.tableName(table).item(item));
        }
        progress.accept("seeded account " + b.account() + "'s table " + table + " with item " + key);
    }
}
