package dev.roleproof.selfcheck;

/**
 * The outcome of one probe. {@code detail} says what was seen (error code, status, timeout); {@code hint} is set only
 * when the observation contradicts the expectation, and says exactly what to change in the role.
 */
public record ProbeResult(
        String action, String resource, Expectation expected, Observed observed, String detail, String hint) {

    /** True when the probe saw what it expected. */
    public boolean asExpected() {
        return expected == Expectation.ALLOW ? observed == Observed.ALLOWED : observed == Observed.DENIED;
    }

    /** True when the probe proves a permission error: a required action DENIED or a forbidden one ALLOWED. */
    public boolean failed() {
        return expected == Expectation.ALLOW ? observed == Observed.DENIED : observed == Observed.ALLOWED;
    }
}
