package dev.roleproof.engine.internal;

import dev.roleproof.engine.policy.Principals;
import java.util.List;

/**
 * Does a Principal / NotPrincipal element name the caller, and how (IAM JSON policy elements: Principal)? The
 * strength of the match decides what a resource-based policy grant is worth: a session, user or wildcard grant stands
 * alone in the same account, a role ARN grant is still limited by boundary and session policy, an account grant only
 * delegates.
 */
public final class PrincipalMatcher {
    /** How a principal element named the caller. Ordered weakest first. */
    public enum Match {
        NONE(null),
        ACCOUNT("account"),
        ROLE("role"),
        DIRECT_WILDCARD("wildcard"),
        DIRECT_NOT_PRINCIPAL("notPrincipal"),
        DIRECT_SERVICE("service"),
        DIRECT_FEDERATED("federated"),
        DIRECT_USER("user"),
        DIRECT_SESSION("session");

        private final String label;

        Match(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** A grant naming the caller itself (not its role or account). */
        public boolean direct() {
            return ordinal() >= DIRECT_WILDCARD.ordinal();
        }
    }

    private PrincipalMatcher() {}

    public static Match match(Principals p, Caller c) {
        if (p.any()) {
            return Match.DIRECT_WILDCARD;
        }
        Match best = Match.NONE;
        for (String a : p.aws()) {
            Match m = matchAws(a, c);
            if (m.ordinal() > best.ordinal()) {
                best = m;
            }
        }
        // "Service principals are unique and case-sensitive" (IAM API: CreateServiceLinkedRole).
        if (c.kind == Caller.Kind.SERVICE && p.service().contains(c.text)) {
            best = Match.DIRECT_SERVICE;
        }
        // A web identity provider ("cognito-identity.amazonaws.com", "accounts.google.com") reads like a service name.
        if ((c.kind == Caller.Kind.FEDERATED || c.kind == Caller.Kind.SERVICE)
                && containsIgnoreCase(p.federated(), c.text)) {
            best = Match.DIRECT_FEDERATED;
        }
        if (p.canonicalUser().contains(c.text)) {
            best = Match.DIRECT_USER;
        }
        return best;
    }

    private static boolean containsIgnoreCase(List<String> list, String s) {
        for (String x : list) {
            if (x.equalsIgnoreCase(s)) {
                return true;
            }
        }
        return false;
    }

    static Match matchAws(String a, Caller c) {
        if (a.equals("*")) {
            return Match.DIRECT_WILDCARD;
        }
        if (!c.isIam()) {
            return Match.NONE;
        }
        if (a.length() == 12 && !a.startsWith("arn:")) {
            return a.equals(c.account) ? Match.ACCOUNT : Match.NONE;
        }
        if (!a.startsWith("arn:")) {
            return Match.NONE; // a unique id (AIDA…, AROA…): the named principal was deleted or is unknown here
        }
        String[] p = a.split(":", 6);
        if (p.length != 6 || !p[4].equals(c.account) || !p[1].equals(c.partition)) {
            return Match.NONE;
        }
        String res = p[5];
        if (p[2].equals("iam")) {
            if (res.equals("root")) {
                return Match.ACCOUNT;
            }
            if (res.startsWith("user/")) {
                return c.kind == Caller.Kind.USER && a.equalsIgnoreCase(c.arn) ? Match.DIRECT_USER : Match.NONE;
            }
            if (res.startsWith("role/")) {
                if (c.roleName == null) {
                    return Match.NONE;
                }
                String name = res.substring(res.lastIndexOf('/') + 1);
                if (!name.equalsIgnoreCase(c.roleName)) {
                    return Match.NONE;
                }
                // With a path on both sides they must agree; a session ARN carries no path, so the name decides.
                if (c.roleArn != null
                        && c.roleArn.indexOf('/') != c.roleArn.lastIndexOf('/')
                        && !a.equalsIgnoreCase(c.roleArn)) {
                    return Match.NONE;
                }
                return Match.ROLE;
            }
            return Match.NONE;
        }
        if (p[2].equals("sts")) {
            if ((c.kind == Caller.Kind.ASSUMED_ROLE || c.kind == Caller.Kind.FEDERATED_USER) && a.equals(c.arn)) {
                return Match.DIRECT_SESSION;
            }
            // Role names are case-insensitive; the session name is compared as written.
            if (c.kind == Caller.Kind.ASSUMED_ROLE && res.startsWith("assumed-role/")) {
                String[] rs = res.split("/", 3);
                String[] cs = c.arn.split(":", 6)[5].split("/", 3);
                if (rs.length == 3 && rs[1].equalsIgnoreCase(cs[1]) && rs[2].equals(cs[2])) {
                    return Match.DIRECT_SESSION;
                }
            }
        }
        return Match.NONE;
    }

    /**
     * NotPrincipal: the caller is excluded only when every identity AWS evaluates for it is listed — for a role
     * session its session ARN, its role ARN and its account; for a user its ARN and its account (IAM JSON policy
     * elements: NotPrincipal, "NotPrincipal with Deny").
     */
    public static boolean excluded(Principals p, Caller c) {
        return excluded(p, c, false);
    }

    /**
     * As {@link #excluded(Principals, Caller)}; hasBoundary: "The NotPrincipal element with a Deny effect will always
     * deny any IAM principal that has a permissions boundary policy attached, regardless of the values specified in
     * the NotPrincipal element" (IAM JSON policy elements: NotPrincipal).
     */
    public static boolean excluded(Principals p, Caller c, boolean hasBoundary) {
        if (hasBoundary && c.isIam()) {
            return false;
        }
        if (p.any() || p.aws().contains("*")) {
            return true;
        }
        switch (c.kind) {
            case SERVICE:
            case FEDERATED:
            case ANONYMOUS:
                return match(p, c).direct();
            default:
                break;
        }
        boolean account = false;
        boolean role = false;
        boolean self = false;
        for (String a : p.aws()) {
            Match m = matchAws(a, c);
            account |= m == Match.ACCOUNT;
            role |= m == Match.ROLE;
            self |= m == Match.DIRECT_SESSION || m == Match.DIRECT_USER;
        }
        switch (c.kind) {
            case ACCOUNT:
                return account;
            case ROLE:
                return account && role;
            case ASSUMED_ROLE:
                return account && role && self;
            default:
                return account && self;
        }
    }
}
