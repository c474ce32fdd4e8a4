package dev.roleproof.selfcheck;

import dev.roleproof.selfcheck.internal.SignedHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;

/**
 * sts:GetCallerIdentity through the function's own HTTP client and the SDK's SigV4 signer: the ARN of whoever's
 * credentials the function really holds.
 *
 * <p>Hand-written rather than the SDK's StsClient on purpose: the STS module (~550 KB with its query protocol) was the
 * only reason the SQS, stream and S3 packages carried it, and building a second service client was the largest part
 * of the self-check's cold start (see README "Figures"). The request is the fixed Query form the SDK sends; signing,
 * HTTP and error types are the SDK's own, so a refusal classifies exactly like one from StsClient.
 */
public final class CallerIdentity implements Callable<String> {

    private static final byte[] BODY = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;

    private CallerIdentity(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * @param env where AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL are read, the variables the SDK honours for an
     *            emulator (System::getenv in Lambda); without them the regional STS endpoint of the region's partition
     */
    public static CallerIdentity of(
            SdkHttpClient http, AwsCredentialsProvider credentials, Region region, UnaryOperator<String> env) {
        return new CallerIdentity(http, credentials, region, endpoint(region, env));
    }

    static URI endpoint(Region region, UnaryOperator<String> env) {
        return SignedHttp.endpoint("STS", "sts", region, env);
    }

    URI endpoint() {
        return endpoint;
    }

    /** The caller's ARN, e.g. arn:aws:sts::111111111111:assumed-role/RoleName/session. */
    @Override
    public String call() throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .build();
        SignedHttp.Answer answer = SignedHttp.send(http, credentials, region, "sts", request, BODY);
        byte[] body = answer.body();
        int status = answer.status();
        Map<String, String> fields = parse(body);
        if (status / 100 != 2) {
            throw SignedHttp.serviceError(
                    "Sts",
                    status,
                    fields.getOrDefault("Code", "HTTP " + status),
                    fields.get("Message"),
                    fields.get("RequestId"));
        }
        String arn = fields.get("Arn");
        if (arn == null) {
            throw new IOException(
                    "GetCallerIdentity answered without an Arn: " + new String(body, StandardCharsets.UTF_8));
        }
        return arn;
    }

    private static final XMLInputFactory XML = secureFactory();

    private static XMLInputFactory secureFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    /** Leaf elements of the response by name (Arn, Account, UserId; Code, Message, RequestId on an error). */
    static Map<String, String> parse(byte[] xml) {
        Map<String, String> leaves = new HashMap<>();
        if (xml.length == 0) {
            return leaves;
        }
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(xml));
            String element = null;
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamReader.START_ELEMENT -> {
                        element = r.getLocalName();
                        text.setLength(0);
                    }
                    case XMLStreamReader.CHARACTERS, XMLStreamReader.CDATA -> text.append(r.getText());
                    case XMLStreamReader.END_ELEMENT -> {
                        if (r.getLocalName().equals(element)) {
                            leaves.putIfAbsent(element, text.toString().trim());
                        }
                        element = null;
                    }
                    default -> {}
                }
            }
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(
                    new IOException("GetCallerIdentity answered with unreadable XML: " + e.getMessage(), e));
        }
        return leaves;
    }
}
