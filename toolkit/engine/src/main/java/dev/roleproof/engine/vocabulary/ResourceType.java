package dev.roleproof.engine.vocabulary;

import dev.roleproof.engine.internal.ArnFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource type of a service, e.g. s3's "object" with ARN format {@code arn:${Partition}:s3:::${BucketName}/${ObjectName}}.
 */
public final class ResourceType {
    private final String name;
    private final ArnFormat format;
    private final List<String> conditionKeys;

    ResourceType(String name, ArnFormat format, List<String> conditionKeys) {
        this.name = name;
        this.format = format;
        this.conditionKeys = List.copyOf(conditionKeys);
    }

    public String name() {
        return name;
    }

    public String arnFormat() {
        return format.format();
    }

    /** Condition keys every action on this type sees. */
    public List<String> conditionKeys() {
        return conditionKeys;
    }

    /** Whether a concrete ARN is of this type. */
    public boolean matches(String arn) {
        return format.matches(arn);
    }

    /** Whether a policy Resource pattern can name a resource of this type ("*" can). */
    public boolean overlaps(String resourcePattern) {
        return format.overlaps(resourcePattern);
    }

    /** The format's variables as they appear in {@code arnOrPattern} (read as text), if it is of this format. */
    public Optional<Map<String, String>> bind(String arnOrPattern) {
        return Optional.ofNullable(format.bind(arnOrPattern));
    }

    /** The format with the given variables filled in and the others as "*". */
    public String fill(Map<String, String> values) {
        return format.fill(values);
    }

    @Override
    public String toString() {
        return name + " (" + format.format() + ")";
    }
}
