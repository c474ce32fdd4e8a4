package dev.roleproof.engine.policy;

/** A statement's Effect. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String awsName;

    Effect(String awsName) {
        this.awsName = awsName;
    }

    /** "Allow" or "Deny", as written in a policy. */
    public String awsName() {
        return awsName;
    }
}
