package dev.roleproof.selfcheck;

/** What a probe must observe: the role needs the action (ALLOW) or must not have it (DENY). */
public enum Expectation {
    ALLOW,
    DENY
}
