package dev.glint.shared.aws;

import dev.glint.shared.realtime.ConnectionSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link ConnectionSender} through API Gateway's management API ({@code POST @connections/{id}}).
 * The API takes one connection a call, so a batch's sends run on a few threads at once; a 410
 * ({@code GoneException}) reports the connection gone.
 */
public final class ApiGatewayConnectionSender implements ConnectionSender {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayConnectionSender.class);
    /** Sends in flight at once: enough to hide a call's latency, few enough for one function's threads. */
    static final int PARALLEL_SENDS = 8;

    private final ApiGatewayManagementApiClient client;
    private final ExecutorService pool;

    public ApiGatewayConnectionSender(ApiGatewayManagementApiClient client) {
        this.client = client;
        this.pool = Executors.newFixedThreadPool(PARALLEL_SENDS, runnable -> {
            Thread thread = new Thread(runnable, "glint-realtime-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Map<String, Outcome> sendAll(Collection<String> connectionIds, String message) {
        SdkBytes data = SdkBytes.fromUtf8String(message);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        if (connectionIds.size() == 1) {
            String id = connectionIds.iterator().next();
            outcomes.put(id, send(id, data));
            return outcomes;
        }
        List<Map.Entry<String, Future<Outcome>>> pending = new ArrayList<>();
        for (String id : connectionIds) {
            pending.add(Map.entry(id, pool.submit(() -> send(id, data))));
        }
        for (Map.Entry<String, Future<Outcome>> entry : pending) {
            try {
                outcomes.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                LOG.warn("sending to connection {} failed", entry.getKey(), e.getCause());
                outcomes.put(entry.getKey(), Outcome.FAILED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending to connections", e);
            }
        }
        return outcomes;
    }

    private Outcome send(String connectionId, SdkBytes data) {
        try {
            client.postToConnection(r -> r.connectionId(connectionId).data(data));
            return Outcome.SENT;
        } catch (GoneException e) {
            return Outcome.GONE;
        } catch (RuntimeException e) {
            LOG.warn("sending to connection {} failed", connectionId, e);
            return Outcome.FAILED;
        }
    }
}
