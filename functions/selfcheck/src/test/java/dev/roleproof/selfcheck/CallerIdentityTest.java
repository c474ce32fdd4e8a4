package dev.roleproof.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.roleproof.testing.MotoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

class CallerIdentityTest {

    @Test
    void answersWhatTheSdksStsClientAnswers() throws Exception {
        Aws admin = new Aws(MotoServer.shared().endpoint(), Aws.ADMIN, null);
        String expected;
        try (StsClient sts = admin.sts()) {
            expected = sts.getCallerIdentity().arn();
            Aws session = new Aws(
                    admin.endpoint,
                    Aws.of(sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/SqsConsumerRole")
                                    .roleSessionName("fn"))
                            .credentials()),
                    null);
            assertThat(session.identity().call())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/SqsConsumerRole/fn");
        }
        assertThat(admin.identity().call()).isEqualTo(expected);
    }

    @Test
    void endpointFollowsTheSdkVariablesThenThePartition() {
        assertThat(CallerIdentity.endpoint(Region.EU_WEST_1, Map.<String, String>of()::get))
                .isEqualTo(URI.create("https://sts.eu-west-1.amazonaws.com"));
        assertThat(CallerIdentity.endpoint(Region.CN_NORTH_1, Map.<String, String>of()::get))
                .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn"));
        assertThat(CallerIdentity.endpoint(Region.US_EAST_1, Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")::get))
                .isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(CallerIdentity.endpoint(
                        Region.US_EAST_1,
                        Map.of("AWS_ENDPOINT_URL", "http://a:1", "AWS_ENDPOINT_URL_STS", "http://b:2")::get))
                .isEqualTo(URI.create("http://b:2"));
    }

    /** AWS's real refusal body for expired or unknown credentials, served by a JDK HTTP server (no AWS here). */
    @Test
    void aRefusalIsTheSdksServiceExceptionWithStsErrorCode() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message>"
                        + "</Error><RequestId>r-1</RequestId></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8);
        String[] seen = new String[2];
        server.createContext("/", exchange -> {
            seen[0] = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen[1] = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            CallerIdentity id = CallerIdentity.of(
                    Aws.HTTP,
                    Aws.ADMIN,
                    Region.US_EAST_1,
                    Map.of(
                            "AWS_ENDPOINT_URL",
                            "http://127.0.0.1:" + server.getAddress().getPort())::get);
            assertThatThrownBy(id::call).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
                assertThat(e.awsErrorDetails().errorMessage()).contains("expired");
                assertThat(e.requestId()).isEqualTo("r-1");
            });
            assertThat(seen[0]).isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
            assertThat(seen[1])
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
                    .contains("/us-east-1/sts/aws4_request");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anXmlBodyWithADoctypeIsRefusedNotExpanded() {
        byte[] xml = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<R><Arn>&e;</Arn></R>")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CallerIdentity.parse(xml)).hasMessageContaining("unreadable XML");
    }
}
