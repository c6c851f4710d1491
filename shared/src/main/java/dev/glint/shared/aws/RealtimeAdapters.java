package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.realtime.ConnectionSender;
import dev.glint.shared.realtime.Publisher;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** How a publishing function (stream processor, fan-out worker) finds the WebSocket API it posts to. */
public final class RealtimeAdapters {

    private RealtimeAdapters() {
    }

    /**
     * The management endpoint from {@link GlintResources#ENV_REALTIME_ENDPOINT}; empty when unset.
     *
     * @throws GlintConfig.ConfigurationException if it is set but not an absolute URL
     */
    public static Optional<URI> endpoint(Map<String, String> env) {
        return GlintConfig.optionalUrl(env, GlintResources.ENV_REALTIME_ENDPOINT);
    }

    /** A publisher over the table's connections; one that sends nothing when there is no endpoint. */
    public static Publisher publisher(AwsClients clients, Optional<URI> endpoint) {
        ConnectionSender sender = endpoint.<ConnectionSender>map(uri -> new ApiGatewayConnectionSender(clients.managementApi(uri)))
                .orElse(ConnectionSender.NONE);
        return new Publisher(new DynamoConnectionStore(clients.dynamoDb(), clients.config().table(), Clock.systemUTC()), sender);
    }
}
