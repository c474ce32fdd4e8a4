package dev.roleproof.local.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Maps an HTTP request to the IAM actions, resource ARNs and context keys AWS authorises it with, per service and
 * protocol (action names and ARN formats from the Service Authorization Reference). Hand-written because no library
 * maps wire requests to IAM actions; the SDK's models only name operations.
 */
final class RequestMapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQS_TARGET = "AmazonSQS.";
    private static final String DYNAMODB_TARGET = "DynamoDB_20120810.";
    private static final String STREAMS_TARGET = "DynamoDBStreams_20120810.";

    private static final java.util.regex.Pattern EQUALS =
            java.util.regex.Pattern.compile("(#?[A-Za-z0-9_.\\-]+)\\s*=\\s*(:[A-Za-z0-9_]+)");

    private final StreamIterators iterators;
    private final KeySchemas keySchemas;

    RequestMapper(StreamIterators iterators) {
        this(iterators, KeySchemas.NONE);
    }

    RequestMapper(StreamIterators iterators, KeySchemas keySchemas) {
        this.iterators = iterators;
        this.keySchemas = keySchemas;
    }

    /**
     * @param callerAccount the caller's account: where names without an account (table names, queue names, buckets)
     *     are looked up, as AWS does
     */
    Mapping map(HttpCall call, SigV4Credential credential, String callerAccount) {
        String region = credential.region();
        String target = call.header("X-Amz-Target");
        String service = credential.service();
        try {
            if (target != null && target.startsWith(SQS_TARGET)) {
                return sqs(
                        Protocol.SQS_JSON,
                        target.substring(SQS_TARGET.length()),
                        json(call),
                        call,
                        region,
                        callerAccount);
            }
            if (target != null && target.startsWith(DYNAMODB_TARGET)) {
                return dynamodb(target.substring(DYNAMODB_TARGET.length()), json(call), region, callerAccount);
            }
            if (target != null && target.startsWith(STREAMS_TARGET)) {
                return streams(target.substring(STREAMS_TARGET.length()), json(call));
            }
            if ("s3".equals(service)) {
                return S3Mapper.map(call, callerAccount);
            }
            if (target != null) {
                // Another AWS JSON service: its X-Amz-Target names the operation; the resource is not known here.
                String op = target.substring(target.indexOf('.') + 1);
                return Mapping.of(Protocol.JSON, op, IamCall.of(service + ":" + op, "*"));
            }
            String action = call.formParam("Action");
            if ("sqs".equals(service)) {
                if (action == null) {
                    return Mapping.unmapped(Protocol.SQS_QUERY, "?", "an SQS request without X-Amz-Target or Action");
                }
                return sqs(Protocol.SQS_QUERY, action, null, call, region, callerAccount);
            }
            if ("sts".equals(service)) {
                return sts(action == null ? "?" : action, call);
            }
            if (action != null) {
                return Mapping.of(Protocol.QUERY, action, IamCall.of(service + ":" + action, "*"));
            }
            return Mapping.unmapped(
                    Protocol.REST,
                    call.method + " " + call.path,
                    "RoleProof does not map " + service + " REST requests to IAM actions");
        } catch (BadRequest e) {
            Protocol protocol = target == null ? Protocol.QUERY : Protocol.JSON;
            if ("sqs".equals(service)) {
                protocol = target == null ? Protocol.SQS_QUERY : Protocol.SQS_JSON;
            } else if ("dynamodb".equals(service)) {
                protocol = Protocol.DYNAMODB;
            } else if ("s3".equals(service)) {
                protocol = Protocol.S3;
            }
            return Mapping.unmapped(protocol, "?", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- SQS

    private static Mapping sqs(
            Protocol protocol, String op, JsonNode body, HttpCall call, String region, String callerAccount) {
        String queueUrl = body != null ? text(body, "QueueUrl") : call.formParam("QueueUrl");
        if (queueUrl == null && protocol == Protocol.SQS_QUERY && call.path.split("/").length == 3) {
            queueUrl = call.path; // query protocol may address the queue by path: /ACCOUNT/NAME
        }
        String partition = partition(region);
        switch (op) {
            case "ListQueues":
                return Mapping.of(protocol, op, IamCall.of("sqs:ListQueues", "*"));
            case "CreateQueue":
            case "GetQueueUrl": {
                String name = body != null ? text(body, "QueueName") : call.formParam("QueueName");
                String owner =
                        body != null ? text(body, "QueueOwnerAWSAccountId") : call.formParam("QueueOwnerAWSAccountId");
                if (name == null) {
                    throw new BadRequest(op + " without QueueName");
                }
                String arn = "arn:" + partition + ":sqs:" + region + ":" + (owner == null ? callerAccount : owner) + ":"
                        + name;
                return Mapping.of(protocol, op, IamCall.of("sqs:" + op, arn));
            }
            default:
                break;
        }
        // Batch APIs are authorised by their non-batch actions (there is no sqs:DeleteMessageBatch action).
        String action = op.endsWith("Batch") ? op.substring(0, op.length() - "Batch".length()) : op;
        if (queueUrl == null) {
            return Mapping.of(protocol, op, IamCall.of("sqs:" + action, "*"));
        }
        return Mapping.of(protocol, op, IamCall.of("sqs:" + action, queueArn(queueUrl, region)));
    }

    /** https://sqs.us-east-1.amazonaws.com/111111111111/name or http://127.0.0.1:PORT/111111111111/name → queue ARN. */
    static String queueArn(String queueUrl, String region) {
        String path;
        try {
            path = queueUrl.startsWith("/") ? queueUrl : new URI(queueUrl).getPath();
        } catch (URISyntaxException e) {
            throw new BadRequest("QueueUrl is not a URL: " + queueUrl);
        }
        String[] parts =
                path == null ? new String[0] : path.replaceAll("^/+|/+$", "").split("/");
        if (parts.length != 2) {
            throw new BadRequest("QueueUrl does not end in /ACCOUNT/NAME: " + queueUrl);
        }
        return "arn:" + partition(region) + ":sqs:" + region + ":" + parts[0] + ":" + parts[1];
    }

    // ---------------------------------------------------------------- DynamoDB

    private Mapping dynamodb(String op, JsonNode body, String region, String account) {
        String prefix = "dynamodb:";
        List<IamCall> calls = new ArrayList<>();
        switch (op) {
            case "ListTables":
            case "DescribeLimits":
            case "DescribeEndpoints":
            case "ListBackups":
            case "ListGlobalTables":
            case "ListExports":
            case "ListImports":
            case "DescribeReservedCapacity":
                return Mapping.of(Protocol.DYNAMODB, op, IamCall.of(prefix + op, "*"));
            case "BatchGetItem":
            case "BatchWriteItem": {
                for (Map.Entry<String, JsonNode> table :
                        body.path("RequestItems").properties()) {
                    String arn = tableArn(table.getKey(), region, account);
                    List<JsonNode> keys = new ArrayList<>();
                    if (op.equals("BatchGetItem")) {
                        table.getValue().path("Keys").forEach(keys::add);
                    } else {
                        for (JsonNode write : table.getValue()) {
                            keys.add(
                                    write.path("PutRequest").has("Item")
                                            ? write.path("PutRequest").path("Item")
                                            : write.path("DeleteRequest").path("Key"));
                        }
                    }
                    calls.add(withDynamoDbContext(IamCall.of(prefix + op, arn), body)
                            .withAll("dynamodb:LeadingKeys", leadingKeys(arn, keys)));
                }
                if (calls.isEmpty()) {
                    throw new BadRequest(op + " without RequestItems");
                }
                return Mapping.of(Protocol.DYNAMODB, op, calls);
            }
            case "TransactGetItems":
            case "TransactWriteItems": {
                for (JsonNode item : body.path("TransactItems")) {
                    for (Map.Entry<String, JsonNode> kind : item.properties()) {
                        String action = switch (kind.getKey()) {
                            case "Get" -> "GetItem";
                            case "Put" -> "PutItem";
                            case "Update" -> "UpdateItem";
                            case "Delete" -> "DeleteItem";
                            case "ConditionCheck" -> "ConditionCheckItem";
                            default -> throw new BadRequest(op + " with an unknown item kind " + kind.getKey());
                        };
                        String table = text(kind.getValue(), "TableName");
                        if (table == null) {
                            throw new BadRequest(op + " item without TableName");
                        }
                        String arn = tableArn(table, region, account);
                        JsonNode named = kind.getValue().has("Item")
                                ? kind.getValue().path("Item")
                                : kind.getValue().path("Key");
                        calls.add(withDynamoDbContext(IamCall.of(prefix + action, arn), kind.getValue())
                                .withAll("dynamodb:LeadingKeys", leadingKeys(arn, List.of(named))));
                    }
                }
                if (calls.isEmpty()) {
                    throw new BadRequest(op + " without TransactItems");
                }
                return Mapping.of(Protocol.DYNAMODB, op, dedupe(calls));
            }
            default:
                break;
        }
        String table = text(body, "TableName");
        if (table == null) {
            table = text(body, "ResourceArn"); // TagResource, ListTagsOfResource, *ResourcePolicy
        }
        if (table == null) {
            return Mapping.of(Protocol.DYNAMODB, op, IamCall.of(prefix + op, "*"));
        }
        String arn = tableArn(table, region, account);
        String index = text(body, "IndexName");
        if (index != null && (op.equals("Query") || op.equals("Scan"))) {
            arn = arn + "/index/" + index;
        }
        IamCall call = withDynamoDbContext(IamCall.of(prefix + op, arn), body);
        switch (op) {
            case "GetItem":
            case "DeleteItem":
            case "UpdateItem":
                call = call.withAll("dynamodb:LeadingKeys", leadingKeys(arn, List.of(body.path("Key"))));
                break;
            case "PutItem":
                call = call.withAll("dynamodb:LeadingKeys", leadingKeys(arn, List.of(body.path("Item"))));
                break;
            case "Query":
                // On an index the partition key is the index's, which the table's schema does not name: left unset.
                if (index == null) {
                    call = call.withAll("dynamodb:LeadingKeys", queryLeadingKey(arn, body));
                }
                break;
            default:
                break;
        }
        return Mapping.of(Protocol.DYNAMODB, op, call);
    }

    /** dynamodb:LeadingKeys: the partition key values of the items a request names. */
    private List<String> leadingKeys(String tableArn, List<JsonNode> items) {
        String partitionKey = keySchemas.partitionKey(tableArn);
        if (partitionKey == null) {
            return List.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : items) {
            String value = scalar(item.path(partitionKey));
            if (value != null) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    /** The partition key value of a Query: "pk = :v" in KeyConditionExpression, or legacy KeyConditions EQ. */
    private List<String> queryLeadingKey(String tableArn, JsonNode body) {
        String partitionKey = keySchemas.partitionKey(tableArn);
        if (partitionKey == null) {
            return List.of();
        }
        String expression = text(body, "KeyConditionExpression");
        if (expression != null) {
            java.util.regex.Matcher m = EQUALS.matcher(expression);
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("#")) {
                    name = body.path("ExpressionAttributeNames").path(name).asText(name);
                }
                if (name.equals(partitionKey)) {
                    String value = scalar(body.path("ExpressionAttributeValues").path(m.group(2)));
                    return value == null ? List.of() : List.of(value);
                }
            }
            return List.of();
        }
        JsonNode condition = body.path("KeyConditions").path(partitionKey);
        if ("EQ".equals(condition.path("ComparisonOperator").asText())) {
            String value = scalar(condition.path("AttributeValueList").path(0));
            return value == null ? List.of() : List.of(value);
        }
        return List.of();
    }

    /** {"S": "v"} / {"N": "1"} / {"B": "..."} → its text. */
    private static String scalar(JsonNode attributeValue) {
        for (String type : List.of("S", "N", "B")) {
            JsonNode v = attributeValue.get(type);
            if (v != null && v.isTextual()) {
                return v.asText();
            }
        }
        return null;
    }

    /** The dynamodb: condition keys a request carries as plain fields (dynamodb:Attributes is not derived). */
    private static IamCall withDynamoDbContext(IamCall call, JsonNode body) {
        return call.with("dynamodb:Select", text(body, "Select"))
                .with("dynamodb:ReturnValues", text(body, "ReturnValues"))
                .with("dynamodb:ReturnConsumedCapacity", text(body, "ReturnConsumedCapacity"));
    }

    static String tableArn(String tableOrArn, String region, String account) {
        if (tableOrArn.startsWith("arn:")) {
            return tableOrArn;
        }
        return "arn:" + partition(region) + ":dynamodb:" + region + ":" + account + ":table/" + tableOrArn;
    }

    private Mapping streams(String op, JsonNode body) {
        String action = "dynamodb:" + op;
        switch (op) {
            case "ListStreams":
                // No resource type: only Resource "*" grants it (Service Authorization Reference).
                return Mapping.of(Protocol.DYNAMODB, op, IamCall.of(action, "*"));
            case "GetRecords": {
                String iterator = text(body, "ShardIterator");
                if (iterator == null) {
                    throw new BadRequest("GetRecords without ShardIterator");
                }
                String stream = iterators.streamOf(iterator);
                if (stream == null) {
                    throw new BadRequest("GetRecords with a shard iterator RoleProof did not see issued");
                }
                return Mapping.of(Protocol.DYNAMODB, op, IamCall.of(action, stream));
            }
            default: {
                String stream = text(body, "StreamArn");
                if (stream == null) {
                    throw new BadRequest(op + " without StreamArn");
                }
                return Mapping.of(Protocol.DYNAMODB, op, IamCall.of(action, stream));
            }
        }
    }

    // ---------------------------------------------------------------- STS

    private static Mapping sts(String op, HttpCall call) {
        switch (op) {
            case "GetCallerIdentity":
                // AWS authorises it for everyone: an explicit Deny cannot block it either.
                return Mapping.exempt(Protocol.QUERY, op, "sts:GetCallerIdentity");
            case "AssumeRole": {
                String roleArn = call.formParam("RoleArn");
                if (roleArn == null) {
                    throw new BadRequest("AssumeRole without RoleArn");
                }
                IamCall assume = IamCall.of("sts:AssumeRole", roleArn)
                        .with("sts:RoleSessionName", call.formParam("RoleSessionName"))
                        .with("sts:ExternalId", call.formParam("ExternalId"))
                        .with("sts:SourceIdentity", call.formParam("SourceIdentity"));
                Set<String> tagKeys = new LinkedHashSet<>();
                for (int i = 1; ; i++) {
                    String key = call.formParam("Tags.member." + i + ".Key");
                    if (key == null) {
                        break;
                    }
                    tagKeys.add(key);
                    assume = assume.with("aws:RequestTag/" + key, call.formParam("Tags.member." + i + ".Value"));
                }
                assume = assume.withAll("aws:TagKeys", List.copyOf(tagKeys));
                List<String> transitive = new ArrayList<>();
                for (int i = 1; call.formParam("TransitiveTagKeys.member." + i) != null; i++) {
                    transitive.add(call.formParam("TransitiveTagKeys.member." + i));
                }
                assume = assume.withAll("sts:TransitiveTagKeys", transitive);
                List<IamCall> calls = new ArrayList<>(List.of(assume));
                if (!tagKeys.isEmpty()) {
                    // Session tags need sts:TagSession on the role as well.
                    calls.add(IamCall.of("sts:TagSession", roleArn).withAll("aws:TagKeys", List.copyOf(tagKeys)));
                }
                return Mapping.of(Protocol.QUERY, op, calls);
            }
            default:
                return Mapping.of(Protocol.QUERY, op, IamCall.of("sts:" + op, "*"));
        }
    }

    // ---------------------------------------------------------------- helpers

    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    private static JsonNode json(HttpCall call) {
        if (call.body == null || call.body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(call.body);
        } catch (IOException e) {
            throw new BadRequest("the JSON body does not parse");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static List<IamCall> dedupe(List<IamCall> calls) {
        return List.copyOf(new LinkedHashSet<>(calls));
    }

    static String decodePercent(String raw) {
        // Percent-decoding only: "+" is a literal plus in S3 paths and headers, not a space.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Document xml(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new BadRequest("the XML body does not parse");
        }
    }

    static List<String> xmlTexts(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    /** A request the proxy cannot interpret: it is denied, and the reason recorded. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
