package dev.roleproof.engine;

/**
 * The result of one evaluation.
 *
 * @param message the AWS-style access-denied message; null when allowed
 * @param explanation why; null when evaluated without explain
 * @param deniedBy the policy type that decided a denial (null when allowed); present even without explain
 */
public record Decision(Outcome outcome, String message, Explanation explanation, PolicyType deniedBy) {

    public Decision(Outcome outcome, String message, Explanation explanation) {
        this(outcome, message, explanation, explanation == null ? null : explanation.deniedBy());
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
