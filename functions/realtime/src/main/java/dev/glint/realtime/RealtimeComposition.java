package dev.glint.realtime;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoAccountErasure;
import dev.glint.shared.aws.DynamoConnectionStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoSafetyStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.social.Profile;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.realtime.Subscriptions;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the {@code realtime} function is put together, once per container: connections and
 * subscriptions over the table, and the posts a subscription to a post's counts is checked against.
 */
public record RealtimeComposition(Subscriptions subscriptions) {

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static RealtimeComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /** From an environment as Lambda would set it (the local stack's template mode). */
    public static RealtimeComposition fromEnvironment(Map<String, String> env, Function<GlintConfig, AwsClients> clients) {
        return of(clients.apply(GlintConfig.fromEnv(env)));
    }

    public static RealtimeComposition of(AwsClients clients) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        var safety = new DynamoSafetyStore(dynamo, config.table());
        var profiles = new DynamoProfileStore(dynamo, config.table());
        var follows = new DynamoFollowStore(dynamo, config.table());
        // GetItems rather than a batch: a subscription is rare, and the function's role reads by key only. The
        // author hidden from a subscriber: blocked either way, or a private account the subscriber does not follow.
        return new RealtimeComposition(new Subscriptions(new DynamoConnectionStore(dynamo, config.table(), clock),
                new DynamoPostStore(dynamo, config.table()), clock,
                (userId, others) -> others.stream().filter(other -> !other.equals(userId)
                        && (safety.blocks(userId, other) || safety.blocks(other, userId)
                        || profiles.find(other, false).map(Profile::locked).orElse(false) && !follows.follows(userId, other)))
                        .collect(Collectors.toSet()),
                // A deleted account's tombstone, read strongly by key on each $connect.
                new DynamoAccountErasure(dynamo, config.table())::erased));
    }
}
