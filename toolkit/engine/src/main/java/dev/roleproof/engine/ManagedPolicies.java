package dev.roleproof.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roleproof.engine.policy.PolicyParser;
import dev.roleproof.engine.vocabulary.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every AWS managed policy (default version), as data: generated from moto's copy of AWS's managed policies by
 * {@code tools/iam-data/generate.py} into {@code dev/roleproof/engine/data/aws-managed-policies.gz}. The file is read
 * on first use and a document is parsed on its first lookup. The policies SAM attaches to Lambda roles carry
 * RoleProof's own explanation (what they grant, why broad, which scoped statements replace them).
 */
public final class ManagedPolicies {
    static final String RESOURCE = "/dev/roleproof/engine/data/aws-managed-policies.gz";
    private static final String DOCUMENTS = "/dev/roleproof/engine/data/aws-managed-policies";
    private static final String SUMMARIES = "/dev/roleproof/engine/managed/summaries.json";
    private static final String ARN_PREFIX = "arn:aws:iam::aws:policy";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The managed policies SAM attaches to Lambda execution roles, which carry RoleProof's explanation. */
    static final List<String> SAM_LAMBDA_POLICIES = List.of(
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaSQSQueueExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
            "AWSXRayDaemonWriteAccess");

    private ManagedPolicies() {}

    private static final class Index {
        static final Index BUNDLED = new Index();

        final DataSource source;
        final Map<String, String> lines = new TreeMap<>(); // name -> path \t version \t date
        final int buckets;
        final ConcurrentHashMap<Integer, Map<String, String>> documents = new ConcurrentHashMap<>();
        final Map<String, String> explanations;
        final ConcurrentHashMap<String, ManagedPolicy> parsed = new ConcurrentHashMap<>();

        private Index() {
            String text = dev.roleproof.engine.internal.Resources.readGzip(RESOURCE);
            int nl = text.indexOf('\n');
            JsonNode header = read(text.substring(0, nl));
            source = new DataSource(
                    header.get("source").textValue() + " " + header.get("file").textValue(),
                    header.get("version").textValue(),
                    header.get("date").textValue(),
                    header.get("licence").textValue());
            buckets = header.get("buckets").intValue();
            dev.roleproof.engine.internal.Resources.tabLines(text, nl + 1, lines);
            Map<String, String> ex = new HashMap<>();
            try (InputStream in = ManagedPolicies.class.getResourceAsStream(SUMMARIES)) {
                if (in == null) {
                    throw new IllegalStateException("Missing from the engine jar: " + SUMMARIES);
                }
                JSON.readTree(in).fields().forEachRemaining(e -> {
                    if (!e.getKey().startsWith("_")) {
                        ex.put(e.getKey(), e.getValue().textValue());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + SUMMARIES, e);
            }
            explanations = Collections.unmodifiableMap(ex);
        }

        ManagedPolicy get(String name) {
            ManagedPolicy p = parsed.get(name);
            if (p != null) {
                return p;
            }
            String rest = lines.get(name);
            return rest == null ? null : parsed.computeIfAbsent(name, n -> parse(n, rest));
        }

        private ManagedPolicy parse(String name, String rest) {
            String[] f = rest.split("\t", 3);
            String arn = ARN_PREFIX + f[0] + name;
            String document = documents
                    .computeIfAbsent(
                            dev.roleproof.engine.internal.Resources.bucket(name, buckets),
                            b -> dev.roleproof.engine.internal.Resources.readBucket(DOCUMENTS, b))
                    .get(name);
            if (document == null) {
                throw new IllegalStateException("Managed policy data lacks the document of " + name);
            }
            return new ManagedPolicy(
                    name,
                    arn,
                    PolicyParser.parse(arn, read(document)),
                    document,
                    explanations.get(name),
                    f[1],
                    f[2].isEmpty() ? null : f[2]);
        }

        private static JsonNode read(String s) {
            try {
                return JSON.readTree(s);
            } catch (IOException e) {
                throw new IllegalStateException("Corrupt managed policy data in the engine jar: " + e.getMessage(), e);
            }
        }
    }

    /** Where the documents come from (moto's copy of AWS's managed policies), its version and newest update. */
    public static DataSource source() {
        return Index.BUNDLED.source;
    }

    /** By ARN, e.g. arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole (any partition). */
    public static Optional<ManagedPolicy> byArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String normalised = arn.replaceFirst("^arn:aws(-[a-z]+)*:", "arn:aws:");
        String name = normalised.substring(normalised.lastIndexOf('/') + 1);
        return arnOf(name).filter(normalised::equals).flatMap(found -> byName(name));
    }

    /** By name, e.g. AWSLambdaSQSQueueExecutionRole (names are unique across paths). */
    public static Optional<ManagedPolicy> byName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(Index.BUNDLED.get(name));
    }

    /** The ARN of a managed policy by name (path included), without parsing its document. */
    public static Optional<String> arnOf(String name) {
        String rest = name == null ? null : Index.BUNDLED.lines.get(name);
        return rest == null ? Optional.empty() : Optional.of(ARN_PREFIX + rest.substring(0, rest.indexOf('\t')) + name);
    }

    /** Every name, sorted. */
    public static List<String> names() {
        return List.copyOf(Index.BUNDLED.lines.keySet());
    }

    /** The policies SAM attaches to Lambda execution roles, with RoleProof's explanations. */
    public static List<ManagedPolicy> samLambdaPolicies() {
        List<ManagedPolicy> out = new ArrayList<>();
        for (String n : SAM_LAMBDA_POLICIES) {
            out.add(byName(n).orElseThrow(() -> new IllegalStateException("Managed policy data lacks " + n)));
        }
        return out;
    }

    /** Every managed policy (parses every document). */
    public static List<ManagedPolicy> all() {
        List<ManagedPolicy> out = new ArrayList<>();
        for (String n : names()) {
            out.add(Index.BUNDLED.get(n));
        }
        return out;
    }
}
