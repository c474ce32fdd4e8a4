package dev.roleproof.selfcheck.internal;

/**
 * Compares the caller identity (an STS assumed-role session ARN) with the expected execution role ARN. The session
 * ARN carries no role path ({@code arn:aws:sts::111122223333:assumed-role/NAME/session}) while the role ARN may
 * ({@code arn:aws:iam::111122223333:role/some/path/NAME}), so partition, account and role name are compared.
 */
public final class Identities {

    private Identities() {}

    public static boolean callerIsRole(String callerArn, String roleArn) {
        if (callerArn == null || roleArn == null) {
            return false;
        }
        String[] caller = callerArn.split(":", 6);
        String[] role = roleArn.split(":", 6);
        if (caller.length != 6 || role.length != 6 || !"arn".equals(caller[0]) || !"arn".equals(role[0])) {
            return false;
        }
        if (!caller[1].equals(role[1])
                || !caller[4].equals(role[4])
                || !"iam".equals(role[2])
                || !role[5].startsWith("role/")) {
            return false;
        }
        String roleName = role[5].substring(role[5].lastIndexOf('/') + 1);
        String callerRoleName;
        if ("sts".equals(caller[2]) && caller[5].startsWith("assumed-role/")) {
            String[] parts = caller[5].split("/");
            if (parts.length < 3) {
                return false;
            }
            callerRoleName = parts[1];
        } else if ("iam".equals(caller[2]) && caller[5].startsWith("role/")) {
            callerRoleName = caller[5].substring(caller[5].lastIndexOf('/') + 1);
        } else {
            return false;
        }
        // IAM role names are unique regardless of case.
        return !roleName.isEmpty() && roleName.equalsIgnoreCase(callerRoleName);
    }
}
