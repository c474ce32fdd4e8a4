package dev.roleproof.engine.internal;

import dev.roleproof.engine.vocabulary.IamVocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request's context keys, then the global keys AWS derives from the request (AWS global condition context keys):
 * aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username (users), aws:userid (root, federated
 * users), aws:PrincipalIsAWSService, aws:PrincipalServiceName, aws:ResourceAccount. Given keys always win.
 */
public final class RequestContext implements ContextLookup {
    private final Map<String, List<String>> given;
    private final Caller caller;
    /** Used when the data does not know the action: keys of these services travel with any request. */
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
    private final ActionFacts facts;
    private final IamVocabulary vocabulary;
    private final Set<String> hidden; // given keys this request does not carry

    public RequestContext(Map<String, List<String>> given, Caller caller, String resourceAccount) {
        this(given, caller, resourceAccount, "", null, null);
    }

    /**
     * actionService: the lower-case service prefix of the action ("" disables filtering); facts: what the Service
     * Authorization Reference says about the action (null: filter by service prefix only).
     */
    public RequestContext(
            Map<String, List<String>> given,
            Caller caller,
            String resourceAccount,
            String actionService,
            ActionFacts facts,
            IamVocabulary vocabulary) {
        this.given = given;
        this.caller = caller;
        this.resourceAccount = resourceAccount;
        this.actionService = actionService;
        this.facts = facts;
        this.vocabulary = vocabulary;
        Set<String> h = null;
        for (String k : given.keySet()) {
            if (notCarried(k)) {
                if (h == null) {
                    h = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                }
                h.add(k);
            }
        }
        this.hidden = h == null ? Set.of() : h;
    }

    /**
     * Whether a given key is one AWS would not put in this request. Global keys (aws:*, and the few of other services
     * that travel with every request, such as lambda:SourceFunctionArn) always are; other keys only when the action
     * or its resource type supports them (Service Authorization Reference). For an action the data does not know,
     * only keys of other services are left out. Keys of identity providers (accounts.google.com:aud,
     * token.actions.githubusercontent.com:sub, saml:sub...) go with STS actions ("Available keys for AWS OIDC
     * federation", "Available keys for SAML-based federation"), whose listed keys do not cover every claim.
     */
    private boolean notCarried(String key) {
        if (actionService.isEmpty()) {
            return false;
        }
        int colon = key.indexOf(':');
        if (colon <= 0 || key.regionMatches(true, 0, "aws:", 0, 4)) {
            return false;
        }
        if (facts == null || !facts.known()) {
            if (actionService.equals("sts")) {
                return false;
            }
            if (colon == actionService.length() && key.regionMatches(true, 0, actionService, 0, colon)) {
                return false;
            }
            return !CROSS_SERVICE_KEYS.contains(key.toLowerCase(Locale.ROOT));
        }
        if (vocabulary.isGlobalConditionKey(key) || facts.supportsKey(key)) {
            return false;
        }
        return !(actionService.equals("sts") && !vocabulary.isServicePrefix(key.substring(0, colon)));
    }

    /** Given keys this action cannot see (for explanations). */
    public List<String> ignoredKeys() {
        return new ArrayList<>(hidden);
    }

    @Override
    public boolean hidden(String key) {
        return !hidden.isEmpty() && hidden.contains(key);
    }

    @Override
    public List<String> get(String key) {
        List<String> v = given.get(key);
        if (v != null) {
            return hidden(key) ? null : v;
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
