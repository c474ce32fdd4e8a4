package dev.roleproof.ddbstream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.roleproof.selfcheck.SelfCheck;
import dev.roleproof.selfcheck.SelfCheckedHandler;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stream processor with its self-check, what template.yaml's Handler names: {@link DdbStreamProcessorHandler} as
 * it is, and what its execution role must and must not be able to do. The handler makes no AWS call (Lambda's poller
 * reads the stream), so the probes have DynamoDB clients of their own.
 */
public class DdbStreamProcessorFunction extends SelfCheckedHandler<DynamodbEvent> {

    public DdbStreamProcessorFunction() {
        this(selfCheck(
                        () -> Clients.STREAMS,
                        () -> Clients.DYNAMODB,
                        System.getenv("STREAM_ARN"),
                        System.getenv("TABLE_NAME"))
                .httpClient(() -> Clients.HTTP));
    }

    DdbStreamProcessorFunction(SelfCheck.Builder<DynamodbEvent> selfCheck) {
        super(new DdbStreamProcessorHandler(), selfCheck);
    }

    static SelfCheck.Builder<DynamodbEvent> selfCheck(
            Supplier<DynamoDbStreamsClient> streams,
            Supplier<DynamoDbClient> dynamodb,
            String streamArn,
            String tableName) {
        String tableArn = streamArn.substring(0, streamArn.indexOf("/stream/"));
        // A LATEST iterator points past every record there is: the reads below prove the grant and read nothing.
        Callable<String> latestIterator = () -> {
            String shard = prepared(
                    "DescribeStream",
                    () -> streams.get()
                            .describeStream(r -> r.streamArn(streamArn))
                            .streamDescription()
                            .shards()
                            .get(0)
                            .shardId());
            return streams.get()
                    .getShardIterator(
                            r -> r.streamArn(streamArn).shardId(shard).shardIteratorType(ShardIteratorType.LATEST))
                    .shardIterator();
        };
        return SelfCheck.builder(DynamodbEvent.class, "dynamodb-stream-esm")
                // The mapping reads the stream with these, so the role must have them on it.
                .require(
                        "dynamodb:DescribeStream",
                        streamArn,
                        () -> streams.get().describeStream(r -> r.streamArn(streamArn)))
                .require("dynamodb:GetShardIterator", streamArn, latestIterator::call)
                .require("dynamodb:GetRecords", streamArn, () -> {
                    String iterator = prepared("GetShardIterator", latestIterator);
                    streams.get().getRecords(r -> r.shardIterator(iterator).limit(1));
                })
                // The function reads the stream, never the table itself.
                .forbid(
                        "dynamodb:DescribeTable",
                        tableArn,
                        () -> dynamodb.get().describeTable(r -> r.tableName(tableName)))
                .proof(event -> "invoked by the event source mapping for "
                        + event.getRecords().get(0).getEventSourceARN() + ", so the execution role could read it");
    }

    /** A probe's preparation step: its refusal makes the probe INCONCLUSIVE, not a refusal of the probed action. */
    private static <T> T prepared(String step, Callable<T> call) throws Exception {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not prepare the probe: " + step + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Only the probes use these, so they are made by the first probe, on the self-check's threads (the JVM initialises
     * this class on first use): never when the self-check is off, and off the cold start's path otherwise.
     */
    static final class Clients {
        static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
        // The role's credentials: in the environment on demand, from the container endpoint under SnapStart.
        static final AwsCredentialsProvider CREDENTIALS = AwsCredentialsProviderChain.of(
                EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create());
        static final DynamoDbStreamsClient STREAMS = DynamoDbStreamsClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(CREDENTIALS)
                .httpClient(HTTP)
                .build();
        static final DynamoDbClient DYNAMODB = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(CREDENTIALS)
                .httpClient(HTTP)
                .build();

        private Clients() {}
    }
}
