package dev.roleproof.engine.internal;

import java.util.List;
import java.util.Locale;

/**
 * The request's principal, read once: its kind, account and the ARNs AWS derives from it. A role session's role ARN
 * is rebuilt without a path (the session ARN does not carry it) unless aws:PrincipalArn is given in the context.
 */
public final class Caller {
    /** Principal kinds; {@link #awsPrincipalType()} gives the aws:PrincipalType value. */
    public enum Kind {
        USER,
        ROLE,
        ASSUMED_ROLE,
        ACCOUNT,
        FEDERATED_USER,
        SERVICE,
        FEDERATED,
        ANONYMOUS
    }

    public final String text;
    public final Kind kind;
    public final String partition;
    public final String account;
    public final String arn; // canonical ARN for IAM kinds; null otherwise
    public final String roleArn; // ROLE and ASSUMED_ROLE
    public final String roleName; // ROLE and ASSUMED_ROLE
    public final String userName; // USER
    public final String federatedName; // FEDERATED_USER

    private Caller(
            String text,
            Kind kind,
            String partition,
            String account,
            String arn,
            String roleArn,
            String roleName,
            String userName,
            String federatedName) {
        this.text = text;
        this.kind = kind;
        this.partition = partition;
        this.account = account;
        this.arn = arn;
        this.roleArn = roleArn;
        this.roleName = roleName;
        this.userName = userName;
        this.federatedName = federatedName;
    }

    /**
     * Reads a principal string.
     *
     * @param givenPrincipalArn aws:PrincipalArn from the request context, when given (may carry the role's path)
     * @throws IllegalArgumentException for an ARN that is not a principal
     */
    public static Caller parse(String p, List<String> givenPrincipalArn) {
        if (p.equals("*") || p.equalsIgnoreCase("anonymous")) {
            return new Caller(p, Kind.ANONYMOUS, null, null, null, null, null, null, null);
        }
        if (p.length() == 12 && p.chars().allMatch(Character::isDigit)) {
            return new Caller(p, Kind.ACCOUNT, "aws", p, "arn:aws:iam::" + p + ":root", null, null, null, null);
        }
        if (!p.startsWith("arn:")) {
            if (p.indexOf('.') > 0 && p.indexOf(' ') < 0 && p.indexOf(':') < 0) {
                return new Caller(p, Kind.SERVICE, null, null, null, null, null, null, null);
            }
            throw new IllegalArgumentException("Unrecognised principal '" + p
                    + "' (expected an ARN, an account id, a service principal such as s3.amazonaws.com, or \"*\")");
        }
        String[] parts = p.split(":", 6);
        if (parts.length != 6 || parts[1].isEmpty()) {
            throw new IllegalArgumentException("Malformed principal ARN '" + p + "'");
        }
        String partition = parts[1];
        String service = parts[2];
        String account = parts[4];
        String res = parts[5];
        if (service.equals("iam") && !account.isEmpty()) {
            if (res.equals("root")) {
                return new Caller(p, Kind.ACCOUNT, partition, account, p, null, null, null, null);
            }
            if (res.startsWith("user/")) {
                return new Caller(p, Kind.USER, partition, account, p, null, null, lastSegment(res), null);
            }
            if (res.startsWith("role/")) {
                return new Caller(p, Kind.ROLE, partition, account, p, p, lastSegment(res), null, null);
            }
            if (res.startsWith("saml-provider/") || res.startsWith("oidc-provider/")) {
                return new Caller(p, Kind.FEDERATED, partition, null, null, null, null, null, null);
            }
        }
        if (service.equals("sts") && !account.isEmpty()) {
            if (res.startsWith("assumed-role/")) {
                String[] rs = res.split("/");
                if (rs.length < 3) {
                    throw new IllegalArgumentException("Malformed session ARN '" + p
                            + "' (expected arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)");
                }
                String roleName = rs[1];
                String roleArn = "arn:" + partition + ":iam::" + account + ":role/" + roleName;
                if (givenPrincipalArn != null && givenPrincipalArn.size() == 1) {
                    String g = givenPrincipalArn.get(0);
                    if (g.startsWith("arn:" + partition + ":iam::" + account + ":role/")
                            && g.endsWith("/" + roleName)) {
                        roleArn = g;
                    }
                }
                return new Caller(p, Kind.ASSUMED_ROLE, partition, account, p, roleArn, roleName, null, null);
            }
            if (res.startsWith("federated-user/")) {
                return new Caller(
                        p,
                        Kind.FEDERATED_USER,
                        partition,
                        account,
                        p,
                        null,
                        null,
                        null,
                        res.substring("federated-user/".length()));
            }
        }
        throw new IllegalArgumentException("ARN '" + p + "' is not a principal (expected :root, user/, role/, "
                + "assumed-role/ or federated-user/)");
    }

    private static String lastSegment(String res) {
        return res.substring(res.lastIndexOf('/') + 1);
    }

    /** IAM principals are governed by identity policies, boundaries, session policies and SCPs. */
    public boolean isIam() {
        return kind == Kind.USER
                || kind == Kind.ROLE
                || kind == Kind.ASSUMED_ROLE
                || kind == Kind.ACCOUNT
                || kind == Kind.FEDERATED_USER;
    }

    /** A service-linked role (or its session): SCPs and RCPs do not restrict it. */
    public boolean isServiceLinkedRole() {
        return roleName != null && roleName.startsWith("AWSServiceRoleFor")
                || roleArn != null && roleArn.contains(":role/aws-service-role/");
    }

    /** The value of aws:PrincipalType (AWS global condition context keys); null where AWS sets none. */
    public String awsPrincipalType() {
        switch (kind) {
            case USER:
                return "User";
            case ROLE:
            case ASSUMED_ROLE:
                return "AssumedRole";
            case ACCOUNT:
                return "Account";
            case FEDERATED_USER:
                return "FederatedUser";
            case ANONYMOUS:
                return "Anonymous";
            default:
                return null;
        }
    }

    /** The ARN AWS reports as aws:PrincipalArn (the role ARN for a session). */
    public String principalArn() {
        return kind == Kind.ASSUMED_ROLE ? roleArn : arn;
    }

    /** The service name of a service principal, lower-cased. */
    public String serviceName() {
        return kind == Kind.SERVICE ? text.toLowerCase(Locale.ROOT) : null;
    }

    /** The caller's name in explanations and messages ("Anonymous" for anonymous callers). */
    public String display() {
        return kind == Kind.ANONYMOUS ? "anonymous" : text;
    }
}
