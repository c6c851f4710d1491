package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each function's role allows what that function's code calls, on the resources it calls it on, and
 * nothing on {@code *} that reads or writes data; every role of a stage is pinned, statement by
 * statement.
 */
class LeastPrivilegeTest {

    /** Actions that read or write Glint's data. None may apply to every resource. */
    private static final Pattern DATA_ACTION = Pattern.compile(
            "\\*|[a-z0-9-]+:\\*|dynamodb:(Get|Put|Update|Delete|Query|Scan|Batch|Condition|PartiQL|GetRecords|GetShardIterator|DescribeStream).*"
                    + "|s3:(Get|Put|Delete|List|Abort|Restore|Replicate).*|sqs:(Send|Receive|Delete|Change|Purge).*"
                    + "|secretsmanager:GetSecretValue");

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = SynthesizedStages.stage("prod").template();
    }

    @Test
    void noRoleAllowsADataActionOnEveryResource() {
        template.findResources("AWS::IAM::Policy").forEach((id, policy) -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                    policy.get("Properties")).get("PolicyDocument")).get("Statement");
            for (Map<String, Object> statement : statements) {
                if (Templates.list(statement.get("Resource")).contains("*")) {
                    for (Object action : Templates.list(statement.get("Action"))) {
                        assertFalse(DATA_ACTION.matcher(action.toString()).matches(), id + " allows " + action + " on *");
                    }
                }
            }
        });
        // The only actions on * are those AWS offers no resource-level permission for.
        assertEquals(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListStreams"), actionsOnEveryResource());
    }

    @Test
    void theApiUsesTheTablePresignsUploadsAndMediaAndEnqueuesWork() {
        FunctionSpec api = GlintResources.API_FUNCTION;
        assertAllowed(api, "dynamodb:PutItem", ref("DataTable", "Arn"));
        assertAllowed(api, "dynamodb:Query", ref("DataTable", "Arn"));
        assertAllowed(api, "dynamodb:DeleteItem", ref("DataTable", "Arn"));
        assertAllowed(api, "s3:PutObject", objects("DataUploadsBucket", "/uploads/*"));
        assertAllowed(api, "s3:GetObject", objects("DataUploadsBucket", "/uploads/*"));
        assertAllowed(api, "s3:GetObject", objects("DataMediaBucket", "/media/*"));
        assertAllowed(api, "s3:GetBucketLocation", ref("DataMediaBucket", "Arn"));
        assertAllowed(api, "sqs:SendMessage", ref("DataMediaQueue", "Arn"));
        assertAllowed(api, "sqs:SendMessage", ref("DataFanoutQueue", "Arn"));
        // At init it reads the media signing key (prod has an edge), that secret only: the cursor key is
        // resolved by CloudFormation at deploy time.
        assertAllowed(api, "secretsmanager:GetSecretValue", resource -> resource instanceof Map<?, ?> map
                && String.valueOf(map.get("Ref")).startsWith("EdgeMediaSigningKeySecret"));
        assertNever(api, "secretsmanager:GetSecretValue", resource -> !(resource instanceof Map<?, ?> map
                && String.valueOf(map.get("Ref")).startsWith("EdgeMediaSigningKeySecret")));
        // It calls neither Scan nor BatchWriteItem, reads no index, and lists no bucket.
        assertNever(api, action -> action.startsWith("s3:DeleteObject") || action.equals("sqs:ReceiveMessage")
                || action.equals("sqs:DeleteMessage")
                || (action.startsWith("secretsmanager:") && !action.equals("secretsmanager:GetSecretValue"))
                || action.equals("dynamodb:Scan") || action.equals("dynamodb:BatchWriteItem") || action.startsWith("s3:List"));
        assertNever(api, "s3:PutObject", objects("DataMediaBucket", "/media/*"));
    }

    @Test
    void theMediaWorkerReadsAndDeletesUploadsWritesMediaAndConsumesItsQueue() {
        FunctionSpec worker = GlintResources.MEDIA_WORKER_FUNCTION;
        assertAllowed(worker, "s3:GetObject", objects("DataUploadsBucket", "/uploads/*"));
        assertAllowed(worker, "s3:DeleteObject", objects("DataUploadsBucket", "/uploads/*"));
        assertAllowed(worker, "s3:PutObject", objects("DataMediaBucket", "/media/*"));
        assertAllowed(worker, "dynamodb:UpdateItem", ref("DataTable", "Arn"));
        assertAllowed(worker, "sqs:ReceiveMessage", ref("DataMediaQueue", "Arn"));
        assertAllowed(worker, "sqs:ChangeMessageVisibility", ref("DataMediaQueue", "Arn"));
        assertAllowed(worker, "sqs:SendMessage", ref("DataFanoutQueue", "Arn"));
        // A deleted post's purge: its renditions listed and deleted, its engagement deleted in batches, the next page enqueued.
        assertAllowed(worker, "s3:DeleteObject", objects("DataMediaBucket", "/media/*"));
        assertAllowed(worker, "s3:ListBucket", ref("DataMediaBucket", "Arn"));
        assertAllowed(worker, "dynamodb:BatchWriteItem", ref("DataTable", "Arn"));
        assertAllowed(worker, "sqs:SendMessage", ref("DataMediaQueue", "Arn"));
        assertNever(worker, "s3:DeleteObject", objects("DataUploadsBucket", "/media/*"));
        assertNever(worker, "s3:PutObject", objects("DataUploadsBucket", "/uploads/*"));
        assertNever(worker, "sqs:ReceiveMessage", ref("DataFanoutQueue", "Arn"));
        assertNever(worker, action -> action.equals("dynamodb:Scan") || action.equals("dynamodb:DeleteItem")
                || action.equals("dynamodb:PutItem"));
    }

    @Test
    void theMediaWorkerListsTheMediaBucketUnderMediaOnlyAndTheUploadsBucketUnderUploadsAndExportsOnly() {
        var statements = Templates.statements(template, GlintResources.MEDIA_WORKER_FUNCTION).stream()
                .filter(statement -> Templates.list(statement.get("Action")).contains("s3:ListBucket")).toList();
        assertEquals(3, statements.size(), statements.toString());
        java.util.Set<Object> uploadsPrefixes = new java.util.HashSet<>();
        for (var statement : statements) {
            boolean media = ref("DataMediaBucket", "Arn").test(statement.get("Resource"));
            // An account erasure lists the user's originals (uploads/<user>/) and export archives (exports/<user>/);
            // a purge a post's renditions.
            assertTrue(media || ref("DataUploadsBucket", "Arn").test(statement.get("Resource")), statement.toString());
            if (media) {
                assertEquals(Map.of("StringLike", Map.of("s3:prefix", List.of(DataResources.MEDIA_OBJECTS))), statement.get("Condition"));
            } else {
                uploadsPrefixes.add(statement.get("Condition"));
            }
        }
        assertEquals(java.util.Set.of(Map.of("StringLike", Map.of("s3:prefix", List.of(DataResources.UPLOAD_OBJECTS))),
                Map.of("StringLike", Map.of("s3:prefix", List.of(DataResources.EXPORT_OBJECTS)))), uploadsPrefixes);
    }

    @Test
    void dataExportsAreWrittenByTheMediaWorkerUnderExportsAndDownloadedThroughTheApisPresignedGet() {
        FunctionSpec worker = GlintResources.MEDIA_WORKER_FUNCTION;
        // The photos are read from their renditions; the archive put, and deleted by an erasure.
        assertAllowed(worker, "s3:GetObject", objects("DataMediaBucket", "/media/*"));
        assertAllowed(worker, "s3:PutObject", objects("DataUploadsBucket", "/exports/*"));
        assertAllowed(worker, "s3:DeleteObject", objects("DataUploadsBucket", "/exports/*"));
        assertAllowed(worker, "dynamodb:BatchGetItem", ref("DataTable", "Arn"));
        assertNever(worker, "s3:GetObject", objects("DataUploadsBucket", "/exports/*"));
        FunctionSpec api = GlintResources.API_FUNCTION;
        assertAllowed(api, "s3:GetObject", objects("DataUploadsBucket", "/exports/*"));
        assertNever(api, "s3:PutObject", objects("DataUploadsBucket", "/exports/*"));
        assertNever(api, "s3:DeleteObject", objects("DataUploadsBucket", "/exports/*"));
    }

    @Test
    void theMediaWorkerDeletesSignInsOfItsOwnUserPoolOnlyAndQueriesTheIndexOnly() {
        FunctionSpec worker = GlintResources.MEDIA_WORKER_FUNCTION;
        assertAllowed(worker, "cognito-idp:AdminDeleteUser", ref("DataUsers", "Arn"));
        assertNever(worker, "cognito-idp:AdminDeleteUser", ref("DataTable", "Arn"));
        assertNever(worker, action -> action.startsWith("cognito-idp:") && !action.equals("cognito-idp:AdminDeleteUser"));
        var index = Templates.statements(template, worker).stream()
                .filter(statement -> String.valueOf(statement.get("Resource")).contains("/index/")).toList();
        assertEquals(1, index.size(), index.toString());
        assertEquals(List.of("dynamodb:Query"), Templates.list(index.get(0).get("Action")));
    }

    @Test
    void theFanoutWorkerUsesTheTableAndItsOwnQueueOnly() {
        FunctionSpec worker = GlintResources.FANOUT_WORKER_FUNCTION;
        assertAllowed(worker, "dynamodb:BatchWriteItem", ref("DataTable", "Arn"));
        assertAllowed(worker, "sqs:ReceiveMessage", ref("DataFanoutQueue", "Arn"));
        assertAllowed(worker, "sqs:SendMessage", ref("DataFanoutQueue", "Arn"));
        // It deletes and checks items only as steps of transactions: a follow request becoming a follow when an
        // account is made public (the request's two items go, the follow's three come, in one TransactWriteItems).
        assertAllowed(worker, "dynamodb:DeleteItem", ref("DataTable", "Arn"));
        assertAllowed(worker, "dynamodb:ConditionCheckItem", ref("DataTable", "Arn"));
        assertNever(worker, action -> action.startsWith("s3:") || action.equals("dynamodb:Scan"));
        assertNever(worker, "sqs:SendMessage", ref("DataMediaQueue", "Arn"));
    }

    @Test
    void theStreamProcessorReadsTheStreamUsesTheTableAndReportsFailuresOnly() {
        FunctionSpec processor = GlintResources.STREAM_PROCESSOR_FUNCTION;
        assertAllowed(processor, "dynamodb:GetRecords", ref("DataTable", "StreamArn"));
        assertAllowed(processor, "dynamodb:PutItem", ref("DataTable", "Arn"));
        assertAllowed(processor, "sqs:SendMessage", ref("DataStreamFailuresQueue", "Arn"));
        assertNever(processor, action -> action.startsWith("s3:") || action.equals("sqs:ReceiveMessage")
                || action.equals("dynamodb:Scan") || action.equals("dynamodb:DeleteItem"));
        // It queries the table itself (a user's connections, a post's watchers, for realtime events), never an index.
        assertAllowed(processor, "dynamodb:Query", ref("DataTable", "Arn"));
        assertNever(processor, "dynamodb:Query", resource -> resource.toString().contains("/index/"));
        assertAllowed(processor, "sqs:SendMessage", ref("DataMediaQueue", "Arn"));
        assertNever(processor, "sqs:SendMessage", ref("DataFanoutQueue", "Arn"));
    }

    @Test
    void onlyThePublishersPostToWebSocketConnectionsAndOnlyToTheirStagesOnes() {
        Predicate<Object> connections = resource -> resource instanceof Map<?, ?> map && map.get("Fn::Join") instanceof List<?> join
                && join.get(1).toString().contains("RealtimeWebSocketApi") && join.get(1).toString().endsWith("/live/*/@connections/*]");
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            boolean publisher = spec.equals(GlintResources.STREAM_PROCESSOR_FUNCTION) || spec.equals(GlintResources.FANOUT_WORKER_FUNCTION);
            if (publisher) {
                assertAllowed(spec, "execute-api:ManageConnections", connections);
            }
            assertNever(spec, "execute-api:ManageConnections", resource -> !connections.test(resource));
            if (!publisher) {
                assertNever(spec, action -> action.startsWith("execute-api:"));
            }
        }
    }

    @Test
    void theRealtimeFunctionKeepsConnectionsInTheTableAndTheAuthorizerCallsNothing() {
        FunctionSpec realtime = GlintResources.REALTIME_FUNCTION;
        for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem")) {
            assertAllowed(realtime, action, ref("DataTable", "Arn"));
        }
        assertNever(realtime, action -> action.startsWith("s3:") || action.startsWith("sqs:") || action.equals("dynamodb:Scan")
                || action.equals("dynamodb:Query") || action.equals("dynamodb:DeleteItem"));
        assertNever(GlintResources.REALTIME_AUTHORIZER_FUNCTION, action -> !action.startsWith("logs:") && !action.startsWith("xray:"));
    }

    /**
     * Every role of the stage, with every statement it is allowed, equals the reviewed list in
     * {@code src/test/resources/dev/glint/infra/iam-<stage>.txt}: a new grant anywhere, by a construct
     * or a grant method, is a visible diff. After a deliberate change, regenerate the file with
     * {@code -Dglint.iam.update=true} and review the diff.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRolesActionsAndResourcesAreExactlyTheReviewedOnes(String stage) throws IOException {
        String actual = IamSnapshot.render(SynthesizedStages.stage(stage).template());
        Path expected = Path.of("src/test/resources/dev/glint/infra/iam-" + stage + ".txt");
        if (Boolean.getBoolean("glint.iam.update")) {
            Files.writeString(expected, actual);
        }
        Path written = Path.of("target/iam-" + stage + ".actual.txt");
        Files.createDirectories(written.getParent());
        Files.writeString(written, actual);
        assertEquals(Files.readString(expected), actual, "the " + stage + " roles changed: compare " + expected + " with "
                + written + "; if the change is meant, run with -Dglint.iam.update=true and commit the reviewed file");
    }

    @Test
    void functionsWriteTheirOwnLogGroupOnlyAndUseNoManagedPolicy() {
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            String prefix = "Functions" + DataResources.construct(spec.name()) + "Logs";
            assertAllowed(spec, "logs:PutLogEvents", ref(prefix, "Arn"));
            assertNever(spec, action -> action.equals("logs:CreateLogGroup"));
        }
        template.findResources("AWS::IAM::Role").forEach((id, role) -> {
            if (id.startsWith("Functions")) {
                assertFalse(((Map<?, ?>) role.get("Properties")).containsKey("ManagedPolicyArns"), id + " has a managed policy");
            }
        });
    }

    private static Set<String> actionsOnEveryResource() {
        Set<String> actions = new TreeSet<>();
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            for (Map<String, Object> statement : Templates.statements(template, spec)) {
                if (Templates.list(statement.get("Resource")).contains("*")) {
                    Templates.list(statement.get("Action")).forEach(action -> actions.add(action.toString()));
                }
            }
        }
        return actions;
    }

    /** A resource that refers to the logical id starting with {@code prefix}, by Fn::GetAtt. */
    private static Predicate<Object> ref(String prefix, String attribute) {
        return resource -> resource instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> att
                && att.get(0).toString().startsWith(prefix) && att.get(1).equals(attribute);
    }

    /** An ARN built as {@code <bucket ARN><suffix>}. */
    private static Predicate<Object> objects(String bucketPrefix, String suffix) {
        return resource -> resource instanceof Map<?, ?> map && map.get("Fn::Join") instanceof List<?> join
                && join.get(1) instanceof List<?> parts && parts.size() == 2
                && ref(bucketPrefix, "Arn").test(parts.get(0)) && suffix.equals(parts.get(1));
    }

    private static Predicate<Object> index(String tablePrefix) {
        return objects(tablePrefix, "/index/*");
    }

    private static void assertAllowed(FunctionSpec spec, String action, Predicate<Object> resource) {
        assertTrue(allows(spec, action, resource), spec.name() + " may not " + action + " where it must");
    }

    private static void assertNever(FunctionSpec spec, String action, Predicate<Object> resource) {
        assertFalse(allows(spec, action, resource), spec.name() + " may " + action + " where it must not");
    }

    private static void assertNever(FunctionSpec spec, Predicate<String> action) {
        for (Map<String, Object> statement : Templates.statements(template, spec)) {
            for (Object granted : Templates.list(statement.get("Action"))) {
                assertFalse(action.test(granted.toString()), spec.name() + " may " + granted);
            }
        }
    }

    private static boolean allows(FunctionSpec spec, String action, Predicate<Object> resource) {
        return Templates.statements(template, spec).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .filter(statement -> Templates.list(statement.get("Action")).contains(action))
                .anyMatch(statement -> Templates.list(statement.get("Resource")).stream().anyMatch(resource));
    }
}
