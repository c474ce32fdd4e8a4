package dev.roleproof.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A request to authorize.
 *
 * @param principal an ARN (arn:aws:iam::111111111111:user/alice, :role/r, :root,
 *     arn:aws:sts::111111111111:assumed-role/r/session, :federated-user/u), a bare account id, a service principal
 *     ("s3.amazonaws.com"), or "*" / "anonymous"
 * @param action "service:Action"
 * @param resource a resource ARN, or "*" for actions without a resource type
 * @param resourceAccount the account owning the resource; may be null when the ARN carries an account (an S3 bucket
 *     ARN does not: then the principal's account is assumed)
 * @param context condition keys (case-insensitive names) to one or more values; keys the evaluator can derive from
 *     the request (aws:PrincipalArn, aws:PrincipalAccount, ...) are derived unless given here
 */
public record Request(
        String principal, String action, String resource, String resourceAccount, Map<String, List<String>> context) {

    public Request {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        if (context == null || context.isEmpty()) {
            context = Collections.emptyMap();
        } else {
            TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> e : context.entrySet()) {
                copy.put(e.getKey(), List.copyOf(e.getValue()));
            }
            context = Collections.unmodifiableMap(copy);
        }
    }

    public static Request of(String principal, String action, String resource) {
        return new Request(principal, action, resource, null, Map.of());
    }

    /** A copy with one more (or a replaced) context key. */
    public Request withContext(String key, String... values) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(context);
        copy.put(key, Arrays.asList(values));
        return new Request(principal, action, resource, resourceAccount, copy);
    }

    public Request withResourceAccount(String account) {
        return new Request(principal, action, resource, account, context);
    }
}
