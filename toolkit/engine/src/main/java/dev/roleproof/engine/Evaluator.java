package dev.roleproof.engine;

import dev.roleproof.engine.explain.PolicyTypeAnalysis;
import dev.roleproof.engine.explain.Reason;
import dev.roleproof.engine.internal.ActionFacts;
import dev.roleproof.engine.internal.Analyzer;
import dev.roleproof.engine.internal.Caller;
import dev.roleproof.engine.internal.PrincipalMatcher;
import dev.roleproof.engine.internal.RequestContext;
import dev.roleproof.engine.vocabulary.IamVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides a request as AWS documents it ("Policy evaluation logic", "Cross-account policy evaluation logic"):
 * explicit deny anywhere wins; then RCPs of the resource's account and SCPs of the principal's account must allow at
 * every level; then a resource-based policy, identity-based policies, the permissions boundary and the session policy
 * combine as described on {@link #evaluate(AuthorizationInput, boolean)}. Stateless and thread-safe.
 */
public final class Evaluator {
    /**
     * Services whose resources RCPs govern ("Resource control policies (RCPs)", supported AWS services).
     */
    static final Set<String> RCP_SERVICES =
            Set.of("s3", "sts", "sqs", "kms", "secretsmanager", "dynamodb", "ecr", "logs", "cognito-identity", "aoss");

    private static final Set<String> TRUST_ACTIONS = Set.of(
            "sts:assumerole",
            "sts:assumerolewithsaml",
            "sts:assumerolewithwebidentity",
            "sts:tagsession",
            "sts:setsourceidentity",
            "sts:setcontext");

    private final IamVocabulary vocabulary;

    private Evaluator(IamVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** An evaluator with the bundled Service Authorization Reference ({@link IamVocabulary#get()}). */
    public static Evaluator create() {
        return new Evaluator(IamVocabulary.get());
    }

    /** Evaluates with an explanation. */
    public Decision evaluate(AuthorizationInput input) {
        return evaluate(input, true);
    }

    /**
     * Evaluates a request.
     *
     * <ol>
     *   <li>A matching Deny in any policy type that applies: ExplicitlyDenied.</li>
     *   <li>RCPs (resource's account, supported services) only deny: RCPFullAWSAccess allows at every level.</li>
     *   <li>SCPs (IAM principals only): every level must allow.</li>
     *   <li>Service principals, anonymous and web-identity/SAML callers: only the resource-based policy can allow
     *       (identity, boundary and session policies given for them can only deny or limit).</li>
     *   <li>Role trust policies (sts:AssumeRole*, sts:TagSession…) and KMS key policies must always allow.</li>
     *   <li>Cross-account: the resource-based policy (any principal form, an account included) and the caller's
     *       identity side (identity, boundary, session) must both allow.</li>
     *   <li>Same account: a resource-based grant to the session, user or "*" allows alone; a grant to the role ARN
     *       replaces the identity policies but boundary and session policy still limit it; a grant to the account
     *       only delegates. Otherwise identity policies must allow, then the boundary, then the session policy.</li>
     * </ol>
     *
     * @throws IllegalArgumentException when the request principal is not a principal AWS knows
     */
    public Decision evaluate(AuthorizationInput input, boolean explain) {
        Request req = input.request();
        Caller caller = Caller.parse(req.principal(), req.context().get("aws:PrincipalArn"));
        String resourceAccount = resourceAccount(req, caller);
        String lowerAction = req.action().toLowerCase(Locale.ROOT);
        ActionFacts facts = ActionFacts.of(vocabulary, lowerAction, req.resource());
        RequestContext ctx = new RequestContext(
                req.context(),
                caller,
                resourceAccount,
                lowerAction.indexOf(':') > 0 ? lowerAction.substring(0, lowerAction.indexOf(':')) : "",
                facts,
                vocabulary);
        Analyzer an = new Analyzer(lowerAction, facts, caller, ctx, explain, input.permissionsBoundary() != null);

        boolean iam = caller.isIam();
        // "All requests are implicitly denied with the exception of the AWS account root user, which has full access":
        // the root user's identity side always allows (SCPs, RCPs, resource policies and explicit denies still apply).
        boolean root = caller.kind == Caller.Kind.ACCOUNT;
        boolean service = caller.kind == Caller.Kind.SERVICE;
        boolean crossAccount = iam && resourceAccount != null && !resourceAccount.equals(caller.account);
        String actionService = lowerAction.indexOf(':') > 0 ? lowerAction.substring(0, lowerAction.indexOf(':')) : "";

        Analyzer.TypeResult rcp = null;
        Reason rcpNote = null;
        if (!input.rcps().isEmpty()) {
            rcp = an.analyzeLevels(PolicyType.RCP, input.rcps(), true);
            // RCPs do apply to service principals (AWS's data-perimeter RCPs exempt them with
            // aws:PrincipalIsAWSService),
            // but not to service-linked roles.
            rcpNote = !RCP_SERVICES.contains(actionService)
                    ? Reason.SERVICE_NOT_SUPPORTED
                    : caller.isServiceLinkedRole() ? Reason.SERVICE_LINKED_ROLE : null;
        }
        Analyzer.TypeResult scp = null;
        Reason scpNote = null;
        if (!input.scps().isEmpty()) {
            scp = an.analyzeLevels(PolicyType.SCP, input.scps(), false);
            scpNote = service
                    ? Reason.SERVICE_PRINCIPAL
                    : !iam ? Reason.NOT_APPLICABLE : caller.isServiceLinkedRole() ? Reason.SERVICE_LINKED_ROLE : null;
        }
        Analyzer.TypeResult res = input.resourcePolicy() == null
                ? null
                : an.analyze(PolicyType.RESOURCE, List.of(input.resourcePolicy()), true);
        Analyzer.TypeResult id = an.analyze(PolicyType.IDENTITY, input.identityPolicies(), false);
        Reason idNote = iam ? null : service ? Reason.SERVICE_PRINCIPAL : Reason.NOT_APPLICABLE;
        Analyzer.TypeResult pb = input.permissionsBoundary() == null
                ? null
                : an.analyze(PolicyType.PERMISSIONS_BOUNDARY, List.of(input.permissionsBoundary()), false);
        Analyzer.TypeResult sp = input.sessionPolicy() == null
                ? null
                : an.analyze(PolicyType.SESSION, List.of(input.sessionPolicy()), false);

        Outcome outcome = Outcome.ALLOWED;
        PolicyType deniedBy = null;
        Reason deniedReason = null;
        Reason resNote = null;

        // 1. Explicit deny in any policy type that applies (order of AWS's flow chart, for the message).
        Analyzer.TypeResult[] order = {rcp, scp, res, id, pb, sp};
        // Identity, boundary and session policies given for a service principal or anonymous caller (which AWS never
        // has) may still deny; they never grant.
        boolean[] applies = {
            rcp != null && rcpNote == null, scp != null && scpNote == null, res != null, true, pb != null, sp != null
        };
        for (int i = 0; i < order.length; i++) {
            if (order[i] != null && applies[i] && order[i].deny) {
                outcome = Outcome.EXPLICITLY_DENIED;
                deniedBy = order[i].type;
                break;
            }
        }
        if (outcome == Outcome.ALLOWED) {
            boolean resAllows = res != null && res.allow;
            PrincipalMatcher.Match grant = res == null ? PrincipalMatcher.Match.NONE : res.allowMatch;
            boolean resourceRequired = TRUST_ACTIONS.contains(lowerAction) || actionService.equals("kms");
            // RCPs only deny: RCPFullAWSAccess is attached at every level and cannot be detached (RCP syntax), so no
            // level can lack an Allow.
            if (scp != null && scpNote == null && !scp.allLevelsAllow) {
                outcome = Outcome.IMPLICITLY_DENIED;
                deniedBy = PolicyType.SCP;
            } else if (!iam) {
                if (!resAllows) {
                    outcome = Outcome.IMPLICITLY_DENIED;
                    deniedBy = PolicyType.RESOURCE;
                } else {
                    deniedBy = identitySide(true, pb, sp);
                    if (deniedBy != null) {
                        outcome = Outcome.IMPLICITLY_DENIED;
                    }
                }
            } else if (crossAccount || resourceRequired) {
                boolean identityOk =
                        id.allow || root || !crossAccount && grant.ordinal() >= PrincipalMatcher.Match.ROLE.ordinal();
                boolean bypass = !crossAccount && grant.direct();
                if (!resAllows) {
                    outcome = Outcome.IMPLICITLY_DENIED;
                    deniedBy = PolicyType.RESOURCE;
                    deniedReason = crossAccount ? Reason.CROSS_ACCOUNT : Reason.RESOURCE_POLICY_REQUIRED;
                } else if (!bypass) {
                    deniedBy = identitySide(identityOk, pb, sp);
                    if (deniedBy != null) {
                        outcome = Outcome.IMPLICITLY_DENIED;
                        deniedReason = crossAccount ? Reason.CROSS_ACCOUNT : null;
                    }
                }
                if (outcome == Outcome.ALLOWED && bypass) {
                    resNote = Reason.RESOURCE_POLICY_GRANT;
                }
            } else {
                if (resAllows && grant.direct()) {
                    resNote = Reason.RESOURCE_POLICY_GRANT;
                } else {
                    boolean identityOk = id.allow || root || resAllows && grant == PrincipalMatcher.Match.ROLE;
                    deniedBy = identitySide(identityOk, pb, sp);
                    if (deniedBy != null) {
                        outcome = Outcome.IMPLICITLY_DENIED;
                    }
                }
            }
        }

        String message = outcome == Outcome.ALLOWED ? null : message(caller, req, outcome, deniedBy);
        Explanation explanation = null;
        if (explain) {
            List<PolicyTypeAnalysis> analyses = new ArrayList<>();
            if (rcp != null) {
                analyses.add(rcp.toAnalysis(
                        rcp.deny ? Outcome.EXPLICITLY_DENIED : Outcome.ALLOWED, rcpNote == null, rcpNote));
            }
            if (scp != null) {
                analyses.add(scp.toAnalysis(scp.ownOutcome(true), scpNote == null, scpNote));
            }
            if (res != null) {
                analyses.add(res.toAnalysis(res.ownOutcome(false), true, resNote));
            }
            analyses.add(id.toAnalysis(
                    root ? Outcome.ALLOWED : id.ownOutcome(false), iam, root ? Reason.ROOT_USER : idNote));
            if (pb != null) {
                analyses.add(pb.toAnalysis(pb.ownOutcome(false), true, iam ? null : idNote));
            }
            if (sp != null) {
                analyses.add(sp.toAnalysis(sp.ownOutcome(false), true, iam ? null : idNote));
            }
            explanation = new Explanation(
                    principalTypeName(caller),
                    caller.account,
                    resourceAccount,
                    crossAccount,
                    ctx.derivedKeys(),
                    ctx.ignoredKeys(),
                    List.copyOf(analyses),
                    deniedBy,
                    deniedReason,
                    facts.note(),
                    facts.typeNames());
        }
        return new Decision(outcome, message, explanation, deniedBy);
    }

    /** The first of identity, boundary, session that does not allow; null when all do. */
    private static PolicyType identitySide(boolean identityOk, Analyzer.TypeResult pb, Analyzer.TypeResult sp) {
        if (!identityOk) {
            return PolicyType.IDENTITY;
        }
        if (pb != null && !pb.allow) {
            return PolicyType.PERMISSIONS_BOUNDARY;
        }
        if (sp != null && !sp.allow) {
            return PolicyType.SESSION;
        }
        return null;
    }

    /** The resource's account: as given, else from the ARN, else (an S3 bucket ARN) the principal's. */
    static String resourceAccount(Request req, Caller caller) {
        if (req.resourceAccount() != null && !req.resourceAccount().isEmpty()) {
            return req.resourceAccount();
        }
        String r = req.resource();
        if (r.startsWith("arn:")) {
            int c1 = r.indexOf(':', 4);
            int c2 = c1 < 0 ? -1 : r.indexOf(':', c1 + 1);
            int c3 = c2 < 0 ? -1 : r.indexOf(':', c2 + 1);
            int c4 = c3 < 0 ? -1 : r.indexOf(':', c3 + 1);
            if (c4 > c3 + 1) {
                String acct = r.substring(c3 + 1, c4);
                if (!acct.equals("aws")) { // AWS managed policy ARNs carry "aws"
                    return acct;
                }
            }
        }
        return caller.account;
    }

    private static String principalTypeName(Caller c) {
        switch (c.kind) {
            case SERVICE:
                return "AWSService";
            case FEDERATED:
                return "Federated";
            case ROLE:
                return "Role";
            default:
                return c.awsPrincipalType();
        }
    }

    /** AWS's access-denied wording ("Troubleshoot access denied error messages"). */
    static String message(Caller caller, Request req, Outcome outcome, PolicyType by) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("User: ")
                .append(caller.display())
                .append(" is not authorized to perform: ")
                .append(req.action());
        if (!req.resource().equals("*")) {
            sb.append(" on resource: ").append(req.resource());
        }
        if (by == null) {
            return sb.toString();
        }
        if (outcome == Outcome.EXPLICITLY_DENIED) {
            sb.append(" with an explicit deny in ").append(by.withArticle());
        } else {
            sb.append(" because no ")
                    .append(by.phrase())
                    .append(" allows the ")
                    .append(req.action())
                    .append(" action");
        }
        return sb.toString();
    }
}
