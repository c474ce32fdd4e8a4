package dev.roleproof.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.policy.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS managed policies the reference stack and SAM use, as data: read once from the engine jar (documents
 * checked against moto 5.2.1's copy of AWS's managed policies and the AWS Managed Policy Reference).
 */
public final class ManagedPolicies {
    static final List<String> NAMES = List.of(
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaSQSQueueExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
            "AWSXRayDaemonWriteAccess");

    private ManagedPolicies() {}

    // Initialised on first use (holder idiom): immutable afterwards.
    private static final class Holder {
        static final List<ManagedPolicy> ALL = load();
    }

    private static List<ManagedPolicy> load() {
        ObjectMapper mapper = new ObjectMapper();
        List<ManagedPolicy> out = new ArrayList<>();
        for (String name : NAMES) {
            String path = "/dev/roleproof/engine/managed/" + name + ".json";
            try (InputStream in = ManagedPolicies.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("Managed policy resource missing from the engine jar: " + path);
                }
                JsonNode n = mapper.readTree(in);
                String arn = n.get("arn").textValue();
                String json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(n.get("document"));
                out.add(new ManagedPolicy(
                        name,
                        arn,
                        PolicyParser.parse(arn, n.get("document")),
                        json,
                        n.get("summary").textValue(),
                        n.get("versionId").textValue(),
                        n.get("updateDate").textValue()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        }
        return List.copyOf(out);
    }

    /** By ARN, e.g. arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole (any partition). */
    public static Optional<ManagedPolicy> byArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String normalised = arn.replaceFirst("^arn:aws(-cn|-us-gov)?:", "arn:aws:");
        return all().stream().filter(p -> p.arn().equals(normalised)).findFirst();
    }

    /** By name, e.g. AWSLambdaSQSQueueExecutionRole. */
    public static Optional<ManagedPolicy> byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public static List<ManagedPolicy> all() {
        return Holder.ALL;
    }
}
