package dev.glint.local;

import dev.glint.shared.aws.DynamoDigestPreferenceStore;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.digest.DigestFrequency;
import dev.glint.shared.digest.DigestPreference;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Digest preferences on DynamoDB Local: the preference and its index entry move together, the job's claims hold once. */
class DigestPreferenceStoreIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static DynamoDigestPreferenceStore store;

    @BeforeAll
    static void start() {
        store = new DynamoDigestPreferenceStore(stack.clients().dynamoDb(), stack.config().table());
    }

    private static String user() {
        return "dg-" + UUID.randomUUID();
    }

    /** The index entries the table holds for a user, read by key from every shard of every frequency. */
    private static List<String> entries(String userId) {
        List<String> found = new ArrayList<>();
        for (DigestFrequency frequency : List.of(DigestFrequency.DAILY, DigestFrequency.WEEKLY)) {
            for (int shard = 0; shard < Keys.DIGEST_SHARDS; shard++) {
                var key = Keys.digestIndexEntry(frequency.wire(), shard, userId);
                var item = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk())))).item();
                if (item != null && !item.isEmpty()) {
                    found.add(frequency.wire() + "#" + shard + " " + item.get("email").s());
                }
            }
        }
        return found;
    }

    private static DigestPreference on(String user, DigestFrequency frequency, String email) {
        return new DigestPreference(user, frequency, Optional.of(email));
    }

    @Test
    void theIndexFollowsThePreferenceThroughEveryChange() {
        String user = user();
        int shard = Keys.digestShard(user);
        assertEquals(Optional.empty(), store.find(user));

        store.save(on(user, DigestFrequency.DAILY, "a@example.com"));
        assertEquals(List.of("daily#" + shard + " a@example.com"), entries(user));
        assertEquals(Optional.of(on(user, DigestFrequency.DAILY, "a@example.com")), store.find(user));

        store.save(on(user, DigestFrequency.DAILY, "b@example.com"));
        assertEquals(List.of("daily#" + shard + " b@example.com"), entries(user), "a new address replaces the entry's");

        store.save(on(user, DigestFrequency.WEEKLY, "b@example.com"));
        assertEquals(List.of("weekly#" + shard + " b@example.com"), entries(user), "moved, not copied");

        store.save(DigestPreference.off(user));
        assertEquals(List.of(), entries(user));
        assertEquals(Optional.of(DigestPreference.off(user)), store.find(user));
    }

    @Test
    void concurrentChangesLeaveOneEntryMatchingTheLastPreference() throws Exception {
        String user = user();
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                DigestFrequency frequency = i % 3 == 0 ? DigestFrequency.OFF : i % 3 == 1 ? DigestFrequency.DAILY : DigestFrequency.WEEKLY;
                writes.add(() -> {
                    store.save(frequency == DigestFrequency.OFF ? DigestPreference.off(user) : on(user, frequency, "c@example.com"));
                    return null;
                });
            }
            for (var future : pool.invokeAll(writes)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        DigestPreference last = store.find(user).orElseThrow();
        List<String> entries = entries(user);
        if (last.frequency() == DigestFrequency.OFF) {
            assertEquals(List.of(), entries);
        } else {
            assertEquals(List.of(last.frequency().wire() + "#" + Keys.digestShard(user) + " c@example.com"), entries);
        }
    }

    @Test
    void aShardIsReadPageByPageByQuery() {
        String prefix = "pg-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> mine = new ArrayList<>();
        for (int i = 0; mine.size() < 7; i++) {
            String user = prefix + i;
            if (Keys.digestShard(user) == 3) {
                store.save(on(user, DigestFrequency.WEEKLY, user + "@example.com"));
                mine.add(user);
            }
        }
        List<String> seen = new ArrayList<>();
        Optional<PageToken> cursor = Optional.empty();
        int pages = 0;
        do {
            Page<DigestPreference> page = store.subscribers(DigestFrequency.WEEKLY, 3, 3, cursor);
            page.items().forEach(p -> {
                assertEquals(DigestFrequency.WEEKLY, p.frequency());
                assertEquals(Optional.of(p.userId() + "@example.com"), p.email());
                seen.add(p.userId());
            });
            cursor = page.next();
            pages++;
        } while (cursor.isPresent());
        assertTrue(seen.containsAll(mine), seen.toString());
        assertTrue(pages >= 3, "7 users, 3 a page");
        assertEquals(Keys.DIGEST_SHARDS, store.shards());
    }

    @Test
    void aPeriodIsClaimedOnceUntilAFailedSendGivesItBack() {
        String user = user();
        Instant expires = Instant.now().plusSeconds(3600);
        assertTrue(store.claim(user, "daily-2026-11-30", expires));
        assertFalse(store.claim(user, "daily-2026-11-30", expires));
        assertTrue(store.claim(user, "daily-2026-12-01", expires), "another period");
        store.release(user, "daily-2026-11-30");
        assertTrue(store.claim(user, "daily-2026-11-30", expires), "given back");
        assertFalse(store.claim(user, "daily-2026-11-30", expires));
    }
}
