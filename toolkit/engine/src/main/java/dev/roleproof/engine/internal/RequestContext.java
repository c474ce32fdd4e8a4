package dev.roleproof.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request's context keys, then the global keys AWS derives from the request (AWS global condition context keys):
 * aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username (users), aws:userid (root, federated
 * users), aws:PrincipalIsAWSService, aws:PrincipalServiceName, aws:ResourceAccount. Given keys always win.
 */
public final class RequestContext implements ContextLookup {
    private final Map<String, List<String>> given;
    private final Caller caller;
    private static final Set<String> CROSS_SERVICE_KEYS = Set.of(
            "lambda:sourcefunctionarn",
            "ec2:sourceinstancearn",
            "ec2:sourceinstanceprivateipv4",
            "glue:roleassumedby",
            "glue:credentialissuingservice",
            "ssm:sourceinstancearn",
            "codebuild:buildarn",
            "codebuild:projectarn",
            "ecs:taskarn");

    private final String resourceAccount;
    private final String actionService;

    public RequestContext(Map<String, List<String>> given, Caller caller, String resourceAccount) {
        this(given, caller, resourceAccount, "");
    }

    /** actionService: the lower-case service prefix of the action ("" disables filtering). */
    public RequestContext(
            Map<String, List<String>> given, Caller caller, String resourceAccount, String actionService) {
        this.given = given;
        this.caller = caller;
        this.resourceAccount = resourceAccount;
        this.actionService = actionService;
    }

    /** Whether a given key of another service is hidden from this action. */
    private boolean foreign(String key) {
        if (actionService.isEmpty() || actionService.equals("sts")) {
            return false;
        }
        int colon = key.indexOf(':');
        if (colon <= 0 || key.regionMatches(true, 0, "aws:", 0, 4)) {
            return false;
        }
        if (colon == actionService.length() && key.regionMatches(true, 0, actionService, 0, colon)) {
            return false;
        }
        return !CROSS_SERVICE_KEYS.contains(key.toLowerCase(Locale.ROOT));
    }

    /** Given keys this action cannot see (for explanations). */
    public List<String> ignoredKeys() {
        List<String> out = new ArrayList<>();
        for (String k : given.keySet()) {
            if (foreign(k)) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public List<String> get(String key) {
        List<String> v = given.get(key);
        if (v != null) {
            return foreign(key) ? null : v;
        }
        String d = derived(key);
        return d == null ? null : List.of(d);
    }

    private String derived(String key) {
        if (key.length() < 5 || !key.regionMatches(true, 0, "aws:", 0, 4)) {
            return null;
        }
        if (key.equalsIgnoreCase("aws:PrincipalArn")) {
            return caller.principalArn();
        }
        if (key.equalsIgnoreCase("aws:PrincipalAccount")) {
            return caller.account;
        }
        if (key.equalsIgnoreCase("aws:PrincipalType")) {
            return caller.awsPrincipalType();
        }
        if (key.equalsIgnoreCase("aws:username")) {
            return caller.userName;
        }
        if (key.equalsIgnoreCase("aws:userid")) {
            if (caller.kind == Caller.Kind.ACCOUNT) {
                return caller.account;
            }
            if (caller.kind == Caller.Kind.FEDERATED_USER) {
                return caller.account + ":" + caller.federatedName;
            }
            return null; // users and roles have unique ids (AIDA…/AROA…) the request does not carry
        }
        if (key.equalsIgnoreCase("aws:PrincipalIsAWSService")) {
            if (caller.kind == Caller.Kind.SERVICE) {
                return "true";
            }
            return caller.isIam() ? "false" : null;
        }
        if (key.equalsIgnoreCase("aws:PrincipalServiceName")) {
            return caller.serviceName();
        }
        if (key.equalsIgnoreCase("aws:ResourceAccount")) {
            return resourceAccount;
        }
        return null;
    }

    /** The derived keys that were not given, for explanations. */
    public Map<String, List<String>> derivedKeys() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : new String[] {
            "aws:PrincipalArn",
            "aws:PrincipalAccount",
            "aws:PrincipalType",
            "aws:username",
            "aws:userid",
            "aws:PrincipalIsAWSService",
            "aws:PrincipalServiceName",
            "aws:ResourceAccount"
        }) {
            if (!given.containsKey(k)) {
                String d = derived(k);
                if (d != null) {
                    out.put(k, List.of(d));
                }
            }
        }
        return out;
    }
}
