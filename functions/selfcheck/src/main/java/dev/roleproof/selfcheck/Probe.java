package dev.roleproof.selfcheck;

import java.util.Objects;

/**
 * One permission the function must hold ({@link #require}) or must not hold ({@link #forbid}), shown by one harmless
 * call. A probe never changes data, even when the role is wrongly permissive. The self-check runs every probe on its
 * own thread and stops waiting at its bound (an unanswered call is INCONCLUSIVE).
 */
public record Probe(String action, String resource, Expectation expected, ProbeCall call, String principal) {

    /**
     * @param principal the role whose credentials the call uses when it is not the execution role (the cross-account
     *                  reader's calls in B run as B's role), so a FAIL hint names the role to change; null otherwise
     */
    public Probe {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(call, "call");
    }

    /** A probe made with the execution role's credentials. */
    public Probe(String action, String resource, Expectation expected, ProbeCall call) {
        this(action, resource, expected, call, null);
    }

    /** The same probe, made with the credentials of another role (e.g. B's role, assumed). */
    public Probe as(String roleArn) {
        return new Probe(action, resource, expected, call, roleArn);
    }

    /** The call must be ALLOWED: the pattern needs this action on this resource. */
    public static Probe require(String action, String resource, ProbeCall call) {
        return new Probe(action, resource, Expectation.ALLOW, call);
    }

    /** The call must be DENIED: a harmless action the role must not hold. */
    public static Probe forbid(String action, String resource, ProbeCall call) {
        return new Probe(action, resource, Expectation.DENY, call);
    }
}
