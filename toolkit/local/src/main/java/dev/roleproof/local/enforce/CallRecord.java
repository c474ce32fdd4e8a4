package dev.roleproof.local.enforce;

import dev.roleproof.engine.Explanation;
import dev.roleproof.engine.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One AWS call the proxy saw, in the order it saw it.
 *
 * @param principalArn the caller, or {@link #ADMIN} for unsigned/unknown-key calls (RoleProof's own setup), which
 *     are forwarded unjudged
 * @param action IAM action, e.g. sqs:ReceiveMessage (batch APIs under their IAM action, sqs:DeleteMessage)
 * @param resource resource ARN, or "*"
 * @param context the condition keys the proxy put on the request
 * @param decision the engine's outcome; ALLOWED for admin calls
 * @param message the AWS-style denial message; null when allowed
 * @param at when the proxy judged it
 * @param explanation the engine's explanation of a denial (which policy type denied, which statements matched);
 *     null for allowed and admin calls, and when the engine was not reached
 */
public record CallRecord(
        String principalArn,
        String action,
        String resource,
        Map<String, List<String>> context,
        Outcome decision,
        String message,
        Instant at,
        Explanation explanation) {
    /** principalArn of calls made without a registered key: forwarded without a judgement. */
    public static final String ADMIN = "admin";

    public CallRecord {
        context = context == null ? Map.of() : Map.copyOf(context);
    }

    /** A record without an explanation. */
    public CallRecord(
            String principalArn,
            String action,
            String resource,
            Map<String, List<String>> context,
            Outcome decision,
            String message,
            Instant at) {
        this(principalArn, action, resource, context, decision, message, at, null);
    }

    /** Whether this call was made by RoleProof itself (not judged). */
    public boolean admin() {
        return ADMIN.equals(principalArn);
    }

    public boolean allowed() {
        return decision == Outcome.ALLOWED;
    }
}
