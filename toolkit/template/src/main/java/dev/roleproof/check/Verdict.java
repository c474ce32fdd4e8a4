package dev.roleproof.check;

/** The outcome of one need, and of a pattern (the worst of its needs). */
public enum Verdict {
    PASS,
    WARN,
    UNKNOWN,
    FAIL;

    /** The worse of two verdicts (FAIL beats UNKNOWN beats WARN beats PASS). */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
