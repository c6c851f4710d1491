package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Template mode enforces the template's IAM: with {@code dynamodb:PutItem} taken out of the api role's
 * policy, the requests that need it fail with a 500 that carries the request id, nothing is written,
 * and the log names the denied action and resource; requests that do not need it still work.
 */
class TemplateIamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOVED = "dynamodb:PutItem";

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();
    @TempDir
    static Path folder;
    private static EmbeddedStack stack;
    private static ApiClient api;

    @BeforeAll
    static void startWithoutOnePermission() throws Exception {
        Path template = DevTemplate.configured();
        ObjectNode root = (ObjectNode) JSON.readTree(template.toFile());
        assertTrue(removeFromApiRole(root), "the api role's policy grants " + REMOVED + " in the template");
        Path narrowed = folder.resolve("without-put-item.template.json");
        Files.write(narrowed, JSON.writeValueAsBytes(root));
        stack = STACKS.start(options -> options.withTemplate(narrowed));
        api = new ApiClient(stack.apiEndpoint());
    }

    /** Takes the action out of every statement of the policies attached to the api function's role. */
    private static boolean removeFromApiRole(ObjectNode root) {
        JsonNode resources = root.path("Resources");
        String role = null;
        for (Iterator<JsonNode> it = resources.elements(); it.hasNext(); ) {
            JsonNode r = it.next();
            if (r.path("Type").asText().equals("AWS::Lambda::Function")
                    && r.path("Properties").path("Handler").asText().startsWith(GlintResources.API_FUNCTION.handlerClass())) {
                role = r.path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
            }
        }
        boolean removed = false;
        for (Iterator<JsonNode> it = resources.elements(); it.hasNext(); ) {
            JsonNode r = it.next();
            if (!r.path("Type").asText().equals("AWS::IAM::Policy")
                    || !r.path("Properties").path("Roles").toString().contains("\"" + role + "\"")) {
                continue;
            }
            for (JsonNode statement : r.path("Properties").path("PolicyDocument").path("Statement")) {
                JsonNode actions = statement.path("Action");
                if (actions.isArray()) {
                    ArrayNode kept = JSON.createArrayNode();
                    actions.forEach(a -> {
                        if (!a.asText().equals(REMOVED)) {
                            kept.add(a);
                        }
                    });
                    removed |= kept.size() != actions.size();
                    ((ObjectNode) statement).set("Action", kept);
                }
            }
        }
        return removed;
    }

    @Test
    void aRequestThatNeedsTheActionFailsWithItsRequestIdWritesNothingAndTheLogNamesTheDenial() throws Exception {
        String table = stack.config().table();
        ApiClient.Reply reply = api.json("PUT", "denied_user", "/v1/me", Map.of("handle", "denied_user"));

        assertEquals(500, reply.status(), reply.body());
        String requestId = reply.raw().headers().firstValue("x-request-id").orElseThrow();
        assertTrue(reply.body().contains(requestId), "the error names the request id to quote: " + reply.body());
        assertFalse(reply.body().contains("AccessDenied"), "no library detail reaches the response: " + reply.body());

        var items = stack.clients().dynamoDb().scan(r -> r.tableName(table)).items();
        assertTrue(items.stream().noneMatch(i -> i.toString().contains("denied_user")), "nothing half-written: " + items);

        String resource = "arn:aws:dynamodb:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT + ":table/" + table;
        assertTrue(stack.iamLedger().orElseThrow().deniedCalls("api").containsKey(REMOVED + " " + resource),
                stack.iamLedger().orElseThrow().deniedCalls("api").toString());
        String log = Files.readString(Path.of("target/test.log"));
        assertTrue(log.contains("IAM denied api: " + REMOVED + " on " + resource), "the log names action and resource");
    }

    @Test
    void requestsThatDoNotNeedItStillWork() {
        assertEquals(200, api.get(null, "/health").status());
        ApiClient.Reply me = api.get("reader", "/v1/me");
        assertTrue(me.status() == 404 || me.status() == 200, me.body());
    }
}
