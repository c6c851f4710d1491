package dev.glint.local;

import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.keys.Keys;
import dev.glint.shared.social.PageKey;
import dev.glint.shared.social.SocialException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The table adapters against DynamoDB Local, below the API. */
class DynamoStoresIT {

    private static LocalStack stack;
    private static DynamoProfileStore profiles;
    private static DynamoPostStore posts;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().withGatewayPort(0)
                .withPrefix("stores-" + UUID.randomUUID().toString().substring(0, 8)));
        var dynamo = stack.clients().dynamoDb();
        profiles = new DynamoProfileStore(dynamo, stack.config().table());
        posts = new DynamoPostStore(dynamo, stack.config().table());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRenameOntoATakenHandleChangesNothing() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        profiles.save("user-a", "handle_a", "A", "", now);
        profiles.save("user-b", "handle_b", "B", "", now);

        SocialException taken = assertThrows(SocialException.class, () -> profiles.save("user-a", "handle_b", "A2", "", now));

        assertEquals("handle_taken", taken.code());
        assertEquals("handle_a", profiles.find("user-a", true).orElseThrow().handle());
        assertEquals("A", profiles.find("user-a", true).orElseThrow().displayName());
        assertEquals(Optional.of("user-a"), profiles.ownerOf("HANDLE_A"));
        assertEquals(Optional.of("user-b"), profiles.ownerOf("handle_b"));
    }

    @Test
    void findAllReadsMoreThanOneBatchAndSkipsMissingIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            String id = "many-" + i;
            ids.add(id);
            if (i % 10 != 0) {
                profiles.save(id, "many_" + i, "M" + i, "", Instant.parse("2026-11-22T10:00:00Z"));
            }
        }
        assertEquals(117, profiles.findAll(ids).size());
    }

    @Test
    void aPageKeyFromAnotherListIsRefused() {
        PageKey foreign = new PageKey(Map.of("pk", Keys.feedPartition("someone-else"), "sk", "01JD3X9K2M4N5P6Q7R8S9T0V1W"));
        assertThrows(IllegalArgumentException.class, () -> posts.feed("me", 10, Optional.of(foreign)));
    }
}
