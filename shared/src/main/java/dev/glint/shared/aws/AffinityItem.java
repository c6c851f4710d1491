package dev.glint.shared.aws;

import dev.glint.shared.feed.AffinityStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/** "reader interacted with author recently" ({@code AFFINITY#<reader>/<author>}), expiring by TTL. */
final class AffinityItem {

    static final String ENTITY_NAME = "affinity";

    private AffinityItem() {
    }

    static Map<String, AttributeValue> toItem(AffinityStore.Interaction interaction, Duration lifetime) {
        return DynamoTable.referencing(DynamoTable.item(Keys.affinity(interaction.readerId(), interaction.authorId()), Map.of(
                ENTITY, s(ENTITY_NAME), "authorId", s(interaction.authorId()), "at", s(interaction.at().toString()),
                TTL, n(interaction.at().plus(lifetime).getEpochSecond()))), interaction.authorId());
    }

    /** Whether the interaction still lifts its author at {@code epochSecond} (TTL deletes lazily). */
    static boolean liveAt(Map<String, AttributeValue> item, long epochSecond) {
        return num(item, TTL) > epochSecond;
    }

    static String authorOf(Map<String, AttributeValue> item) {
        return required(item, "authorId");
    }
}
