package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.local.iam.Statement;
import dev.glint.local.template.CfnTemplate;
import dev.glint.local.template.CfnTemplate.Resource;
import dev.glint.local.template.Intrinsics;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.aws.StreamFilter;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FailureQueueSpec;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import dev.glint.shared.resources.GlintResources.StreamConsumerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The local stack's reading of a synthesized template (template mode): it makes the template's table,
 * queues, buckets and secrets on the emulators, resolves every value the functions, policies, event
 * source mappings and routes need to the local names, URLs and ARNs, and describes what to run. A
 * value it cannot resolve stops the start, naming the logical id and the property.
 */
final class TemplateStack {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateStack.class);
    static final String REGION = LocalContext.REGION;
    static final String ACCOUNT = LocalContext.ACCOUNT;

    /** A function the local stack runs: which of Glint's handlers, and what its template gives it. */
    record LocalFunction(String logicalId, FunctionSpec spec, String physicalName, int memoryMb, int timeoutSeconds,
                         Map<String, String> environment, String roleArn, List<Statement> statements) {
    }

    /** An SQS event source mapping. */
    record QueueMapping(String logicalId, String function, String queueUrl, String queueArn, int batchSize,
                        boolean reportBatchItemFailures) {
    }

    /** A DynamoDB stream event source mapping. */
    /** @param filter the mapping's {@code FilterCriteria} as the poller applies it; null when it has none */
    record StreamMapping(String logicalId, String streamArn, String failureQueueUrl, StreamConsumerSpec settings,
                         Predicate<ChangeRecord> filter) {
    }

    /** A route of the served HTTP API: {@code method} is {@code ANY} or a verb, {@code $default} has neither. */
    record Route(String routeKey, String method, String path, boolean jwt) {
    }

    /** The JWT authorizer's issuer and audience. */
    record Authorizer(String issuer, List<String> audience) {
    }

    /**
     * Where the local WebSocket API answers, chosen before the template is read: the functions'
     * environment names its URLs ({@code ws://127.0.0.1:<webSocket>/<stage>}, and the management endpoint
     * {@code http://127.0.0.1:<management>/<stage>} for the stage's callback URL).
     */
    record RealtimePorts(int webSocket, int management) {
    }

    /**
     * The template's WebSocket API as the local gateway serves it.
     *
     * @param selectionField the body field of its {@code RouteSelectionExpression} ({@code $request.body.<field>})
     * @param routes         each route key's integration: the Glint function it invokes
     * @param twoWay         the routes with a route response (their integration's answer goes back to the client)
     * @param authorizer     the Glint function of the {@code $connect} route's REQUEST authorizer; null when it has none
     * @param identitySources the authorizer's identity sources ({@code route.request.querystring.token})
     */
    record WebSocketApi(String logicalId, String apiId, String stage, String selectionField, Map<String, String> routes,
                        Set<String> twoWay, String authorizer, List<String> identitySources) {
    }

    private final CfnTemplate template;
    private final String prefix;
    private final Intrinsics intrinsics;
    private final Function<String, String> secrets;
    private final RealtimePorts realtimePorts;
    private final Map<String, String> queueUrls = new HashMap<>();
    private final Map<String, String> emulatorQueueArns = new HashMap<>();
    private final Map<String, String> streamArns = new HashMap<>();
    private final Map<String, String> secretValues = new HashMap<>();

    final List<LocalFunction> functions = new ArrayList<>();
    final List<QueueMapping> queueMappings = new ArrayList<>();
    final List<StreamMapping> streamMappings = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    Authorizer authorizer;
    /** Null when the template has no WebSocket API. */
    WebSocketApi webSocketApi;

    /**
     * @param secrets the value of the secret a logical id names (kept in the data folder, if any, so
     *                what it signs survives a restart)
     */
    private TemplateStack(CfnTemplate template, String prefix, Function<String, String> secrets, RealtimePorts realtimePorts) {
        this.template = template;
        this.prefix = prefix;
        this.secrets = secrets;
        this.realtimePorts = realtimePorts;
        this.intrinsics = new Intrinsics(new LocalValues(), REGION, ACCOUNT, prefix);
    }

    static TemplateStack provision(CfnTemplate template, String prefix, DynamoDbClient dynamo, SqsClient sqs, S3Client s3,
                                   Optional<Integer> visibilityOverride, Function<String, String> secrets,
                                   RealtimePorts realtimePorts) {
        TemplateStack stack = new TemplateStack(template, prefix, secrets, realtimePorts);
        template.ofType("AWS::DynamoDB::Table").forEach(r -> stack.table(dynamo, r));
        stack.queues(sqs, visibilityOverride);
        template.ofType("AWS::S3::Bucket").forEach(r -> stack.bucket(s3, r));
        template.ofType("AWS::Lambda::Function").forEach(stack::function);
        template.ofType("AWS::Lambda::EventSourceMapping").forEach(stack::eventSource);
        stack.api();
        stack.webSocketApi();
        return stack;
    }

    Optional<LocalFunction> function(String glintName) {
        return functions.stream().filter(f -> f.spec().name().equals(glintName)).findFirst();
    }

    /** The dead-letter queue URL of the queue at {@code url}, from its redrive policy, if any. */
    Optional<String> deadLetterQueueOf(String url) {
        for (Resource queue : template.ofType("AWS::SQS::Queue")) {
            if (url.equals(queueUrls.get(queue.logicalId())) && queue.properties().has("RedrivePolicy")) {
                String target = intrinsics.property(queue, "RedrivePolicy").path("deadLetterTargetArn").asText();
                return queueByArn(target, queue.logicalId(), "Properties.RedrivePolicy.deadLetterTargetArn");
            }
        }
        return Optional.empty();
    }

    // ---- names ----

    private String physical(Resource resource, String nameProperty) {
        if (nameProperty != null && resource.properties().has(nameProperty)) {
            return intrinsics.string(resource, nameProperty);
        }
        return (prefix + "-" + resource.logicalId()).toLowerCase(Locale.ROOT);
    }

    private String bucketName(Resource bucket) {
        String name = physical(bucket, "BucketName");
        return name.length() <= 63 ? name : name.substring(0, 63);
    }

    private String queueName(Resource queue) {
        String name = physical(queue, "QueueName");
        return name.length() <= 80 ? name : name.substring(0, 80);
    }

    private String functionName(Resource function) {
        return physical(function, "FunctionName");
    }

    private static String lambdaArn(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
    }

    /** What {@code Ref} and {@code Fn::GetAtt} give for each resource type the local stack makes. */
    private final class LocalValues implements Intrinsics.Values {
        @Override
        public Optional<String> ref(String logicalId) {
            Optional<Resource> found = template.resource(logicalId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Resource r = found.get();
            return Optional.ofNullable(switch (r.type()) {
                case "AWS::DynamoDB::Table" -> physical(r, "TableName");
                case "AWS::SQS::Queue" -> queueUrls.get(logicalId);
                case "AWS::S3::Bucket" -> bucketName(r);
                case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + physical(r, "Name");
                case "AWS::Cognito::UserPool" -> REGION + "_" + logicalId.replaceAll("[^A-Za-z0-9]", "");
                case "AWS::Cognito::UserPoolClient" -> logicalId.toLowerCase(Locale.ROOT);
                case "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Logs::LogGroup" -> physical(r, null);
                case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + ACCOUNT + ":policy/" + physical(r, "ManagedPolicyName");
                case "AWS::Lambda::Function" -> functionName(r);
                case "AWS::Lambda::Version" -> lambdaArn(intrinsics.string(r, "FunctionName")) + ":1";
                case "AWS::Lambda::Alias" -> lambdaArn(intrinsics.string(r, "FunctionName")) + ":" + intrinsics.string(r, "Name");
                case "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Authorizer",
                     "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Stage" -> logicalId.toLowerCase(Locale.ROOT);
                // The functions' AppConfig ids: the local AppConfig answers to whatever ids the template gives
                // them (EmbeddedStack points them at it), so the logical id will do.
                case "AWS::AppConfig::Application", "AWS::AppConfig::Environment", "AWS::AppConfig::ConfigurationProfile",
                     "AWS::AppConfig::DeploymentStrategy" -> logicalId.toLowerCase(Locale.ROOT);
                default -> null;
            });
        }

        @Override
        public Optional<String> attribute(String logicalId, String attribute) {
            Optional<Resource> found = template.resource(logicalId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Resource r = found.get();
            String key = r.type() + "." + attribute;
            return Optional.ofNullable(switch (key) {
                case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + physical(r, "TableName");
                case "AWS::DynamoDB::Table.StreamArn" -> streamArns.get(logicalId);
                case "AWS::SQS::Queue.Arn" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queueName(r);
                case "AWS::SQS::Queue.QueueName" -> queueName(r);
                case "AWS::SQS::Queue.QueueUrl" -> queueUrls.get(logicalId);
                case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + bucketName(r);
                case "AWS::S3::Bucket.DomainName" -> bucketName(r) + ".s3.amazonaws.com";
                case "AWS::S3::Bucket.RegionalDomainName" -> bucketName(r) + ".s3." + REGION + ".amazonaws.com";
                case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + physical(r, null);
                case "AWS::Lambda::Function.Arn" -> lambdaArn(functionName(r));
                case "AWS::Lambda::Version.Version" -> "1";
                case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + physical(r, null) + ":*";
                case "AWS::Cognito::UserPool.Arn" -> "arn:aws:cognito-idp:" + REGION + ":" + ACCOUNT + ":userpool/" + ref(logicalId).orElseThrow();
                case "AWS::Cognito::UserPool.ProviderURL" -> "https://cognito-idp." + REGION + ".amazonaws.com/" + ref(logicalId).orElseThrow();
                case "AWS::ApiGatewayV2::Api.ApiId" -> ref(logicalId).orElseThrow();
                // A WebSocket API's endpoint has no stage: CDK joins "/<stage>" to it for the stage's URL.
                case "AWS::ApiGatewayV2::Api.ApiEndpoint" -> isWebSocket(r) ? "ws://127.0.0.1:" + realtimePorts.webSocket() : null;
                default -> null;
            });
        }

        /** A WebSocket API's {@code wss://} URL and its stage's callback URL ({@code https://}) are the local gateway's. */
        @Override
        public String local(String value) {
            if (!value.contains(".execute-api.")) {
                return value;
            }
            for (Resource api : template.ofType("AWS::ApiGatewayV2::Api")) {
                if (!isWebSocket(api)) {
                    continue;
                }
                String host = ref(api.logicalId()).orElseThrow() + ".execute-api." + REGION + ".amazonaws.com";
                if (value.startsWith("wss://" + host)) {
                    return "ws://127.0.0.1:" + realtimePorts.webSocket() + value.substring(("wss://" + host).length());
                }
                if (value.startsWith("https://" + host)) {
                    return "http://127.0.0.1:" + realtimePorts.management() + value.substring(("https://" + host).length());
                }
            }
            return value;
        }

        @Override
        public Optional<String> secret(String secretId) {
            for (Resource r : template.ofType("AWS::SecretsManager::Secret")) {
                String arn = ref(r.logicalId()).orElseThrow();
                if (secretId.equals(arn) || secretId.equals(physical(r, "Name"))) {
                    return Optional.of(secretValues.computeIfAbsent(r.logicalId(), secrets));
                }
            }
            return Optional.empty();
        }
    }

    // ---- data ----

    private void table(DynamoDbClient dynamo, Resource table) {
        String name = physical(table, "TableName");
        try {
            streamArns.put(table.logicalId(), dynamo.describeTable(r -> r.tableName(name)).table().latestStreamArn());
            return;
        } catch (ResourceNotFoundException e) {
            // create it below
        }
        JsonNode p = intrinsics.resolve(table.properties(), table.logicalId(), "Properties");
        CreateTableRequest.Builder create = CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(each(p.path("AttributeDefinitions"), a -> AttributeDefinition.builder()
                        .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()))
                .keySchema(keys(p.path("KeySchema")));
        if (p.path("BillingMode").asText("PROVISIONED").equals("PAY_PER_REQUEST")) {
            create.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            create.provisionedThroughput(t -> t.readCapacityUnits(p.path("ProvisionedThroughput").path("ReadCapacityUnits").asLong(5))
                    .writeCapacityUnits(p.path("ProvisionedThroughput").path("WriteCapacityUnits").asLong(5)));
        }
        if (p.has("GlobalSecondaryIndexes")) {
            create.globalSecondaryIndexes(each(p.path("GlobalSecondaryIndexes"), i -> {
                var gsi = GlobalSecondaryIndex.builder().indexName(i.path("IndexName").asText())
                        .keySchema(keys(i.path("KeySchema"))).projection(projection(i.path("Projection")));
                if (!p.path("BillingMode").asText().equals("PAY_PER_REQUEST")) {
                    gsi.provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L));
                }
                return gsi.build();
            }));
        }
        if (p.has("LocalSecondaryIndexes")) {
            create.localSecondaryIndexes(each(p.path("LocalSecondaryIndexes"), i -> LocalSecondaryIndex.builder()
                    .indexName(i.path("IndexName").asText()).keySchema(keys(i.path("KeySchema")))
                    .projection(projection(i.path("Projection"))).build()));
        }
        String view = p.path("StreamSpecification").path("StreamViewType").asText("");
        if (!view.isEmpty()) {
            create.streamSpecification(s -> s.streamEnabled(true).streamViewType(view));
        }
        dynamo.createTable(create.build());
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        JsonNode ttl = p.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            dynamo.updateTimeToLive(r -> r.tableName(name)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(ttl.path("AttributeName").asText())));
        }
        streamArns.put(table.logicalId(), dynamo.describeTable(r -> r.tableName(name)).table().latestStreamArn());
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        return each(schema, k -> KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build());
    }

    private static Projection projection(JsonNode p) {
        var b = Projection.builder().projectionType(p.path("ProjectionType").asText("ALL"));
        if (p.has("NonKeyAttributes")) {
            b.nonKeyAttributes(each(p.path("NonKeyAttributes"), JsonNode::asText));
        }
        return b.build();
    }

    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> map) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(map.apply(n)));
        return out;
    }

    /** Every queue first, then the redrive policies, which name other queues' ARNs. */
    private void queues(SqsClient sqs, Optional<Integer> visibilityOverride) {
        List<Resource> queues = template.ofType("AWS::SQS::Queue");
        for (Resource queue : queues) {
            JsonNode p = intrinsics.resolve(queue.properties(), queue.logicalId(), "Properties");
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            copy(p, "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT, attributes);
            copy(p, "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD, attributes);
            copy(p, "DelaySeconds", QueueAttributeName.DELAY_SECONDS, attributes);
            copy(p, "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, attributes);
            copy(p, "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE, attributes);
            copy(p, "FifoQueue", QueueAttributeName.FIFO_QUEUE, attributes);
            copy(p, "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, attributes);
            if (p.has("RedrivePolicy")) {
                visibilityOverride.ifPresent(v -> attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(v)));
            }
            String name = queueName(queue);
            String url = sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
            queueUrls.put(queue.logicalId(), url);
            emulatorQueueArns.put(queue.logicalId(), sqs.getQueueAttributes(r -> r.queueUrl(url)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
        }
        for (Resource queue : queues) {
            if (!queue.properties().has("RedrivePolicy")) {
                continue;
            }
            JsonNode redrive = intrinsics.property(queue, "RedrivePolicy");
            String target = redrive.path("deadLetterTargetArn").asText();
            String dlq = template.ofType("AWS::SQS::Queue").stream()
                    .filter(q -> target.equals(new LocalValues().attribute(q.logicalId(), "Arn").orElse(null)))
                    .map(q -> emulatorQueueArns.get(q.logicalId())).findFirst()
                    .orElseThrow(() -> new Intrinsics.Unresolvable(queue.logicalId(), "Properties.RedrivePolicy.deadLetterTargetArn",
                            target + " is not a queue of this template"));
            String policy = "{\"deadLetterTargetArn\":\"" + dlq + "\",\"maxReceiveCount\":\""
                    + redrive.path("maxReceiveCount").asText() + "\"}";
            sqs.setQueueAttributes(r -> r.queueUrl(queueUrls.get(queue.logicalId()))
                    .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy)));
        }
    }

    private static void copy(JsonNode p, String property, QueueAttributeName name, Map<QueueAttributeName, String> out) {
        if (p.has(property)) {
            out.put(name, p.get(property).asText());
        }
    }

    private Optional<String> queueByArn(String arn, String logicalId, String path) {
        for (Resource q : template.ofType("AWS::SQS::Queue")) {
            if (arn.equals(new LocalValues().attribute(q.logicalId(), "Arn").orElse(null))) {
                return Optional.of(queueUrls.get(q.logicalId()));
            }
        }
        throw new Intrinsics.Unresolvable(logicalId, path, arn + " is not a queue of this template");
    }

    private void bucket(S3Client s3, Resource bucket) {
        String name = bucketName(bucket);
        try {
            s3.createBucket(r -> r.bucket(name));
        } catch (BucketAlreadyOwnedByYouException e) {
            // kept from an earlier run
        }
        JsonNode cors = intrinsics.property(bucket, "CorsConfiguration");
        if (!cors.isMissingNode()) {
            try {
                s3.putBucketCors(r -> r.bucket(name).corsConfiguration(c -> c.corsRules(each(cors.path("CorsRules"), rule ->
                        CORSRule.builder().allowedMethods(each(rule.path("AllowedMethods"), JsonNode::asText))
                                .allowedOrigins(each(rule.path("AllowedOrigins"), JsonNode::asText))
                                .allowedHeaders(each(rule.path("AllowedHeaders"), JsonNode::asText))
                                .exposeHeaders(each(rule.path("ExposedHeaders"), JsonNode::asText))
                                .maxAgeSeconds(rule.has("MaxAge") ? rule.get("MaxAge").asInt() : null).build()))));
            } catch (RuntimeException e) {
                LOG.info("bucket {}: the S3 emulator does not keep CORS rules ({}); browsers' uploads are not checked against them",
                        bucket.logicalId(), e.getClass().getSimpleName());
            }
        }
        if (bucket.properties().has("LifecycleConfiguration")) {
            LOG.info("bucket {}: lifecycle rules are not applied locally (the S3 emulator does not expire objects)", bucket.logicalId());
        }
    }

    // ---- functions ----

    private void function(Resource function) {
        String handler = function.property("Handler").asText("");
        String runtime = function.property("Runtime").asText("");
        String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        Optional<FunctionSpec> spec = GlintResources.FUNCTIONS.stream().filter(f -> f.handlerClass().equals(handlerClass)).findFirst();
        if (spec.isEmpty()) {
            if (runtime.startsWith("java")) {
                throw new Intrinsics.Unresolvable(function.logicalId(), "Properties.Handler",
                        "no Glint function has the handler " + handler);
            }
            LOG.info("function {} ({}, {}) is not run locally: only Glint's Java functions are", function.logicalId(), runtime, handler);
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode variables = intrinsics.property(function, "Environment").path("Variables");
        variables.fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
        String roleArn = intrinsics.string(function, "Role");
        Resource role = template.ofType("AWS::IAM::Role").stream()
                .filter(r -> roleArn.equals(new LocalValues().attribute(r.logicalId(), "Arn").orElse(null))).findFirst()
                .orElseThrow(() -> new Intrinsics.Unresolvable(function.logicalId(), "Properties.Role", roleArn + " is not a role of this template"));
        functions.add(new LocalFunction(function.logicalId(), spec.get(), functionName(function),
                function.property("MemorySize").asInt(128), function.property("Timeout").asInt(3), Map.copyOf(env),
                roleArn, statements(role)));
    }

    /** The role's inline policies, the policies attached to it, and its managed policies from this template. */
    private List<Statement> statements(Resource role) {
        String roleName = new LocalValues().ref(role.logicalId()).orElseThrow();
        List<Statement> out = new ArrayList<>();
        JsonNode inline = intrinsics.property(role, "Policies");
        for (int i = 0; i < inline.size(); i++) {
            out.addAll(Statement.of(role.logicalId() + ".Policies[" + i + "]", inline.get(i).path("PolicyDocument")));
        }
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (Resource policy : template.ofType(type)) {
                JsonNode roles = intrinsics.property(policy, "Roles");
                boolean attached = false;
                for (JsonNode r : roles) {
                    attached |= r.asText().equals(roleName);
                }
                if (attached) {
                    out.addAll(Statement.of(policy.logicalId(), intrinsics.property(policy, "PolicyDocument")));
                }
            }
        }
        for (JsonNode arn : intrinsics.property(role, "ManagedPolicyArns")) {
            Optional<Resource> managed = template.ofType("AWS::IAM::ManagedPolicy").stream()
                    .filter(m -> arn.asText().equals(new LocalValues().ref(m.logicalId()).orElse(null))).findFirst();
            if (managed.isPresent()) {
                if (!out.stream().anyMatch(s -> s.source().startsWith(managed.get().logicalId() + "#"))) {
                    out.addAll(Statement.of(managed.get().logicalId(), intrinsics.property(managed.get(), "PolicyDocument")));
                }
            } else {
                LOG.warn("role {}: the managed policy {} is not in the template; its grants are unknown locally, "
                        + "so calls only it would allow are denied", role.logicalId(), arn.asText());
            }
        }
        return out;
    }

    // ---- event sources ----

    private void eventSource(Resource mapping) {
        JsonNode p = intrinsics.resolve(mapping.properties(), mapping.logicalId(), "Properties");
        String target = p.path("FunctionName").asText();
        String name = target.startsWith("arn:") ? target.split(":")[6] : target.split(":")[0];
        LocalFunction function = functions.stream().filter(f -> f.physicalName().equals(name)).findFirst()
                .orElseThrow(() -> new Intrinsics.Unresolvable(mapping.logicalId(), "Properties.FunctionName",
                        target + " is not a function the local stack runs"));
        List<String> patterns = new ArrayList<>();
        for (JsonNode f : p.path("FilterCriteria").path("Filters")) {
            patterns.add(f.path("Pattern").asText());
        }
        for (String ignored : List.of("MaximumBatchingWindowInSeconds", "ParallelizationFactor", "TumblingWindowInSeconds")) {
            if (p.has(ignored)) {
                LOG.info("event source {}: {} = {} is accepted; the local poller delivers what each receive returns, one batch at a time",
                        mapping.logicalId(), ignored, p.get(ignored));
            }
        }
        boolean reports = false;
        for (JsonNode t : p.path("FunctionResponseTypes")) {
            reports |= t.asText().equals("ReportBatchItemFailures");
        }
        String source = p.path("EventSourceArn").asText();
        for (Resource queue : template.ofType("AWS::SQS::Queue")) {
            String arn = new LocalValues().attribute(queue.logicalId(), "Arn").orElseThrow();
            if (arn.equals(source)) {
                if (!patterns.isEmpty()) {
                    throw new Intrinsics.Unresolvable(mapping.logicalId(), "Properties.FilterCriteria",
                            "event filtering of a queue is not emulated locally, and running without it would deliver what AWS would not");
                }
                queueMappings.add(new QueueMapping(mapping.logicalId(), function.spec().name(), queueUrls.get(queue.logicalId()),
                        arn, p.path("BatchSize").asInt(10), reports));
                return;
            }
        }
        if (streamArns.containsValue(source)) {
            if (p.has("MaximumRecordAgeInSeconds") && p.get("MaximumRecordAgeInSeconds").asInt() != -1) {
                LOG.warn("event source {}: MaximumRecordAgeInSeconds is not emulated locally: no record is discarded for its age",
                        mapping.logicalId());
            }
            String destination = p.path("DestinationConfig").path("OnFailure").path("Destination").asText("");
            String failureUrl = null;
            FailureQueueSpec failure = null;
            if (!destination.isEmpty()) {
                failureUrl = queueByArn(destination, mapping.logicalId(), "Properties.DestinationConfig.OnFailure.Destination").orElseThrow();
                failure = new FailureQueueSpec(GlintResources.STREAM_CONSUMER.onFailure().logicalName(),
                        GlintResources.STREAM_CONSUMER.onFailure().envVar(), 14);
            }
            Predicate<ChangeRecord> filter = null;
            if (!patterns.isEmpty()) {
                try {
                    filter = StreamFilter.of(patterns);
                } catch (IllegalArgumentException e) {
                    throw new Intrinsics.Unresolvable(mapping.logicalId(), "Properties.FilterCriteria", e.getMessage());
                }
            }
            streamMappings.add(new StreamMapping(mapping.logicalId(), source, failureUrl, new StreamConsumerSpec(
                    function.spec().name(), p.path("BatchSize").asInt(100), p.path("MaximumRetryAttempts").asInt(-1), reports,
                    p.path("BisectBatchOnFunctionError").asBoolean(false), failure), filter));
            return;
        }
        throw new Intrinsics.Unresolvable(mapping.logicalId(), "Properties.EventSourceArn",
                source + " is neither a queue nor a table stream of this template");
    }

    // ---- the HTTP API ----

    /** The API whose integration calls a {@code live} alias (else the first): its routes and JWT authorizer. */
    private void api() {
        List<Resource> integrations = template.ofType("AWS::ApiGatewayV2::Integration");
        if (integrations.isEmpty()) {
            return;
        }
        // The HTTP API's: the WebSocket API (realtime) has integrations on a live alias too, and is read by webSocketApi().
        Set<String> httpApis = new java.util.HashSet<>();
        template.ofType("AWS::ApiGatewayV2::Api").stream()
                .filter(api -> !"WEBSOCKET".equals(api.property("ProtocolType").asText("")))
                .forEach(api -> new LocalValues().ref(api.logicalId()).ifPresent(httpApis::add));
        List<Resource> http = integrations.stream().filter(i -> httpApis.contains(intrinsics.string(i, "ApiId"))).toList();
        if (http.isEmpty()) {
            return;
        }
        Resource integration = http.stream()
                .filter(i -> intrinsics.string(i, "IntegrationUri").endsWith(":live")).findFirst().orElse(http.get(0));
        String apiId = intrinsics.string(integration, "ApiId");
        for (Resource route : template.ofType("AWS::ApiGatewayV2::Route")) {
            if (!intrinsics.string(route, "ApiId").equals(apiId)) {
                continue;
            }
            String key = intrinsics.string(route, "RouteKey");
            String type = route.properties().has("AuthorizationType") ? intrinsics.string(route, "AuthorizationType") : "NONE";
            boolean jwt = switch (type) {
                case "NONE" -> false;
                case "JWT" -> true;
                default -> throw new Intrinsics.Unresolvable(route.logicalId(), "Properties.AuthorizationType",
                        type + " authorization is not emulated locally");
            };
            if (jwt) {
                String authorizerId = intrinsics.string(route, "AuthorizerId");
                Resource found = template.ofType("AWS::ApiGatewayV2::Authorizer").stream()
                        .filter(a -> authorizerId.equals(new LocalValues().ref(a.logicalId()).orElse(null))).findFirst()
                        .orElseThrow(() -> new Intrinsics.Unresolvable(route.logicalId(), "Properties.AuthorizerId",
                                authorizerId + " is not an authorizer of this template"));
                JsonNode config = intrinsics.property(found, "JwtConfiguration");
                Authorizer a = new Authorizer(config.path("Issuer").asText(), each(config.path("Audience"), JsonNode::asText));
                if (authorizer != null && !authorizer.equals(a)) {
                    throw new Intrinsics.Unresolvable(found.logicalId(), "Properties.JwtConfiguration",
                            "the local gateway issues tokens for one authorizer, and this API has two");
                }
                authorizer = a;
            }
            if (key.equals("$default")) {
                routes.add(new Route(key, null, null, jwt));
            } else {
                String[] parts = key.split(" ", 2);
                routes.add(new Route(key, parts[0], parts[1], jwt));
            }
        }
    }

    // ---- the WebSocket API ----

    private static boolean isWebSocket(Resource api) {
        return "WEBSOCKET".equals(api.property("ProtocolType").asText(""));
    }

    /**
     * The WebSocket API: its stage, route selection, routes and their Lambda integrations, the routes
     * with a route response, and the {@code $connect} route's REQUEST authorizer.
     */
    private void webSocketApi() {
        List<Resource> apis = template.ofType("AWS::ApiGatewayV2::Api").stream().filter(TemplateStack::isWebSocket).toList();
        if (apis.isEmpty()) {
            return;
        }
        if (apis.size() > 1) {
            throw new Intrinsics.Unresolvable(apis.get(1).logicalId(), "Properties.ProtocolType",
                    "the local stack serves one WebSocket API, and this template has " + apis.size());
        }
        Resource api = apis.get(0);
        LocalValues values = new LocalValues();
        String apiId = values.ref(api.logicalId()).orElseThrow();
        String expression = api.properties().has("RouteSelectionExpression") ? intrinsics.string(api, "RouteSelectionExpression") : "";
        if (!expression.matches("\\$request\\.body\\.[A-Za-z0-9_]+")) {
            throw new Intrinsics.Unresolvable(api.logicalId(), "Properties.RouteSelectionExpression",
                    "only $request.body.<field> is emulated locally, not '" + expression + "'");
        }
        Resource stage = template.ofType("AWS::ApiGatewayV2::Stage").stream()
                .filter(s -> apiId.equals(intrinsics.string(s, "ApiId"))).findFirst()
                .orElseThrow(() -> new Intrinsics.Unresolvable(api.logicalId(), "Properties",
                        "a WebSocket API without a stage (AWS::ApiGatewayV2::Stage) takes no connections"));
        Map<String, String> routeKeys = new LinkedHashMap<>();
        Map<String, String> routeFunctions = new LinkedHashMap<>();
        String authorizerFunction = null;
        List<String> identitySources = List.of();
        for (Resource route : template.ofType("AWS::ApiGatewayV2::Route")) {
            if (!apiId.equals(intrinsics.string(route, "ApiId"))) {
                continue;
            }
            String key = intrinsics.string(route, "RouteKey");
            routeKeys.put(values.ref(route.logicalId()).orElseThrow(), key);
            if (route.properties().has("Target")) {
                String target = intrinsics.string(route, "Target");
                if (!target.startsWith("integrations/")) {
                    throw new Intrinsics.Unresolvable(route.logicalId(), "Properties.Target", "expected integrations/<id>, not " + target);
                }
                String integrationId = target.substring("integrations/".length());
                Resource integration = template.ofType("AWS::ApiGatewayV2::Integration").stream()
                        .filter(i -> integrationId.equals(values.ref(i.logicalId()).orElse(null))).findFirst()
                        .orElseThrow(() -> new Intrinsics.Unresolvable(route.logicalId(), "Properties.Target",
                                integrationId + " is not an integration of this template"));
                String type = intrinsics.string(integration, "IntegrationType");
                if (!type.equals("AWS_PROXY")) {
                    throw new Intrinsics.Unresolvable(integration.logicalId(), "Properties.IntegrationType",
                            type + " integrations are not emulated locally; Lambda proxy (AWS_PROXY) is");
                }
                routeFunctions.put(key, invoked(intrinsics.string(integration, "IntegrationUri"), integration.logicalId(),
                        "Properties.IntegrationUri").spec().name());
            }
            String type = route.properties().has("AuthorizationType") ? intrinsics.string(route, "AuthorizationType") : "NONE";
            if (type.equals("NONE")) {
                continue;
            }
            if (!type.equals("CUSTOM") || !key.equals("$connect")) {
                throw new Intrinsics.Unresolvable(route.logicalId(), "Properties.AuthorizationType", type + " on " + key
                        + " is not emulated locally: a WebSocket API's Lambda (CUSTOM) authorizer on $connect is");
            }
            String authorizerId = intrinsics.string(route, "AuthorizerId");
            Resource found = template.ofType("AWS::ApiGatewayV2::Authorizer").stream()
                    .filter(a -> authorizerId.equals(values.ref(a.logicalId()).orElse(null))).findFirst()
                    .orElseThrow(() -> new Intrinsics.Unresolvable(route.logicalId(), "Properties.AuthorizerId",
                            authorizerId + " is not an authorizer of this template"));
            if (!"REQUEST".equals(intrinsics.string(found, "AuthorizerType"))) {
                throw new Intrinsics.Unresolvable(found.logicalId(), "Properties.AuthorizerType", "a WebSocket API's authorizer is REQUEST");
            }
            authorizerFunction = invoked(intrinsics.string(found, "AuthorizerUri"), found.logicalId(), "Properties.AuthorizerUri").spec().name();
            identitySources = each(intrinsics.property(found, "IdentitySource"), JsonNode::asText);
            for (String source : identitySources) {
                if (!source.startsWith("route.request.querystring.") && !source.startsWith("route.request.header.")) {
                    throw new Intrinsics.Unresolvable(found.logicalId(), "Properties.IdentitySource",
                            source + " is not emulated locally: route.request.querystring.NAME and route.request.header.NAME are");
                }
            }
        }
        Set<String> twoWay = new java.util.HashSet<>();
        for (Resource response : template.ofType("AWS::ApiGatewayV2::RouteResponse")) {
            if (apiId.equals(intrinsics.string(response, "ApiId"))) {
                String key = routeKeys.get(intrinsics.string(response, "RouteId"));
                if (key == null) {
                    throw new Intrinsics.Unresolvable(response.logicalId(), "Properties.RouteId", "not a route of the WebSocket API");
                }
                twoWay.add(key);
            }
        }
        webSocketApi = new WebSocketApi(api.logicalId(), apiId, intrinsics.string(stage, "StageName"), expression.substring("$request.body.".length()),
                Map.copyOf(routeFunctions), Set.copyOf(twoWay), authorizerFunction, identitySources);
    }

    /**
     * The function an API Gateway integration or authorizer URI invokes: {@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function
     * or alias ARN>/invocations}, or the function's ARN itself.
     */
    private LocalFunction invoked(String uri, String logicalId, String property) {
        String arn = uri;
        int at = uri.indexOf(":lambda:path/2015-03-31/functions/");
        if (at >= 0) {
            arn = uri.substring(at + ":lambda:path/2015-03-31/functions/".length()).replaceFirst("/invocations$", "");
        }
        String[] parts = arn.split(":");
        String name = arn.startsWith("arn:") && parts.length > 6 ? parts[6] : parts[0];
        return functions.stream().filter(f -> f.physicalName().equals(name)).findFirst()
                .orElseThrow(() -> new Intrinsics.Unresolvable(logicalId, property, uri + " is not a function the local stack runs"));
    }

    /** API Gateway's route selection: the most specific route for the method and path, else {@code $default}. */
    LocalGateway.Routes gatewayRoutes() {
        return new LocalGateway.Routes() {
            @Override
            public boolean requiresToken(String method, String path) {
                return match(method, path).map(Route::jwt).orElse(true);
            }

            @Override
            public String routeKey(String method, String path) {
                return match(method, path).map(Route::routeKey).orElse("$default");
            }
        };
    }

    Optional<Route> match(String method, String path) {
        Route best = null;
        int bestScore = -1;
        for (Route route : routes) {
            if (route.method() == null) {
                continue;
            }
            if (!route.method().equals("ANY") && !route.method().equals(method)) {
                continue;
            }
            int score = pathScore(route.path(), path);
            if (score < 0) {
                continue;
            }
            score = score * 2 + (route.method().equals("ANY") ? 0 : 1);
            if (score > bestScore) {
                best = route;
                bestScore = score;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        return routes.stream().filter(r -> r.method() == null).findFirst();
    }

    /** -1 when the route's path does not match; more for literal segments than parameters, least for a greedy one. */
    private static int pathScore(String pattern, String path) {
        String[] want = pattern.split("/", -1);
        String[] have = path.split("/", -1);
        int score = 0;
        for (int i = 0; i < want.length; i++) {
            String segment = want[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                return i < have.length ? score : -1;
            }
            if (i >= have.length) {
                return -1;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (have[i].isEmpty()) {
                    return -1;
                }
                score += 1;
            } else if (segment.equals(have[i])) {
                score += 3;
            } else {
                return -1;
            }
        }
        return want.length == have.length ? score + 1 : -1;
    }
}
