package dev.roleproof.local.enforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S3 REST, path-style (/bucket/key): method + subresource → IAM action (Service Authorization Reference, "Actions
 * defined by Amazon S3": several APIs share an action, e.g. HeadObject is s3:GetObject, HeadBucket s3:ListBucket,
 * multipart uploads s3:PutObject, DeleteBucketTagging s3:PutBucketTagging).
 *
 * <p>Bucket ARNs carry no account: the resource account is taken to be the caller's; a PolicySource that knows the
 * bucket's owner may replace it in the request it returns.
 */
final class S3Mapper {
    private S3Mapper() {}

    private static final Map<String, String> BUCKET_GET = Map.ofEntries(
            Map.entry("location", "GetBucketLocation"),
            Map.entry("policy", "GetBucketPolicy"),
            Map.entry("policyStatus", "GetBucketPolicyStatus"),
            Map.entry("acl", "GetBucketAcl"),
            Map.entry("tagging", "GetBucketTagging"),
            Map.entry("notification", "GetBucketNotification"),
            Map.entry("versioning", "GetBucketVersioning"),
            Map.entry("versions", "ListBucketVersions"),
            Map.entry("uploads", "ListBucketMultipartUploads"),
            Map.entry("cors", "GetBucketCORS"),
            Map.entry("encryption", "GetEncryptionConfiguration"),
            Map.entry("lifecycle", "GetLifecycleConfiguration"),
            Map.entry("website", "GetBucketWebsite"),
            Map.entry("logging", "GetBucketLogging"),
            Map.entry("ownershipControls", "GetBucketOwnershipControls"),
            Map.entry("publicAccessBlock", "GetBucketPublicAccessBlock"),
            Map.entry("object-lock", "GetBucketObjectLockConfiguration"),
            Map.entry("replication", "GetReplicationConfiguration"),
            Map.entry("accelerate", "GetAccelerateConfiguration"),
            Map.entry("requestPayment", "GetBucketRequestPayment"));
    private static final Map<String, String> BUCKET_PUT = Map.ofEntries(
            Map.entry("policy", "PutBucketPolicy"),
            Map.entry("acl", "PutBucketAcl"),
            Map.entry("tagging", "PutBucketTagging"),
            Map.entry("notification", "PutBucketNotification"),
            Map.entry("versioning", "PutBucketVersioning"),
            Map.entry("cors", "PutBucketCORS"),
            Map.entry("encryption", "PutEncryptionConfiguration"),
            Map.entry("lifecycle", "PutLifecycleConfiguration"),
            Map.entry("website", "PutBucketWebsite"),
            Map.entry("logging", "PutBucketLogging"),
            Map.entry("ownershipControls", "PutBucketOwnershipControls"),
            Map.entry("publicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("object-lock", "PutBucketObjectLockConfiguration"),
            Map.entry("replication", "PutReplicationConfiguration"),
            Map.entry("accelerate", "PutAccelerateConfiguration"),
            Map.entry("requestPayment", "PutBucketRequestPayment"));
    private static final Map<String, String> BUCKET_DELETE = Map.ofEntries(
            Map.entry("policy", "DeleteBucketPolicy"),
            Map.entry("tagging", "PutBucketTagging"),
            Map.entry("cors", "PutBucketCORS"),
            Map.entry("encryption", "PutEncryptionConfiguration"),
            Map.entry("lifecycle", "PutLifecycleConfiguration"),
            Map.entry("website", "DeleteBucketWebsite"),
            Map.entry("ownershipControls", "PutBucketOwnershipControls"),
            Map.entry("publicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("replication", "PutReplicationConfiguration"));

    static Mapping map(HttpCall call, String callerAccount) {
        String path = call.path.startsWith("/") ? call.path.substring(1) : call.path;
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        String method = call.method;
        if (bucket.isEmpty()) {
            if (method.equals("GET")) {
                return Mapping.of(Protocol.S3, "ListBuckets", IamCall.of("s3:ListAllMyBuckets", "*"));
            }
            return Mapping.unmapped(Protocol.S3, method + " /", "S3 " + method + " on the service root");
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        if (key.isEmpty()) {
            return bucket(call, method, bucket, bucketArn, callerAccount);
        }
        String objectArn = bucketArn + "/" + key;
        boolean version = call.hasQuery("versionId");
        String action;
        switch (method) {
            case "GET":
                action = call.hasQuery("tagging")
                        ? (version ? "GetObjectVersionTagging" : "GetObjectTagging")
                        : call.hasQuery("acl")
                                ? (version ? "GetObjectVersionAcl" : "GetObjectAcl")
                                : call.hasQuery("attributes")
                                        ? (version ? "GetObjectVersionAttributes" : "GetObjectAttributes")
                                        : call.hasQuery("retention")
                                                ? "GetObjectRetention"
                                                : call.hasQuery("legal-hold")
                                                        ? "GetObjectLegalHold"
                                                        : call.hasQuery("uploadId")
                                                                ? "ListMultipartUploadParts"
                                                                : call.hasQuery("torrent")
                                                                        ? "GetObjectTorrent"
                                                                        : version ? "GetObjectVersion" : "GetObject";
                break;
            case "HEAD":
                action = version ? "GetObjectVersion" : "GetObject";
                break;
            case "PUT": {
                if (call.hasQuery("tagging")) {
                    action = version ? "PutObjectVersionTagging" : "PutObjectTagging";
                } else if (call.hasQuery("acl")) {
                    action = version ? "PutObjectVersionAcl" : "PutObjectAcl";
                } else if (call.hasQuery("retention")) {
                    action = "PutObjectRetention";
                } else if (call.hasQuery("legal-hold")) {
                    action = "PutObjectLegalHold";
                } else {
                    action = "PutObject";
                    String copySource = call.header("x-amz-copy-source");
                    if (copySource != null) {
                        // CopyObject / UploadPartCopy read the source and write the target: both must be allowed.
                        return copy(call, copySource, objectArn, callerAccount);
                    }
                }
                break;
            }
            case "DELETE":
                action = call.hasQuery("tagging")
                        ? (version ? "DeleteObjectVersionTagging" : "DeleteObjectTagging")
                        : call.hasQuery("uploadId")
                                ? "AbortMultipartUpload"
                                : version ? "DeleteObjectVersion" : "DeleteObject";
                break;
            case "POST":
                action = call.hasQuery("restore")
                        ? "RestoreObject"
                        : call.hasQuery("select")
                                ? "GetObject"
                                : "PutObject"; // CreateMultipartUpload (?uploads) and CompleteMultipartUpload
                // (?uploadId)
                break;
            default:
                return Mapping.unmapped(Protocol.S3, method, "S3 " + method + " on an object");
        }
        IamCall iam = IamCall.of("s3:" + action, objectArn)
                .inAccount(callerAccount)
                .with("s3:versionid", call.queryParam("versionId"));
        if (action.equals("PutObject")) {
            iam = iam.with("s3:x-amz-acl", call.header("x-amz-acl"))
                    .with("s3:x-amz-server-side-encryption", call.header("x-amz-server-side-encryption"))
                    .with(
                            "s3:x-amz-server-side-encryption-aws-kms-key-id",
                            call.header("x-amz-server-side-encryption-aws-kms-key-id"))
                    .with("s3:x-amz-storage-class", call.header("x-amz-storage-class"));
        }
        return Mapping.of(Protocol.S3, operation(method, action), common(iam, call, callerAccount));
    }

    private static Mapping bucket(HttpCall call, String method, String bucket, String bucketArn, String account) {
        String action = null;
        switch (method) {
            case "GET":
                action = subresource(call, BUCKET_GET);
                if (action == null) {
                    IamCall list = IamCall.of("s3:ListBucket", bucketArn)
                            .inAccount(account)
                            .with("s3:prefix", call.queryParam("prefix"))
                            .with("s3:delimiter", call.queryParam("delimiter"))
                            .with("s3:max-keys", call.queryParam("max-keys"));
                    return Mapping.of(Protocol.S3, "ListObjects", common(list, call, account));
                }
                break;
            case "HEAD":
                action = "ListBucket"; // HeadBucket
                break;
            case "PUT":
                action = subresource(call, BUCKET_PUT);
                if (action == null) {
                    action = "CreateBucket";
                }
                break;
            case "DELETE":
                action = subresource(call, BUCKET_DELETE);
                if (action == null) {
                    action = "DeleteBucket";
                }
                break;
            case "POST":
                if (call.hasQuery("delete")) {
                    return deleteObjects(call, bucketArn, account);
                }
                return Mapping.unmapped(Protocol.S3, "POST", "S3 POST on a bucket without ?delete");
            default:
                return Mapping.unmapped(Protocol.S3, method, "S3 " + method + " on a bucket");
        }
        return Mapping.of(
                Protocol.S3,
                operation(method, action),
                common(IamCall.of("s3:" + action, bucketArn).inAccount(account), call, account));
    }

    /** DeleteObjects is authorised per key as s3:DeleteObject (s3:DeleteObjectVersion with a version id). */
    private static Mapping deleteObjects(HttpCall call, String bucketArn, String account) {
        if (call.body == null) {
            return Mapping.unmapped(Protocol.S3, "DeleteObjects", "DeleteObjects body was not read");
        }
        var document = RequestMapper.xml(call.body);
        var objects = document.getElementsByTagName("Object");
        List<IamCall> calls = new ArrayList<>();
        for (int i = 0; i < objects.getLength(); i++) {
            var object = (org.w3c.dom.Element) objects.item(i);
            var keys = object.getElementsByTagName("Key");
            if (keys.getLength() == 0) {
                continue;
            }
            boolean version = object.getElementsByTagName("VersionId").getLength() > 0;
            calls.add(common(
                    IamCall.of(
                                    version ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
                                    bucketArn + "/" + keys.item(0).getTextContent())
                            .inAccount(account),
                    call,
                    account));
        }
        if (calls.isEmpty()) {
            return Mapping.unmapped(Protocol.S3, "DeleteObjects", "DeleteObjects without keys");
        }
        return Mapping.of(Protocol.S3, "DeleteObjects", List.copyOf(new java.util.LinkedHashSet<>(calls)));
    }

    private static Mapping copy(HttpCall call, String copySource, String targetArn, String account) {
        String source = RequestMapper.decodePercent(copySource);
        String sourceVersion = null;
        int q = source.indexOf("?versionId=");
        if (q >= 0) {
            sourceVersion = source.substring(q + "?versionId=".length());
            source = source.substring(0, q);
        }
        source = source.startsWith("/") ? source.substring(1) : source;
        IamCall read = common(
                IamCall.of(sourceVersion == null ? "s3:GetObject" : "s3:GetObjectVersion", "arn:aws:s3:::" + source)
                        .inAccount(account),
                call,
                account);
        IamCall write = common(
                IamCall.of("s3:PutObject", targetArn)
                        .inAccount(account)
                        .with("s3:x-amz-copy-source", copySource)
                        .with("s3:x-amz-metadata-directive", call.header("x-amz-metadata-directive")),
                call,
                account);
        return Mapping.of(
                Protocol.S3, call.hasQuery("partNumber") ? "UploadPartCopy" : "CopyObject", List.of(read, write));
    }

    private static IamCall common(IamCall iam, HttpCall call, String account) {
        // s3:ResourceAccount: the bucket owner, taken to be the caller's account (see the class comment).
        boolean presigned = call.hasQuery("X-Amz-Credential");
        return iam.with("s3:authType", presigned ? "REST-QUERY-STRING" : "REST-HEADER")
                .with("s3:signatureversion", "AWS4-HMAC-SHA256")
                .with("s3:ResourceAccount", account);
    }

    private static String subresource(HttpCall call, Map<String, String> actions) {
        for (Map.Entry<String, String> e : actions.entrySet()) {
            if (call.hasQuery(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String operation(String method, String action) {
        if (method.equals("HEAD")) {
            return action.equals("ListBucket") ? "HeadBucket" : "HeadObject";
        }
        return action;
    }
}
