package dev.glint.realtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.json.Json;
import dev.glint.shared.realtime.InMemoryConnections;
import dev.glint.shared.realtime.Subscriptions;
import dev.glint.shared.social.PostStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket routes on API Gateway-shaped sample events from {@code events/websocket}. */
class RealtimeHandlerTest {

    private static final String USER = "5f0c6a0e-2c3b-4b8f-9f3a-1d2e3f4a5b6c";
    private static final String CONNECTION = "PT9hWdLjoAMCKPw=";

    private final InMemoryConnections connections = new InMemoryConnections();
    private final PostStore noPosts = (PostStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{PostStore.class}, (proxy, method, args) -> Optional.empty());
    private final RealtimeHandler handler = new RealtimeHandler(
            new RealtimeComposition(new Subscriptions(connections, noPosts, Clock.systemUTC())));

    private APIGatewayV2WebSocketResponse handle(String sample) {
        return handler.handleRequest(SampleEvents.load("websocket/" + sample, APIGatewayV2WebSocketEvent.class),
                LocalContext.forTest("realtime"));
    }

    @Test
    void connectRecordsTheAuthorizedUsersConnection() {
        assertEquals(200, handle("connect.json").getStatusCode());
        assertEquals(USER, connections.byId.get(CONNECTION).userId());
    }

    @Test
    void subscribeAnswersTheConnectionsTopics() throws Exception {
        handle("connect.json");
        var response = handle("subscribe.json");
        assertEquals(200, response.getStatusCode());
        assertEquals("[\"notifications\",\"feed\"]", Json.readTree(response.getBody()).path("subscribed").toString());
        assertEquals(Set.of("notifications", "feed"), connections.byId.get(CONNECTION).topics());
    }

    @Test
    void anUnknownTopicIsRefusedWithAReasonAndNothingSubscribed() throws Exception {
        handle("connect.json");
        var response = handle("subscribe-unknown-topic.json");
        assertEquals(400, response.getStatusCode());
        var error = Json.readTree(response.getBody()).path("error");
        assertEquals("unknown_topic", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("everything"));
        assertTrue(connections.byId.get(CONNECTION).topics().isEmpty());
    }

    @Test
    void anyOtherMessageIsAnsweredWithWhatToSend() throws Exception {
        var response = handle("default.json");
        assertEquals("unknown_action", Json.readTree(response.getBody()).path("error").path("code").asText());
    }

    @Test
    void aDeletedAccountsConnectIsRefusedAndRecordsNothing() throws Exception {
        var erasing = new RealtimeHandler(new RealtimeComposition(new Subscriptions(connections, noPosts, Clock.systemUTC(),
                dev.glint.shared.social.Blocks.NONE, USER::equals)));
        var response = erasing.handleRequest(SampleEvents.load("websocket/connect.json", APIGatewayV2WebSocketEvent.class),
                LocalContext.forTest("realtime"));
        assertEquals(401, response.getStatusCode());
        assertEquals("account_deleted", Json.readTree(response.getBody()).path("error").path("code").asText());
        assertFalse(connections.byId.containsKey(CONNECTION));
    }

    @Test
    void disconnectRemovesTheConnection() {
        handle("connect.json");
        assertEquals(200, handle("disconnect.json").getStatusCode());
        assertFalse(connections.byId.containsKey(CONNECTION));
    }

    @Test
    void anEventWithoutAnAuthorizedUserIsRefused() {
        var event = SampleEvents.load("websocket/connect.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setAuthorizer(null);
        var response = handler.handleRequest(event, LocalContext.forTest("realtime"));
        assertEquals(401, response.getStatusCode());
        assertTrue(connections.byId.isEmpty());
    }

    @Test
    void theEntryPointReadsEventsAsTheRuntimesSerializerDoes() throws Exception {
        for (String sample : List.of("connect.json", "subscribe.json", "disconnect.json", "default.json")) {
            byte[] json = Files.readAllBytes(SampleEvents.dir().resolve("websocket").resolve(sample));
            var ours = RealtimeLambda.event(Json.readTree(json));
            var runtime = SampleEvents.load("websocket/" + sample, APIGatewayV2WebSocketEvent.class);
            assertEquals(runtime.getRequestContext().getRouteKey(), ours.getRequestContext().getRouteKey(), sample);
            assertEquals(runtime.getRequestContext().getConnectionId(), ours.getRequestContext().getConnectionId(), sample);
            assertEquals(runtime.getBody(), ours.getBody(), sample);
            assertEquals(RealtimeHandler.userOf(runtime.getRequestContext().getAuthorizer()),
                    RealtimeHandler.userOf(ours.getRequestContext().getAuthorizer()), sample);
        }
        assertNull(RealtimeLambda.toJson(new APIGatewayV2WebSocketResponse()).get("body"));
    }
}
