package dev.glint.local.iam;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What IAM checks for one SDK call: the IAM action(s) and resource ARN(s), as the service
 * authorization reference lists them for DynamoDB, SQS and S3. A call that touches several resources
 * (a batch over tables, a transaction, a copy) is several questions, and needs every answer to be yes.
 */
public final class AwsActions {

    public static final String SERVICE_DYNAMODB = "dynamodb";
    public static final String SERVICE_SQS = "sqs";
    public static final String SERVICE_S3 = "s3";
    public static final String SERVICE_SES = "ses";
    public static final String SERVICE_EXECUTE_API = "execute-api";

    private final String region;
    private final String account;
    private final String stream;
    private final String webSocketStage;

    public AwsActions(String region, String account) {
        this(region, account, "*");
    }

    /**
     * @param stream the stream ARN a {@code GetRecords} call reads: its request names only a shard
     *               iterator, which a stream poller gets for one stream
     */
    public AwsActions(String region, String account, String stream) {
        this(region, account, stream, null);
    }

    private AwsActions(String region, String account, String stream, String webSocketStage) {
        this.region = region;
        this.account = account;
        this.stream = stream;
        this.webSocketStage = webSocketStage;
    }

    /**
     * These actions with the WebSocket API stage the management calls go to ({@code <apiId>/<stage>}): their
     * requests name only a connection, and the endpoint the client was built with is that stage's.
     */
    public AwsActions withWebSocketStage(String apiIdAndStage) {
        return new AwsActions(region, account, stream, apiIdAndStage);
    }

    /** The service of a request by its model's package ({@code ...services.dynamodb.model}), or empty. */
    public static Optional<String> service(SdkRequest request) {
        String pkg = request.getClass().getPackageName();
        if (pkg.startsWith("software.amazon.awssdk.services.dynamodb.")) {
            return Optional.of(SERVICE_DYNAMODB);
        }
        if (pkg.startsWith("software.amazon.awssdk.services.sqs.")) {
            return Optional.of(SERVICE_SQS);
        }
        if (pkg.startsWith("software.amazon.awssdk.services.s3.")) {
            return Optional.of(SERVICE_S3);
        }
        if (pkg.startsWith("software.amazon.awssdk.services.sesv2.")) {
            return Optional.of(SERVICE_SES);
        }
        if (pkg.startsWith("software.amazon.awssdk.services.apigatewaymanagementapi.")) {
            return Optional.of(SERVICE_EXECUTE_API);
        }
        return Optional.empty();
    }

    public List<AccessRequest> of(String service, String operation, SdkRequest request) {
        return switch (service) {
            case SERVICE_DYNAMODB -> dynamoDb(operation, request);
            case SERVICE_SQS -> sqs(operation, request);
            case SERVICE_S3 -> s3(operation, request);
            case SERVICE_SES -> ses(operation, request);
            case SERVICE_EXECUTE_API -> manageConnections(operation, request);
            default -> throw new IllegalArgumentException("no IAM mapping for " + service);
        };
    }

    /**
     * SES v2 {@code SendEmail}: {@code ses:SendEmail} on the sender's identity, with the sender in
     * {@code ses:FromAddress}. SES authorizes on the identity that verifies the sender, its address or
     * its domain; locally the domain's is asked for (a grant of the address alone would be refused here).
     */
    private List<AccessRequest> ses(String operation, SdkRequest request) {
        if (request instanceof software.amazon.awssdk.services.sesv2.model.SendEmailRequest send) {
            String from = send.fromEmailAddress() == null ? "" : send.fromEmailAddress();
            String domain = from.substring(from.indexOf('@') + 1);
            return List.of(new AccessRequest("ses:SendEmail", "arn:aws:ses:" + region + ":" + account + ":identity/" + domain,
                    java.util.Map.of("ses:FromAddress", List.of(from)), List.of("ses:FromAddress")));
        }
        return List.of(AccessRequest.of("ses:" + operation, "*"));
    }

    /**
     * The management API ({@code PostToConnection}, {@code GetConnection}, {@code DeleteConnection}):
     * {@code execute-api:ManageConnections} on {@code arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/@connections/<id>}.
     * Without a known stage the resource names none, so only a grant on every API's connections allows it.
     */
    private List<AccessRequest> manageConnections(String operation, SdkRequest request) {
        String method = switch (operation) {
            case "PostToConnection" -> "POST";
            case "GetConnection" -> "GET";
            case "DeleteConnection" -> "DELETE";
            default -> operation;
        };
        String connection = request.getValueForField("ConnectionId", String.class).orElse("");
        String stage = webSocketStage == null ? "unknown-api/unknown-stage" : webSocketStage;
        return List.of(AccessRequest.of("execute-api:ManageConnections",
                "arn:aws:execute-api:" + region + ":" + account + ":" + stage + "/" + method + "/@connections/" + connection));
    }

