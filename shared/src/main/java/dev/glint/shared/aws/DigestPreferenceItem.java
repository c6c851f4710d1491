package dev.glint.shared.aws;

import dev.glint.shared.digest.DigestFrequency;
import dev.glint.shared.digest.DigestPreference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Digest items: the preference ({@code USER#<user>/DIGEST-PREFERENCE}, with a version for optimistic
 * writes), the index entry of an opted-in user ({@code DIGEST#<frequency>#<shard>/<user>}, carrying the
 * address so the job reads nothing else to find whom to mail), and the per-period sent claim
 * ({@code DIGESTSENT#<user>/<period>}, expiring; {@code released} when a failed send gave it back).
 */
final class DigestPreferenceItem {

    static final String FREQUENCY = "frequency";
    static final String EMAIL = "email";
    static final String VERSION = "version";
    static final String RELEASED = "released";

    private DigestPreferenceItem() {
    }

    static Map<String, AttributeValue> preference(DigestPreference preference, long version) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(ENTITY, s("digest-preference"),
                "userId", s(preference.userId()), FREQUENCY, s(preference.frequency().wire()), VERSION, n(version)));
        preference.email().ifPresent(email -> item.put(EMAIL, s(email)));
        return DynamoTable.item(Keys.digestPreference(preference.userId()), item);
    }

    static Map<String, AttributeValue> indexEntry(DigestPreference preference) {
        return DynamoTable.item(Keys.digestIndexEntry(preference.frequency().wire(), Keys.digestShard(preference.userId()),
                preference.userId()), Map.of(ENTITY, s("digest-subscriber"), "userId", s(preference.userId()),
                EMAIL, s(preference.email().orElseThrow())));
    }

    static Map<String, AttributeValue> sent(String userId, String periodKey, long ttl, boolean released) {
        return DynamoTable.item(Keys.digestSent(userId, periodKey), Map.of(ENTITY, s("digest-sent"), TTL, n(ttl),
                RELEASED, AttributeValue.fromBool(released)));
    }

    static DigestPreference fromPreference(Map<String, AttributeValue> item) {
        return new DigestPreference(str(item, "userId"),
                DigestFrequency.parse(str(item, FREQUENCY)).orElse(DigestFrequency.OFF), Optional.ofNullable(str(item, EMAIL)));
    }

    static long version(Map<String, AttributeValue> item) {
        return num(item, VERSION);
    }

    /** An index entry as the job reads it: the frequency comes from the partition the query read. */
    static DigestPreference fromIndexEntry(DigestFrequency frequency, Map<String, AttributeValue> item) {
        return new DigestPreference(str(item, "userId"), frequency, Optional.ofNullable(str(item, EMAIL)));
    }
}
