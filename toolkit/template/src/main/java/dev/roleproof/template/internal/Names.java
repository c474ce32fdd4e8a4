package dev.roleproof.template.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic stand-ins for the values CloudFormation and AWS make up at deploy time (name suffixes, ids, stream
 * labels), so that the same template always yields the same ARNs.
 */
public final class Names {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A deterministic stream label in DynamoDB's format (a timestamp), fixed so ARNs are reproducible. */
    public static final String STREAM_LABEL = "2020-01-01T00:00:00.000";

    private Names() {}

    /** Uppercase alphanumerics derived from the seed (CloudFormation uses 12-13 random ones). */
    public static String suffix(String seed, int length) {
        byte[] h = sha256(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALNUM.charAt((h[i % h.length] & 0xff) % ALNUM.length()));
        }
        return sb.toString();
    }

    /** Lowercase hexadecimal, e.g. for ids and UUIDs. */
    public static String hex(String seed, int length) {
        byte[] h = sha256(seed);
        StringBuilder sb = new StringBuilder();
        for (byte b : h) {
            sb.append(String.format("%02x", b));
        }
        while (sb.length() < length) {
            sb.append(sb);
        }
        return sb.substring(0, length);
    }

    public static String uuid(String seed) {
        String h = hex(seed, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20, 32);
    }

    /**
     * The name CloudFormation gives a resource without one: "{stack}-{LogicalId}-{SUFFIX}", the first two parts
     * shortened to fit {@code maxLength}.
     */
    public static String generated(String stack, String logicalId, int maxLength, boolean lowercase) {
        String suffix = suffix(stack + "/" + logicalId, 12);
        int room = maxLength - suffix.length() - 2;
        String s = stack;
        String l = logicalId;
        if (s.length() + l.length() > room) {
            int half = Math.max(1, room / 2);
            if (s.length() > half && l.length() > room - half) {
                s = s.substring(0, half);
                l = l.substring(0, room - half);
            } else if (s.length() > half) {
                s = s.substring(0, Math.max(1, room - l.length()));
            } else {
                l = l.substring(0, Math.max(1, room - s.length()));
            }
        }
        String name = s + "-" + l + "-" + suffix;
        return lowercase ? name.toLowerCase() : name;
    }

    private static byte[] sha256(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
