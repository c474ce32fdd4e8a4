package dev.roleproof.engine.policy;

/**
 * A policy (or a case/request around it) that cannot be used. The message is one sentence naming the place as a
 * JSON pointer, e.g. {@code Unknown operator 'StringLik' at /Statement/0/Condition}.
 */
public class InvalidPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pointer;

    public InvalidPolicyException(String what, String pointer) {
        super(what + " at " + (pointer.isEmpty() ? "/" : pointer));
        this.pointer = pointer;
    }

    /** The JSON pointer of the offending element ("" for the document itself). */
    public String pointer() {
        return pointer;
    }
}
