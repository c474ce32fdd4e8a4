package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Baseline of the stream processor: the same AWS calls as the processor's first invocation (its self-check's identity,
 * stream reads on a LATEST iterator and forbidden DescribeTable; handling records makes no call), written the sam init
 * way: clients made in the handler with every default, calls one after the other.
 */
public class StreamBaseline implements RequestHandler<DynamodbEvent, String> {
    private StsClient sts;
    private DynamoDbStreamsClient streams;
    private DynamoDbClient dynamodb;

    @Override
    public String handleRequest(DynamodbEvent event, Context context) {
        if (streams == null) {
            sts = StsClient.builder().build();
            streams = DynamoDbStreamsClient.builder().build();
            dynamodb = DynamoDbClient.builder().build();
        }
        String streamArn = System.getenv("STREAM_ARN");
        sts.getCallerIdentity();
        String shard = streams.describeStream(r -> r.streamArn(streamArn).limit(1))
                .streamDescription()
                .shards()
                .get(0)
                .shardId();
        String iterator = streams.getShardIterator(
                        r -> r.streamArn(streamArn).shardId(shard).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
        streams.getRecords(r -> r.shardIterator(iterator).limit(1));
        dynamodb.describeTable(r -> r.tableName(System.getenv("TABLE_NAME")));
        return "handled " + (event.getRecords() == null ? 0 : event.getRecords().size());
    }
}
