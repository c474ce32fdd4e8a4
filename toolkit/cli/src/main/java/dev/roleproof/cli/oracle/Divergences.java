package dev.roleproof.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The one list of cases where RoleProof deliberately follows the AWS documentation and iam-simulate decides otherwise
 * (the table in toolkit/engine/README.md, which these rules mirror row by row). The differential test
 * excludes exactly the cases these rules select, and nothing else.
 */
public enum Divergences {
    /**
     * A resource policy whose principal matches the role session itself (its session ARN, or "*") grants in addition
     * to the session policy: an implicit deny in the session policy does not limit it. iam-simulate lets the session
     * policy limit it.
     */
    SESSION_ARN_GRANT_VS_SESSION_POLICY(
            "a resource policy naming the session (its ARN, or \"*\") is not limited by the session policy",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session") {
        @Override
        boolean applies(JsonNode c) {
            String principal = c.path("request").path("principal").asText("");
            // A caller given by its role ARN stands for a session of that role.
            boolean role = principal.startsWith("arn:aws:iam::") && principal.contains(":role/");
            if (!(principal.startsWith("arn:aws:sts::") || role)
                    || !present(c.get("sessionPolicy"))
                    || !present(c.get("resourcePolicy"))) {
                return false;
            }
            String text = c.get("resourcePolicy").toString();
            return !role && text.contains("\"" + principal + "\"")
                    || text.contains("\"Principal\":\"*\"")
                    || text.contains("\"AWS\":\"*\"");
        }
    },
    /** Under Version 2008-10-17 (or no Version) a {@code ${…}} is literal text, not a policy variable. */
    VARIABLES_UNDER_2008_10_17(
            "policy variables are literal text in policies without Version 2012-10-17",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html") {
        @Override
        boolean applies(JsonNode c) {
            for (JsonNode policy : allPolicies(c)) {
                String version = policy.path("Version").asText("2008-10-17");
                if (!"2012-10-17".equals(version) && policy.toString().contains("${")) {
                    return true;
                }
            }
            return false;
        }
    },
    /** SCPs limit IAM users and roles of member accounts; a service principal is neither. */
    SCPS_ON_SERVICE_PRINCIPALS(
            "SCPs do not apply to service principals",
            "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html") {
        @Override
        boolean applies(JsonNode c) {
            String principal = c.path("request").path("principal").asText("");
            return principal.endsWith(".amazonaws.com") && nonEmpty(c.get("scps"));
        }
    },
    /**
     * Deny with NotPrincipal exempts an IAM caller only when the account, the role (or user) and the session are all
     * listed: AWS checks the account first, then the role, then the session. iam-simulate exempts the caller as soon
     * as its account alone, or its ARN alone, is listed. (Found by this test.)
     */
    NOT_PRINCIPAL_PARTIAL_EXEMPTION(
            "Deny+NotPrincipal naming only the caller's account, or only its ARN, does not exempt the caller",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html") {
        @Override
        boolean applies(JsonNode c) {
            String principal = c.path("request").path("principal").asText("");
            String account = accountOf(principal);
            if (!principal.startsWith("arn:") || account.isEmpty() || !present(c.get("resourcePolicy"))) {
                return false;
            }
            String roleArn = principal.startsWith("arn:aws:sts::") && principal.contains(":assumed-role/")
                    ? "arn:aws:iam::" + account + ":role/" + principal.split("/")[1]
                    : principal;
            for (JsonNode st : statements(c.get("resourcePolicy"))) {
                JsonNode np = st.path("NotPrincipal").path("AWS");
                if (!"Deny".equals(st.path("Effect").asText()) || np.isMissingNode()) {
                    continue;
                }
                java.util.Set<String> named = new java.util.HashSet<>();
                if (np.isArray()) {
                    np.forEach(v -> named.add(v.asText()));
                } else {
                    named.add(np.asText());
                }
                boolean accountNamed = named.contains(account) || named.contains("arn:aws:iam::" + account + ":root");
                boolean callerNamed = named.contains(principal) || named.contains(roleArn);
                boolean fully = accountNamed && named.contains(roleArn) && named.contains(principal);
                if ((accountNamed || callerNamed) && !fully) {
                    return true;
                }
            }
            return false;
        }
    },
    /**
     * The account root user's identity side has full access without any identity policy (in its own account, and
     * towards another account's resource whose policy allows the root's account); iam-simulate requires an identity
     * policy. (Found by this test.)
     */
    ROOT_USER_IDENTITY_SIDE(
            "the root user needs no identity policy: its identity side has full access",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html") {
        @Override
        boolean applies(JsonNode c) {
            String principal = c.path("request").path("principal").asText("");
            if (!principal.startsWith("arn:aws:iam::") || !principal.endsWith(":root")) {
                return false;
            }
            String resourceAccount = c.path("request").path("resourceAccount").asText(null);
            if (resourceAccount == null) {
                resourceAccount = accountOf(c.path("request").path("resource").asText(""));
            }
            return accountOf(principal).equals(resourceAccount)
                    || resourceAccount.isEmpty()
                    || present(c.get("resourcePolicy"));
        }
    },
    /** Deny+NotPrincipal always denies an IAM principal that has a permissions boundary, whatever the list says. */
    NOT_PRINCIPAL_WITH_BOUNDARY(
            "Deny+NotPrincipal always denies a caller that has a permissions boundary",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html") {
        @Override
        boolean applies(JsonNode c) {
            if (!present(c.get("permissionsBoundary")) || !present(c.get("resourcePolicy"))) {
                return false;
            }
            for (JsonNode st : statements(c.get("resourcePolicy"))) {
                if ("Deny".equals(st.path("Effect").asText()) && st.has("NotPrincipal")) {
                    return true;
                }
            }
            return false;
        }
    },
    /** SCPs and RCPs do not affect service-linked roles (AWSServiceRoleFor…). */
    SERVICE_LINKED_ROLES(
            "SCPs and RCPs do not affect service-linked roles",
            "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html") {
        @Override
        boolean applies(JsonNode c) {
            String principal = c.path("request").path("principal").asText("");
            return principal.contains("/AWSServiceRoleFor") && (nonEmpty(c.get("scps")) || nonEmpty(c.get("rcps")));
        }
    },
    /** A role always has a trust policy and it must allow: sts:AssumeRole without one is denied. */
    ASSUME_ROLE_WITHOUT_TRUST_POLICY(
            "sts:AssumeRole with no trust policy given is denied (every role has one, and it must allow)",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html") {
        @Override
        boolean applies(JsonNode c) {
            String action = c.path("request").path("action").asText("");
            return action.regionMatches(true, 0, "sts:AssumeRole", 0, 14) && !present(c.get("resourcePolicy"));
        }
    },
    /**
     * A NotResource entry with a policy variable that has no value "will not match any resource", so it excludes
     * nothing and the statement applies; iam-simulate treats the statement as not applying.
     */
    UNRESOLVED_VARIABLE_IN_NOT_RESOURCE(
            "a NotResource entry whose variable has no value matches no resource (the statement still applies)",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value") {
        @Override
        boolean applies(JsonNode c) {
            for (JsonNode policy : allPolicies(c)) {
                for (JsonNode st : statements(policy)) {
                    if (unresolvedVariable(st.path("NotResource"), c)) {
                        return true;
                    }
                }
            }
            return false;
        }
    },
    /**
     * A negated condition operator (StringNotLike, ...) against a policy variable that has no value matches ("Inverted
     * condition operators ... do match against a null value"); iam-simulate does not match it.
     */
    UNRESOLVED_VARIABLE_NEGATED_OPERATOR(
            "a negated condition operator matches a policy variable that has no value",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value") {
        @Override
        boolean applies(JsonNode c) {
            for (JsonNode policy : allPolicies(c)) {
                for (JsonNode st : statements(policy)) {
                    var ops = st.path("Condition").fields();
                    while (ops.hasNext()) {
                        var op = ops.next();
                        String name = op.getKey().replaceFirst("^For(All|Any)Values?:", "");
                        if (!name.contains("Not") || name.startsWith("Null")) {
                            continue;
                        }
                        var keys = op.getValue().fields();
                        while (keys.hasNext()) {
                            var key = keys.next();
                            // A missing key makes a negated operator true on both sides.
                            if (hasKey(c, key.getKey()) && unresolvedVariable(key.getValue(), c)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }
    },
    /** RCPs apply only to the services AWS lists (S3, STS, KMS, SQS, Secrets Manager, …); Lambda is not one. */
    RCPS_ON_LAMBDA(
            "RCPs do not apply to AWS Lambda (not in the list of services that support RCPs)",
            "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services") {
        @Override
        boolean applies(JsonNode c) {
            String action = c.path("request").path("action").asText("");
            return action.regionMatches(true, 0, "lambda:", 0, 7) && nonEmpty(c.get("rcps"));
        }
    };

    private final String rule;
    private final String citation;

    Divergences(String rule, String citation) {
        this.rule = rule;
        this.citation = citation;
    }

    public String rule() {
        return rule;
    }

    public String citation() {
        return citation;
    }

    abstract boolean applies(JsonNode evalCase);

    /** The first documented divergence that selects this case, if any. */
    public static Optional<Divergences> of(JsonNode evalCase) {
        for (Divergences d : values()) {
            if (d.applies(evalCase)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static boolean hasKey(JsonNode c, String key) {
        return contextValue(c, key) != null;
    }

    /** A request context key's value, names compared case-insensitively; null when absent. */
    private static JsonNode contextValue(JsonNode c, String key) {
        var fields = c.path("request").path("context").fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (f.getKey().equalsIgnoreCase(key)) {
                return f.getValue();
            }
        }
        return null;
    }

    /** Whether a value (or list of values) has a ${key} without default whose key the request lacks. */
    private static boolean unresolvedVariable(JsonNode values, JsonNode c) {
        java.util.List<JsonNode> list = new java.util.ArrayList<>();
        if (values.isArray()) {
            values.forEach(list::add);
        } else if (values.isTextual()) {
            list.add(values);
        }
        java.util.regex.Pattern var = java.util.regex.Pattern.compile("\\$\\{([^},']+)}");
        for (JsonNode v : list) {
            java.util.regex.Matcher m = var.matcher(v.asText());
            while (m.find()) {
                String key = m.group(1).trim();
                if (key.equals("*") || key.equals("?") || key.equals("$")) {
                    continue;
                }
                // A variable takes a single value only (a list leaves it unresolved).
                JsonNode value = contextValue(c, key);
                if (value == null || !value.isTextual()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 ? parts[4] : "";
    }

    private static Iterable<JsonNode> statements(JsonNode policy) {
        JsonNode st = policy.path("Statement");
        return st.isArray() ? st : java.util.List.of(st);
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    private static boolean nonEmpty(JsonNode levels) {
        if (!present(levels)) {
            return false;
        }
        for (JsonNode level : levels) {
            if (level.size() > 0) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<JsonNode> allPolicies(JsonNode c) {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        c.path("identityPolicies").forEach(all::add);
        for (String f : new String[] {"resourcePolicy", "permissionsBoundary", "sessionPolicy"}) {
            if (present(c.get(f))) {
                all.add(c.get(f));
            }
        }
        for (String f : new String[] {"scps", "rcps"}) {
            c.path(f).forEach(level -> level.forEach(all::add));
        }
        return all;
    }
}
