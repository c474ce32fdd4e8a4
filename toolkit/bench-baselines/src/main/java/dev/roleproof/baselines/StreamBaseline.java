package dev.roleproof.baselines;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Baseline of the stream processor: sam init style, client made lazily with every default, no self-check. */
public class StreamBaseline implements RequestHandler<DynamodbEvent, String> {
    private DynamoDbClient dynamodb;

    @Override
    public String handleRequest(DynamodbEvent event, Context context) {
        if (dynamodb == null) {
            dynamodb = DynamoDbClient.builder().build();
        }
        dynamodb.describeTable(r -> r.tableName(System.getenv("TABLE_NAME")));
        return "handled " + (event.getRecords() == null ? 0 : event.getRecords().size());
    }
}
