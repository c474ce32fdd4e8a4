package dev.roleproof.template;

import java.util.List;
import java.util.Map;

/**
 * One call a handler makes, declared under the function's {@code Metadata.RoleProof.Calls}. {@code as} is null when
 * the call uses the function's own role, else the ARN of the role whose credentials make it (after sts:AssumeRole).
 */
public record DeclaredCall(String as, String action, String resource, Map<String, List<String>> context, int line) {

    public DeclaredCall {
        context = context == null ? Map.of() : Map.copyOf(context);
    }
}
