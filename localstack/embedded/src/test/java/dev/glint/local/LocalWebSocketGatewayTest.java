package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as an API description configures it (as template mode reads one): the route selection
 * field, which routes answer the client (those with a route response), a message no route takes, and
 * the identity source checked before the authorizer runs.
 */
class LocalWebSocketGatewayTest {

    private static final AtomicInteger AUTHORIZED = new AtomicInteger();
    private static final ConcurrentLinkedQueue<String> ROUTED = new ConcurrentLinkedQueue<>();
    private static LocalConnections connections;
    private static LocalWebSocketGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer = (event, context) -> {
            AUTHORIZED.incrementAndGet();
            String token = event.getQueryStringParameters().get("key");
            var statement = "good".equals(token) ? IamPolicyResponseV1.allowStatement(event.getMethodArn())
                    : IamPolicyResponseV1.denyStatement(event.getMethodArn());
            return IamPolicyResponseV1.builder().withPrincipalId("u1").withContext(Map.of("userId", "u1"))
                    .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder().withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                            .withStatement(List.of(statement)).build()).build();
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function = (event, context) -> {
            ROUTED.add(event.getRequestContext().getRouteKey());
            APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
            response.setStatusCode(200);
            response.setBody("{\"route\":\"" + event.getRequestContext().getRouteKey() + "\"}");
            return response;
        };
        var integration = new LocalWebSocketGateway.Integration("fn", function);
        var api = new LocalWebSocketGateway.Api("abc123", "live", "/live", "kind",
                Map.of("$connect", integration, "$disconnect", integration, "echo", integration, "ping", integration),
                Set.of("echo"), new LocalWebSocketGateway.Authorizer("auth", authorizer, List.of("route.request.querystring.key")));
        connections = new LocalConnections("live");
        gateway = LocalWebSocketGateway.start(api, connections, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        connections.close();
    }

    private static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return null;
        }
    }

    private static WebSocket connect(String query, Client client) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(gateway.endpoint() + query), client).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTwoWayRouteAnswersAOneWayRouteRunsSilentlyAndAMessageNoRouteTakesIsForbidden() throws Exception {
        assertEquals("/live", gateway.endpoint().getPath(), "the stage's path");
        Client client = new Client();
        WebSocket socket = connect("?key=good", client);
        socket.sendText("{\"kind\":\"echo\"}", true).join();
        assertEquals("{\"route\":\"echo\"}", client.received.poll(5, TimeUnit.SECONDS), "routed by the body's kind field");

        socket.sendText("{\"kind\":\"ping\"}", true).join();
        long deadline = System.currentTimeMillis() + 5000;
        while (!ROUTED.contains("ping") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ROUTED.contains("ping"), "the one-way route ran");

        socket.sendText("{\"action\":\"echo\"}", true).join();
        String refused = client.received.poll(5, TimeUnit.SECONDS);
        assertNotNull(refused);
        assertTrue(refused.startsWith("{\"message\":\"Forbidden\",\"connectionId\":"), "no $default route: " + refused);
        assertNull(client.received.poll(300, TimeUnit.MILLISECONDS), "nothing from the one-way route: " + client.received);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aConnectionWithoutTheIdentitySourceIsRefusedBeforeTheAuthorizerRunsAndADeniedOneAfter() throws Exception {
        int before = AUTHORIZED.get();
        var missing = assertThrows(ExecutionException.class, () -> connect("?token=good", new Client()));
        assertInstanceOf(java.net.http.WebSocketHandshakeException.class, missing.getCause());
        assertEquals(before, AUTHORIZED.get(), "no identity source: the authorizer is not called");

        var denied = assertThrows(ExecutionException.class, () -> connect("?key=bad", new Client()));
        assertInstanceOf(java.net.http.WebSocketHandshakeException.class, denied.getCause());
        assertEquals(before + 1, AUTHORIZED.get());
    }
}
