package dev.roleproof.check;

import dev.roleproof.engine.Decision;

/**
 * A need with the engine's decision: the verdict, the statement that decided it ("Role/policy#Sid", or what denied
 * it), and the fix when it failed (empty when it passed).
 */
public record EvaluatedNeed(Need need, Decision decision, Verdict verdict, String decidedBy, String fix) {

    public String principal() {
        return need.input().request().principal();
    }

    public String action() {
        return need.input().request().action();
    }

    public String resource() {
        return need.input().request().resource();
    }
}
