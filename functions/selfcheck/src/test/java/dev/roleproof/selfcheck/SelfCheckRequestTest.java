package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The on-demand event {"roleproof": "self-check"} (events/self-check.json) read by the Lambda Java runtime's own
 * serializers into each handler's input type, next to the real deliveries in events/, which must not be taken for it.
 */
class SelfCheckRequestTest {

    private static <T> T read(String resource, Class<T> type) throws IOException {
        PojoSerializer<T> serializer =
                LambdaEventSerializers.serializerFor(type, SelfCheckRequestTest.class.getClassLoader());
        try (InputStream in = SelfCheckRequestTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as(resource + " on the test classpath (root events/)")
                    .isNotNull();
            return serializer.fromJson(in);
        }
    }

    @Test
    void theSelfCheckEventIsRecognisedInEveryTypedForm() throws IOException {
        assertThat(SelfCheck.isOnDemandRequest(read("self-check.json", SQSEvent.class)))
                .isTrue();
        assertThat(SelfCheck.isOnDemandRequest(read("self-check.json", DynamodbEvent.class)))
                .isTrue();
        assertThat(SelfCheck.isOnDemandRequest(read("self-check.json", S3Event.class)))
                .isTrue();
        assertThat(SelfCheck.isOnDemandRequest(Map.of("roleproof", "self-check")))
                .isTrue();
        assertThat(SelfCheck.isOnDemandRequest(new Request("self-check"))).isTrue();
    }

    @Test
    void realDeliveriesAndOtherInputsAreNot() throws IOException {
        assertThat(SelfCheck.isOnDemandRequest(read("sqs-consumer.json", SQSEvent.class)))
                .isFalse();
        assertThat(SelfCheck.isOnDemandRequest(read("ddb-stream-processor.json", DynamodbEvent.class)))
                .isFalse();
        assertThat(SelfCheck.isOnDemandRequest(read("s3-object-processor.json", S3Event.class)))
                .isFalse();
        assertThat(SelfCheck.isOnDemandRequest(Map.of("roleproof", "other"))).isFalse();
        assertThat(SelfCheck.isOnDemandRequest(new Request(null))).isFalse();
        assertThat(SelfCheck.isOnDemandRequest("self-check")).isFalse();
        assertThat(SelfCheck.isOnDemandRequest(null)).isFalse();
    }

    /** Shaped like the cross-account reader's request POJO: an optional roleproof field. */
    public static final class Request {
        private final String roleproof;

        Request(String roleproof) {
            this.roleproof = roleproof;
        }

        public String getRoleproof() {
            return roleproof;
        }
    }
}
