package dev.roleproof.cli.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded, deterministic generator of eval case lines over the Lambda-pattern vocabulary: SQS, DynamoDB streams, S3,
 * lambda:InvokeFunction and sts:AssumeRole; users, roles, role sessions, account roots, service principals and
 * anonymous callers in two accounts; conditions of every family the patterns use; NotAction/NotResource; permissions
 * boundaries, session policies, SCPs and RCPs. The same seed always yields the same cases.
 *
 * <p>iam-simulate derives no context keys, so every case carries the keys AWS would derive (aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalType, aws:username) explicitly; then both sides see the same request. Service
 * keys are drawn from those of the target's service, some of which the action does not support (s3:max-keys on
 * s3:GetObject): both sides must drop exactly those (Service Authorization Reference).
 */
public final class CaseGenerator {
    public static final String A = "111111111111";
    public static final String B = "222222222222";
    private static final String REGION = "us-east-1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SplittableRandom random;
    private int next;

    public CaseGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A generated case: its id and the eval line as a tree (the line is {@code json.toString()}). */
    public record Case(String id, ObjectNode json) {
        public String line() {
            return json.toString();
        }
    }

    public List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(next());
        }
        return cases;
    }

    public static List<String> lines(List<Case> cases) {
        List<String> lines = new ArrayList<>(cases.size());
        for (Case c : cases) {
            lines.add(c.line());
        }
        return lines;
    }

    // ---- the vocabulary -------------------------------------------------------------------------------------------

    private enum PrincipalKind {
        USER,
        ROLE,
        SESSION,
        ROOT,
        SERVICE,
        ANONYMOUS
    }

    private record Caller(PrincipalKind kind, String arn, String account, String roleArn) {
        boolean iam() {
            return kind != PrincipalKind.SERVICE && kind != PrincipalKind.ANONYMOUS;
        }
    }

    private enum Pattern {
        SQS,
        STREAM,
        TABLE,
        S3_OBJECT,
        S3_BUCKET,
        LAMBDA,
        ASSUME_ROLE,
        LIST_STREAMS
    }

    private record Target(Pattern pattern, String action, String resource, String account, String service) {}

    public Case next() {
        String id = "g" + (next++);
        Caller caller = caller();
        Target target = target(caller);
        ObjectNode c = F.objectNode();
        c.put("id", id);
        ObjectNode request = c.putObject("request");
        request.put("principal", caller.arn);
        request.put("action", chance(0.15) ? randomCase(target.action) : target.action);
        request.put("resource", target.resource);
        request.put("resourceAccount", target.account);
        request.set("context", context(caller, target));

        if (caller.iam()) {
            ArrayNode identity = c.putArray("identityPolicies");
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                identity.add(policy(caller, target, false, random.nextInt(1, 4)));
            }
        }
        if (needsResourcePolicy(target) || chance(0.35)) {
            c.set("resourcePolicy", resourcePolicy(caller, target));
        }
        if (caller.iam() && caller.kind != PrincipalKind.ROOT && chance(0.2)) {
            c.set("permissionsBoundary", boundary(caller, target));
        }
        if ((caller.kind == PrincipalKind.SESSION || caller.kind == PrincipalKind.ROLE) && chance(0.2)) {
            c.set("sessionPolicy", boundary(caller, target));
        }
        // SCPs normally go with IAM callers; a few go with service callers (a documented divergence: Divergences).
        if ((caller.iam() && chance(0.25)) || (caller.kind == PrincipalKind.SERVICE && chance(0.08))) {
            c.set("scps", scps(caller, target));
        }
        if (chance(0.15)) {
            c.set("rcps", rcps(caller, target));
        }
        return new Case(id, c);
    }

    private Caller caller() {
        String account = chance(0.7) ? A : B;
        switch (pick(new int[] {22, 6, 40, 4, 20, 8})) {
            case 0: {
                String name = pick("alice", "bob");
                return new Caller(PrincipalKind.USER, "arn:aws:iam::" + account + ":user/" + name, account, null);
            }
            case 1: {
                String role = "arn:aws:iam::" + account + ":role/" + pick("fn-role", "reader-role");
                return new Caller(PrincipalKind.ROLE, role, account, role);
            }
            case 2: {
                String roleName = pick("fn-role", "reader-role");
                return new Caller(
                        PrincipalKind.SESSION,
                        "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + pick("fn", "session-1"),
                        account,
                        "arn:aws:iam::" + account + ":role/" + roleName);
            }
            case 3:
                return new Caller(PrincipalKind.ROOT, "arn:aws:iam::" + account + ":root", account, null);
            case 4:
                return new Caller(
                        PrincipalKind.SERVICE,
                        pick("s3.amazonaws.com", "lambda.amazonaws.com", "sqs.amazonaws.com"),
                        null,
                        null);
            default:
                return new Caller(PrincipalKind.ANONYMOUS, "anonymous", null, null);
        }
    }

    private Target target(Caller caller) {
        String account = caller.account != null && chance(0.65) ? caller.account : (chance(0.5) ? A : B);
        Pattern p = Pattern.values()[pick(new int[] {22, 12, 8, 18, 6, 16, 12, 6})];
        if (caller.kind == PrincipalKind.ANONYMOUS && (p == Pattern.LIST_STREAMS || p == Pattern.ASSUME_ROLE)) {
            p = Pattern.S3_OBJECT;
        }
        switch (p) {
            case SQS:
                return new Target(
                        p,
                        "sqs:"
                                + pick(
                                        "ReceiveMessage",
                                        "DeleteMessage",
                                        "GetQueueAttributes",
                                        "SendMessage",
                                        "ChangeMessageVisibility"),
                        "arn:aws:sqs:" + REGION + ":" + account + ":" + pick("orders", "orders-dlq"),
                        account,
                        "sqs");
            case STREAM:
                return new Target(
                        p,
                        "dynamodb:" + pick("GetRecords", "GetShardIterator", "DescribeStream"),
                        "arn:aws:dynamodb:" + REGION + ":" + account + ":table/" + pick("Orders", "Audit")
                                + "/stream/2026-11-29T00:00:00.000",
                        account,
                        "dynamodb");
            case TABLE:
                return new Target(
                        p,
                        "dynamodb:" + pick("GetItem", "PutItem", "Query"),
                        "arn:aws:dynamodb:" + REGION + ":" + account + ":table/" + pick("Orders", "Audit"),
                        account,
                        "dynamodb");
            case S3_OBJECT:
                return new Target(
                        p,
                        "s3:" + pick("GetObject", "PutObject", "DeleteObject"),
                        "arn:aws:s3:::bucket-" + account + "/"
                                + pick(
                                        "incoming/order.json",
                                        "home/alice/notes.txt",
                                        "home/bob/notes.txt",
                                        "Incoming/order.json"),
                        account,
                        "s3");
            case S3_BUCKET:
                return new Target(p, "s3:ListBucket", "arn:aws:s3:::bucket-" + account, account, "s3");
            case LAMBDA:
                return new Target(
                        p,
                        "lambda:InvokeFunction",
                        "arn:aws:lambda:" + REGION + ":" + account + ":function:"
                                + pick("processor", "processor", "Processor", "reader"),
                        account,
                        "lambda");
            case ASSUME_ROLE:
                return new Target(
                        p,
                        "sts:AssumeRole",
                        "arn:aws:iam::" + account + ":role/" + pick("reader-role", "fn-role"),
                        account,
                        "sts");
            default:
                // A wildcard-only action: only Resource "*" grants it; the resource account is the caller's own.
                String own = caller.account != null ? caller.account : account;
                return new Target(p, "dynamodb:ListStreams", "*", own, "dynamodb");
        }
    }

    private ObjectNode context(Caller caller, Target target) {
        ObjectNode ctx = F.objectNode();
        // What AWS derives from the caller (the oracle derives nothing).
        switch (caller.kind) {
            case USER:
                ctx.put("aws:PrincipalArn", caller.arn);
                ctx.put("aws:PrincipalAccount", caller.account);
                ctx.put("aws:PrincipalType", "User");
                ctx.put("aws:username", caller.arn.substring(caller.arn.lastIndexOf('/') + 1));
                break;
            case ROLE:
            case SESSION:
                ctx.put("aws:PrincipalArn", caller.roleArn);
                ctx.put("aws:PrincipalAccount", caller.account);
                ctx.put("aws:PrincipalType", "AssumedRole");
                break;
            case ROOT:
                ctx.put("aws:PrincipalArn", caller.arn);
                ctx.put("aws:PrincipalAccount", caller.account);
                ctx.put("aws:PrincipalType", "Account");
                break;
            default:
                break;
        }
        if (caller.kind == PrincipalKind.SERVICE) {
            if (chance(0.8)) {
                ctx.put(
                        "aws:SourceArn",
                        pick(
                                "arn:aws:s3:::bucket-" + A,
                                "arn:aws:s3:::bucket-" + B,
                                "arn:aws:sqs:" + REGION + ":" + A + ":orders",
                                "arn:aws:s3:::other-bucket"));
            }
            if (chance(0.7)) {
                ctx.put("aws:SourceAccount", pick(A, B));
            }
        }
        if (caller.iam() && chance(0.3)) {
            ctx.put("aws:PrincipalTag/team", pick("payments", "audit"));
        }
        if (chance(0.35)) {
            ctx.put("aws:SourceIp", pick("10.1.2.3", "192.168.7.9", "203.0.113.20"));
        }
        if (chance(0.4)) {
            ctx.put("aws:SecureTransport", pick("true", "false"));
        }
        if (caller.iam() && chance(0.25)) {
            ctx.put("aws:MultiFactorAuthAge", pick("300", "7200"));
        }
        if (caller.iam() && chance(0.25)) {
            ArrayNode via = ctx.putArray("aws:CalledVia");
            via.add(pick("cloudformation.amazonaws.com", "athena.amazonaws.com"));
            if (chance(0.4)) {
                via.add("dynamodb.amazonaws.com");
            }
        }
        if (target.pattern == Pattern.ASSUME_ROLE && chance(0.6)) {
            ctx.put("sts:ExternalId", pick("ext-123", "wrong"));
        }
        if (chance(0.45)) {
            serviceKey(ctx, target);
        }
        return ctx;
    }

    /** A key of the target's service: one the action supports, or one of the same service that it does not. */
    private void serviceKey(ObjectNode ctx, Target target) {
        switch (target.pattern) {
            case S3_OBJECT:
            case S3_BUCKET:
                switch (random.nextInt(5)) {
                    case 0:
                        ctx.put("s3:prefix", pick("incoming/", "home/alice/", "secret/"));
                        break;
                    case 1:
                        ctx.put("s3:max-keys", pick("5", "500"));
                        break;
                    case 2:
                        ctx.put("s3:ExistingObjectTag/team", pick("payments", "audit"));
                        break;
                    case 3:
                        ctx.put("s3:x-amz-acl", pick("private", "public-read"));
                        break;
                    default:
                        ctx.put("s3:delimiter", "/");
                        break;
                }
                break;
            case TABLE:
            case STREAM:
            case LIST_STREAMS:
                switch (random.nextInt(3)) {
                    case 0: {
                        ArrayNode keys = ctx.putArray("dynamodb:LeadingKeys");
                        keys.add("user-1");
                        if (chance(0.3)) {
                            keys.add("user-2");
                        }
                        break;
                    }
                    case 1:
                        ctx.put("dynamodb:Select", pick("ALL_ATTRIBUTES", "SPECIFIC_ATTRIBUTES"));
                        break;
                    default:
                        ctx.put("dynamodb:ReturnValues", pick("NONE", "ALL_OLD"));
                        break;
                }
                break;
            case LAMBDA:
                if (chance(0.5)) {
                    ctx.put("lambda:FunctionUrlAuthType", pick("NONE", "AWS_IAM"));
                } else {
                    ctx.put("lambda:EventSourceToken", pick("tok-1", "tok-2"));
                }
                break;
            case ASSUME_ROLE:
                if (chance(0.5)) {
                    ctx.put("sts:RoleSessionName", pick("fn", "admin"));
                } else {
                    ctx.put("sts:DurationSeconds", "3600"); // not an STS condition key: dropped
                }
                break;
            default:
                // SQS actions support no sqs: key; another service's key is dropped too.
                ctx.put(pick("sqs:MessageGroupId", "s3:prefix"), "g1");
                break;
        }
    }

    // ---- policies -------------------------------------------------------------------------------------------------

    private boolean needsResourcePolicy(Target t) {
        return t.pattern == Pattern.ASSUME_ROLE || t.pattern == Pattern.LAMBDA && chance(0.6);
    }

    private ObjectNode policy(Caller caller, Target target, boolean resourceBased, int statements) {
        ObjectNode p = F.objectNode();
        boolean oldVersion = chance(0.04);
        if (oldVersion || chance(0.96)) {
            p.put("Version", oldVersion ? "2008-10-17" : "2012-10-17");
        }
        ArrayNode list = p.putArray("Statement");
        for (int i = 0; i < statements; i++) {
            list.add(statement(caller, target, resourceBased, chance(0.8) ? "Allow" : "Deny"));
        }
        return p;
    }

    private ObjectNode statement(Caller caller, Target target, boolean resourceBased, String effect) {
        ObjectNode s = F.objectNode();
        if (chance(0.3)) {
            s.put("Sid", "S" + random.nextInt(100));
        }
        s.put("Effect", effect);
        if (resourceBased) {
            if ("Deny".equals(effect) && chance(0.15)) {
                s.set("NotPrincipal", principalElement(caller, target));
            } else {
                s.set("Principal", principalElement(caller, target));
            }
        }
        if (chance(0.1)) {
            s.set("NotAction", actionElement(target, true));
        } else {
            s.set("Action", actionElement(target, false));
        }
        if (!resourceBased || target.pattern != Pattern.ASSUME_ROLE || chance(0.3)) {
            if (chance(0.08)) {
                s.set("NotResource", resourceElement(target, true));
            } else {
                s.set("Resource", resourceElement(target, false));
            }
        }
        if (chance(0.4)) {
            s.set("Condition", condition(caller, target));
        }
        return s;
    }

    private JsonNode principalElement(Caller caller, Target target) {
        String own = caller.account != null ? caller.account : A;
        String other = A.equals(own) ? B : A;
        String acct = chance(0.8) ? own : other;
        switch (pick(new int[] {12, 14, 14, 12, 14, 8, 18, 6})) {
            case 0:
                return F.textNode("*");
            case 1:
                return awsPrincipal(acct);
            case 2:
                return awsPrincipal("arn:aws:iam::" + acct + ":root");
            case 3:
                return awsPrincipal("arn:aws:iam::" + acct + ":role/" + pick("fn-role", "reader-role"));
            case 4:
                return awsPrincipal(
                        caller.kind == PrincipalKind.SESSION || caller.kind == PrincipalKind.USER
                                ? caller.arn
                                : "arn:aws:sts::" + acct + ":assumed-role/fn-role/fn");
            case 5:
                return awsPrincipal("arn:aws:iam::" + acct + ":user/" + pick("alice", "bob"));
            case 6: {
                ObjectNode n = F.objectNode();
                n.put(
                        "Service",
                        caller.kind == PrincipalKind.SERVICE && chance(0.8)
                                ? caller.arn
                                : pick("s3.amazonaws.com", "lambda.amazonaws.com", "sqs.amazonaws.com"));
                return n;
            }
            default: {
                ObjectNode n = F.objectNode();
                ArrayNode aws = n.putArray("AWS");
                aws.add("arn:aws:iam::" + own + ":root");
                aws.add("arn:aws:iam::" + other + ":role/reader-role");
                if (chance(0.5)) {
                    n.put("Service", "s3.amazonaws.com");
                }
                return n;
            }
        }
    }

    private static ObjectNode awsPrincipal(String value) {
        ObjectNode n = F.objectNode();
        n.put("AWS", value);
        return n;
    }

    private JsonNode actionElement(Target target, boolean negated) {
        String svc = target.service;
        String action = target.action;
        String name = action.substring(action.indexOf(':') + 1);
        List<String> options = new ArrayList<>(List.of(
                action,
                svc + ":*",
                svc + ":" + name.substring(0, 3) + "*",
                "*",
                randomCase(action),
                otherAction(target),
                svc + ":" + name.substring(0, name.length() - 1) + "?"));
        if (negated) {
            options = List.of(svc + ":*", otherAction(target), action, "s3:*");
        }
        if (chance(0.25)) {
            ArrayNode list = F.arrayNode();
            list.add(options.get(random.nextInt(options.size())));
            list.add(otherAction(target));
            return list;
        }
        return F.textNode(options.get(random.nextInt(options.size())));
    }

    private String otherAction(Target target) {
        return pick(
                "sqs:SendMessage",
                "s3:PutObject",
                "dynamodb:Scan",
                "lambda:GetFunction",
                "sts:TagSession",
                "logs:PutLogEvents");
    }

    private JsonNode resourceElement(Target target, boolean negated) {
        String r = target.resource;
        String acct = target.account;
        String other = A.equals(acct) ? B : A;
        List<String> options;
        switch (target.pattern) {
            case SQS:
                options = List.of(
                        r,
                        "arn:aws:sqs:" + REGION + ":" + acct + ":*",
                        "arn:aws:sqs:*:" + acct + ":orders*",
                        "arn:aws:sqs:" + REGION + ":" + other + ":orders");
                break;
            case STREAM:
                options = List.of(
                        r,
                        r.substring(0, r.indexOf("/stream/")) + "/stream/*",
                        "arn:aws:dynamodb:" + REGION + ":" + acct + ":table/Orders",
                        "arn:aws:dynamodb:" + REGION + ":" + acct + ":table/*/stream/*");
                break;
            case TABLE:
                options = List.of(
                        r,
                        "arn:aws:dynamodb:" + REGION + ":" + acct + ":table/*",
                        r + "/stream/*",
                        "arn:aws:dynamodb:" + REGION + ":" + other + ":table/Orders");
                break;
            case S3_OBJECT:
                options = List.of(
                        r,
                        "arn:aws:s3:::bucket-" + acct + "/*",
                        "arn:aws:s3:::bucket-" + acct + "/incoming/*",
                        "arn:aws:s3:::bucket-" + acct + "/home/${aws:username}/*",
                        "arn:aws:s3:::bucket-" + acct,
                        "arn:aws:s3:::bucket-" + other + "/*");
                break;
            case S3_BUCKET:
                options = List.of(r, "arn:aws:s3:::bucket-*", r + "/*", "arn:aws:s3:::bucket-" + other);
                break;
            case LAMBDA:
                options = List.of(
                        r,
                        r + ":*",
                        "arn:aws:lambda:" + REGION + ":" + acct + ":function:*",
                        "arn:aws:lambda:" + REGION + ":" + acct + ":function:processor",
                        "arn:aws:lambda:" + REGION + ":" + other + ":function:processor");
                break;
            case ASSUME_ROLE:
                options = List.of(
                        r,
                        "arn:aws:iam::" + acct + ":role/*",
                        "arn:aws:iam::" + other + ":role/reader-role",
                        "arn:aws:iam::*:role/reader-*");
                break;
            default:
                options = List.of("*", "arn:aws:dynamodb:" + REGION + ":" + acct + ":table/Orders/stream/*");
                break;
        }
        if (!negated && chance(0.15)) {
            return F.textNode("*");
        }
        if (chance(0.2)) {
            ArrayNode list = F.arrayNode();
            list.add(options.get(random.nextInt(options.size())));
            list.add(options.get(random.nextInt(options.size())));
            return list;
        }
        return F.textNode(options.get(random.nextInt(options.size())));
    }

    private ObjectNode condition(Caller caller, Target target) {
        ObjectNode cond = F.objectNode();
        int blocks = chance(0.75) ? 1 : 2;
        for (int i = 0; i < blocks; i++) {
            addCondition(cond, caller, target);
        }
        return cond;
    }

    private void addCondition(ObjectNode cond, Caller caller, Target target) {
        String own = caller.account != null ? caller.account : A;
        if (chance(0.25)) {
            serviceCondition(cond, caller, target);
            return;
        }
        switch (random.nextInt(target.pattern == Pattern.ASSUME_ROLE ? 20 : 19)) {
            case 0:
                put(cond, "StringEquals", "aws:PrincipalAccount", pick(A, B));
                break;
            case 1:
                put(
                        cond,
                        "StringLike",
                        "aws:PrincipalArn",
                        pick(
                                "arn:aws:iam::" + own + ":role/fn-*",
                                "arn:aws:iam::*:user/*",
                                "arn:aws:iam::" + own + ":*"));
                break;
            case 2:
                put(cond, "StringNotEquals", "aws:PrincipalAccount", A, B);
                break;
            case 3:
                put(cond, "ArnLike", "aws:SourceArn", pick("arn:aws:s3:::bucket-*", "arn:aws:sqs:*:" + A + ":*"));
                break;
            case 4:
                put(cond, "ArnEquals", "aws:SourceArn", "arn:aws:s3:::bucket-" + pick(A, B));
                break;
            case 5:
                put(cond, "StringEqualsIfExists", "aws:SourceAccount", pick(A, B));
                break;
            case 6:
                put(cond, "StringEquals", "aws:SourceAccount", pick(A, B));
                break;
            case 7:
                put(
                        cond,
                        "ForAnyValue:StringEquals",
                        "aws:CalledVia",
                        "cloudformation.amazonaws.com",
                        "dynamodb.amazonaws.com");
                break;
            case 8:
                put(cond, "ForAllValues:StringLike", "aws:CalledVia", "cloudformation.*", "dynamodb.*");
                break;
            case 9:
                put(cond, "Null", "aws:SourceArn", pick("true", "false"));
                break;
            case 10:
                put(cond, pick("Bool", "BoolIfExists"), "aws:SecureTransport", pick("true", "false"));
                break;
            case 11:
                put(
                        cond,
                        pick("NumericLessThan", "NumericGreaterThanEquals", "NumericLessThanIfExists"),
                        "aws:MultiFactorAuthAge",
                        pick("3600", "600"));
                break;
            case 12:
                put(
                        cond,
                        pick("IpAddress", "NotIpAddress"),
                        "aws:SourceIp",
                        pick("10.0.0.0/8", "192.168.7.0/24", "203.0.113.20/32"));
                break;
            case 13:
                put(
                        cond,
                        pick("StringEquals", "StringEqualsIgnoreCase", "StringNotEqualsIfExists"),
                        "aws:PrincipalTag/team",
                        pick("payments", "PAYMENTS"));
                break;
            case 14:
                put(cond, "StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/${aws:PrincipalTag/team}-*");
                break;
            case 15:
                put(
                        cond,
                        "ArnNotLike",
                        "aws:PrincipalArn",
                        "arn:aws:iam::" + own + ":role/fn-role",
                        "arn:aws:iam::*:user/alice");
                break;
            case 16:
                put(cond, "StringEquals", "aws:PrincipalType", pick("User", "AssumedRole"));
                break;
            case 17:
                put(cond, "ArnLikeIfExists", "aws:SourceArn", "arn:aws:s3:::bucket-" + pick(A, B));
                break;
            case 18:
                put(cond, "Null", "aws:PrincipalTag/team", pick("true", "false"));
                break;
            default:
                put(cond, pick("StringEquals", "StringNotEquals"), "sts:ExternalId", "ext-123");
                break;
        }
    }

    /** A condition on a key of the target's service (or a negated one on a variable that may have no value). */
    private void serviceCondition(ObjectNode cond, Caller caller, Target target) {
        switch (random.nextInt(9)) {
            case 0:
                put(
                        cond,
                        pick("StringLike", "StringNotLike"),
                        "s3:prefix",
                        pick("incoming/*", "home/${aws:username}/*"));
                break;
            case 1:
                put(cond, pick("NumericLessThanEquals", "NumericGreaterThan"), "s3:max-keys", "100");
                break;
            case 2:
                put(cond, pick("StringEquals", "StringEqualsIfExists"), "s3:ExistingObjectTag/team", "payments");
                break;
            case 3:
                put(cond, pick("StringEquals", "StringNotEquals"), "s3:x-amz-acl", "private");
                break;
            case 4:
                put(
                        cond,
                        pick("ForAllValues:StringEquals", "ForAnyValue:StringLike"),
                        "dynamodb:LeadingKeys",
                        "user-1",
                        "user-3*");
                break;
            case 5:
                put(cond, pick("StringEquals", "StringEqualsIfExists"), "dynamodb:Select", "SPECIFIC_ATTRIBUTES");
                break;
            case 6:
                put(cond, "StringEquals", "lambda:FunctionUrlAuthType", "AWS_IAM");
                break;
            case 7:
                put(
                        cond,
                        pick("StringEquals", "StringLike"),
                        "sts:RoleSessionName",
                        pick("fn", "${aws:PrincipalTag/team}"));
                break;
            default:
                // Now and then a negated operator on a variable that may have no value (untagged callers): AWS
                // documents it as a match; iam-simulate does not (Divergences.UNRESOLVED_VARIABLE_NEGATED_OPERATOR).
                put(
                        cond,
                        "StringNotLike",
                        chance(0.3) ? "aws:PrincipalArn" : "s3:prefix",
                        chance(0.3) ? "arn:aws:iam::*:role/${aws:PrincipalTag/team}-*" : "secret/*");
                break;
        }
    }

    private void put(ObjectNode cond, String operator, String key, String... values) {
        ObjectNode block = cond.has(operator) ? (ObjectNode) cond.get(operator) : cond.putObject(operator);
        if (values.length == 1 && chance(0.7)) {
            block.put(key, values[0]);
        } else {
            ArrayNode list = block.putArray(key);
            for (String v : values) {
                list.add(v);
            }
        }
    }

    /** A resource policy of the kind the target has: queue, bucket, function, table policy or a role's trust policy. */
    private ObjectNode resourcePolicy(Caller caller, Target target) {
        ObjectNode p = policy(caller, target, true, random.nextInt(1, 3));
        if (target.pattern == Pattern.ASSUME_ROLE) {
            // Trust policies grant sts:AssumeRole (and never carry Resource).
            for (JsonNode s : p.get("Statement")) {
                ObjectNode st = (ObjectNode) s;
                st.remove("Resource");
                st.remove("NotResource");
                if (chance(0.7)) {
                    st.remove("NotAction");
                    st.put("Action", chance(0.8) ? "sts:AssumeRole" : "sts:*");
                }
            }
        }
        return p;
    }

    /** A boundary or session policy: mostly broad allows on the target's service, sometimes too narrow. */
    private ObjectNode boundary(Caller caller, Target target) {
        ObjectNode p = F.objectNode();
        p.put("Version", "2012-10-17");
        ArrayNode list = p.putArray("Statement");
        ObjectNode s = list.addObject();
        s.put("Effect", "Allow");
        s.put("Action", pick(target.service + ":*", target.action, otherAction(target), "*"));
        s.put("Resource", chance(0.8) ? "*" : target.resource);
        if (chance(0.2)) {
            list.add(statement(caller, target, false, chance(0.5) ? "Allow" : "Deny"));
        }
        return p;
    }

    private ArrayNode scps(Caller caller, Target target) {
        ArrayNode levels = F.arrayNode();
        int n = random.nextInt(1, 3);
        for (int i = 0; i < n; i++) {
            ArrayNode level = levels.addArray();
            if (chance(0.8)) {
                level.add(fullAccess(false));
            } else {
                ObjectNode p = F.objectNode();
                p.put("Version", "2012-10-17");
                ObjectNode s = p.putArray("Statement").addObject();
                s.put("Effect", "Allow");
                ArrayNode actions = s.putArray("Action");
                actions.add(pick("sqs:*", "s3:*", "dynamodb:*", "lambda:*", "sts:*"));
                actions.add(pick("sqs:*", "s3:*", "dynamodb:*", "lambda:*", "sts:*"));
                s.put("Resource", "*");
                level.add(p);
            }
            if (chance(0.4)) {
                ObjectNode p = F.objectNode();
                p.put("Version", "2012-10-17");
                ObjectNode s = p.putArray("Statement").addObject();
                s.put("Effect", "Deny");
                s.set("Action", actionElement(target, false));
                s.put("Resource", "*");
                if (chance(0.6)) {
                    s.set("Condition", condition(caller, target));
                }
                level.add(p);
            }
        }
        return levels;
    }

    /** RCPs: AWS attaches RCPFullAWSAccess at every level; custom RCPs deny (data perimeters). */
    private ArrayNode rcps(Caller caller, Target target) {
        ArrayNode levels = F.arrayNode();
        ArrayNode level = levels.addArray();
        level.add(fullAccess(true));
        ObjectNode p = F.objectNode();
        p.put("Version", "2012-10-17");
        ObjectNode s = p.putArray("Statement").addObject();
        s.put("Effect", "Deny");
        s.put("Principal", "*");
        s.put("Action", pick(target.service + ":*", target.action, "s3:*", "sqs:*", "sts:AssumeRole"));
        s.put("Resource", "*");
        ObjectNode cond = s.putObject("Condition");
        switch (random.nextInt(3)) {
            case 0:
                cond.putObject("StringNotEqualsIfExists").put("aws:PrincipalAccount", A);
                break;
            case 1:
                cond.putObject("BoolIfExists").put("aws:SecureTransport", "false");
                break;
            default:
                cond.putObject("StringNotEqualsIfExists").put("aws:SourceAccount", A);
                cond.putObject("Null").put("aws:SourceAccount", "false");
                break;
        }
        level.add(p);
        return levels;
    }

    private static ObjectNode fullAccess(boolean rcp) {
        ObjectNode p = F.objectNode();
        p.put("Version", "2012-10-17");
        ObjectNode s = p.putArray("Statement").addObject();
        s.put("Effect", "Allow");
        if (rcp) {
            s.put("Principal", "*");
        }
        s.put("Action", "*");
        s.put("Resource", "*");
        return p;
    }

    // ---- randomness -----------------------------------------------------------------------------------------------

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private int pick(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private String randomCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            sb.append(random.nextBoolean() ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
        }
        return sb.toString().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT)) ? sb.toString() : s;
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