    public String tableArn(String table) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
    }

    public String queueArn(String queueName) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueName;
    }

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    private List<AccessRequest> dynamoDb(String operation, SdkRequest request) {
        List<AccessRequest> out = new ArrayList<>();
        if (request instanceof BatchGetItemRequest batch) {
            batch.requestItems().keySet().forEach(t -> out.add(AccessRequest.of("dynamodb:BatchGetItem", tableArn(t))));
        } else if (request instanceof BatchWriteItemRequest batch) {
            batch.requestItems().keySet().forEach(t -> out.add(AccessRequest.of("dynamodb:BatchWriteItem", tableArn(t))));
        } else if (request instanceof TransactWriteItemsRequest transact) {
            // IAM checks each item's own action on its table.
            for (TransactWriteItem item : transact.transactItems()) {
                if (item.put() != null) {
                    out.add(AccessRequest.of("dynamodb:PutItem", tableArn(item.put().tableName())));
                } else if (item.update() != null) {
                    out.add(AccessRequest.of("dynamodb:UpdateItem", tableArn(item.update().tableName())));
                } else if (item.delete() != null) {
                    out.add(AccessRequest.of("dynamodb:DeleteItem", tableArn(item.delete().tableName())));
                } else if (item.conditionCheck() != null) {
                    out.add(AccessRequest.of("dynamodb:ConditionCheckItem", tableArn(item.conditionCheck().tableName())));
                }
            }
        } else if (request instanceof TransactGetItemsRequest transact) {
            transact.transactItems().forEach(item -> out.add(AccessRequest.of("dynamodb:GetItem", tableArn(item.get().tableName()))));
        } else if (operation.equals("DescribeStream") || operation.equals("GetShardIterator") || operation.equals("GetRecords")) {
            out.add(AccessRequest.of("dynamodb:" + operation, request.getValueForField("StreamArn", String.class).orElse(stream)));
        } else {
            Optional<String> table = request.getValueForField("TableName", String.class);
            Optional<String> index = request.getValueForField("IndexName", String.class);
            String resource = table.map(t -> tableArn(t) + index.map(i -> "/index/" + i).orElse("")).orElse("*");
            out.add(AccessRequest.of("dynamodb:" + operation, resource));
        }
        return out;
    }

    private List<AccessRequest> sqs(String operation, SdkRequest request) {
        String action = switch (operation) {
            case "SendMessageBatch" -> "SendMessage";
            case "DeleteMessageBatch" -> "DeleteMessage";
            case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
            default -> operation;
        };
        String resource = request.getValueForField("QueueUrl", String.class)
                .map(url -> queueArn(url.substring(url.lastIndexOf('/') + 1)))
                .or(() -> request.getValueForField("QueueName", String.class).map(this::queueArn))
                .orElse("*");
        return List.of(AccessRequest.of("sqs:" + action, resource));
    }

    private List<AccessRequest> s3(String operation, SdkRequest request) {
        String bucket = request.getValueForField("Bucket", String.class).orElse("*");
        String key = request.getValueForField("Key", String.class).orElse(null);
        String object = bucketArn(bucket) + "/" + key;
        if (request instanceof DeleteObjectsRequest delete) {
            return delete.delete().objects().stream()
                    .map(o -> AccessRequest.of("s3:DeleteObject", bucketArn(bucket) + "/" + o.key())).toList();
        }
        if (request instanceof CopyObjectRequest copy) {
            return List.of(AccessRequest.of("s3:GetObject", bucketArn(copy.sourceBucket()) + "/" + copy.sourceKey()),
                    AccessRequest.of("s3:PutObject", bucketArn(copy.destinationBucket()) + "/" + copy.destinationKey()));
        }
        return switch (operation) {
            case "GetObject", "HeadObject" -> List.of(AccessRequest.of("s3:GetObject", object));
            case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" ->
                    List.of(AccessRequest.of("s3:PutObject", object));
            case "DeleteObject" -> List.of(AccessRequest.of("s3:DeleteObject", object));
            case "AbortMultipartUpload" -> List.of(AccessRequest.of("s3:AbortMultipartUpload", object));
            case "GetObjectTagging" -> List.of(AccessRequest.of("s3:GetObjectTagging", object));
            case "PutObjectTagging" -> List.of(AccessRequest.of("s3:PutObjectTagging", object));
            case "ListObjects", "ListObjectsV2", "HeadBucket" -> {
                // s3:prefix and s3:delimiter are the condition keys of ListBucket the local stack can tell.
                Map<String, List<String>> context = new java.util.LinkedHashMap<>();
                request.getValueForField("Prefix", String.class).ifPresent(p -> context.put("s3:prefix", List.of(p)));
                request.getValueForField("Delimiter", String.class).ifPresent(d -> context.put("s3:delimiter", List.of(d)));
                yield List.of(new AccessRequest("s3:ListBucket", bucketArn(bucket), context, List.of("s3:prefix", "s3:delimiter")));
            }
            default -> List.of(AccessRequest.of("s3:" + operation, key == null ? bucketArn(bucket) : object));
        };
    }
}
