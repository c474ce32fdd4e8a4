package dev.roleproof.engine.internal;

import java.util.List;
import java.util.Locale;

/** A statement's Action/Resource patterns compiled once (actions lower-cased: they match case-insensitively). */
public final class CompiledStatement {
    private final Glob[] actions; // of Action or NotAction, null when neither
    private final ArnPattern[] resources; // of Resource or NotResource, null when neither
    private final Template[] resourceTemplates; // parallel to resources; non-null entries need per-request resolution

    public CompiledStatement(List<String> actionList, List<String> resourceList, boolean variables) {
        if (actionList == null) {
            actions = null;
        } else {
            actions = new Glob[actionList.size()];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = Glob.of(actionList.get(i).toLowerCase(Locale.ROOT));
            }
        }
        if (resourceList == null) {
            resources = null;
            resourceTemplates = null;
        } else {
            resources = new ArnPattern[resourceList.size()];
            resourceTemplates = new Template[resources.length];
            for (int i = 0; i < resources.length; i++) {
                String r = resourceList.get(i);
                Template t = variables ? Template.parseOrNull(r) : null;
                resourceTemplates[i] = t;
                resources[i] = t == null ? ArnPattern.of(r) : null;
            }
        }
    }

    /** Whether any Action/NotAction pattern matches the lower-cased action; false when the statement has none. */
    public boolean anyActionMatches(String lowerAction) {
        if (actions == null) {
            return false;
        }
        for (Glob g : actions) {
            if (g.matches(lowerAction)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any Resource/NotResource pattern matches; variables resolve against ctx. */
    public boolean anyResourceMatches(String resource, ContextLookup ctx) {
        if (resources == null) {
            return false;
        }
        for (int i = 0; i < resources.length; i++) {
            ArnPattern p = resources[i];
            if (p == null) {
                p = resourceTemplates[i].resolveArn(ctx);
                if (p == null) {
                    continue; // unresolved variable: this entry matches nothing
                }
            }
            if (p.matches(resource)) {
                return true;
            }
        }
        return false;
    }

    /** Derived from the statement's lists: never part of a statement's identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledStatement;
    }

    @Override
    public int hashCode() {
        return 0;
    }
}
