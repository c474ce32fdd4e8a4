package dev.roleproof.selfcheck;

/** What a probe saw. INCONCLUSIVE (network, throttling, missing resource, timeout...) is never a permission verdict. */
public enum Observed {
    ALLOWED,
    DENIED,
    INCONCLUSIVE
}
