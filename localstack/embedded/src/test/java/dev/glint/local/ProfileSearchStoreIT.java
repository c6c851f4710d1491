package dev.glint.local;

import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.aws.SearchBackfill;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import dev.glint.shared.social.SearchTerms;
import dev.glint.shared.social.SocialException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The people search index on DynamoDB Local: written with the profile, read by prefix, never scanned. */
class ProfileSearchStoreIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static DynamoProfileStore profiles;
    private static Accounts accounts;

    @BeforeAll
    static void start() {
        profiles = new DynamoProfileStore(stack.clients().dynamoDb(), stack.config().table());
        accounts = new Accounts(profiles, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
    }

    /** A word no other test's profiles have, so each test reads only its own people. */
    private static String word() {
        StringBuilder word = new StringBuilder("q");
        ThreadLocalRandom.current().ints(6, 'a', 'z' + 1).forEach(c -> word.append((char) c));
        return word.toString();
    }

    private static List<String> handles(String query) {
        return accounts.search(SearchTerms.query(query), 50, Optional.empty()).items().stream().map(Profile::handle).toList();
    }

    /** The terms beginning with a prefix the table holds for a user, read the way the index is: by its key. */
    private static Set<String> entries(String prefix, String userId) {
        Set<String> terms = new TreeSet<>();
        stack.clients().dynamoDb().queryPaginator(r -> r.tableName(stack.config().table())
                        .keyConditionExpression("pk = :pk").consistentRead(true)
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.searchPartition(prefix)))))
                .items().forEach(item -> {
                    if (userId.equals(item.get("userId").s()) && item.get("term").s().startsWith(prefix)) {
                        terms.add(item.get("term").s());
                    }
                });
        return terms;
    }

    @Test
    void aProfileIsFoundByEveryWordOfItsNameAndItsHandleAccentsAndCaseAside() {
        String w = word();
        accounts.putMe("s-jose-" + w, Optional.of("jose_" + w), Optional.of("José Álvarez" + " " + w.toUpperCase()), Optional.empty());

        assertEquals(List.of("jose_" + w), handles(w.substring(0, 5)));
        assertEquals(List.of("jose_" + w), handles("ÁLVAREZ " + w));
        assertEquals(List.of("jose_" + w), handles("@JOSE" + w.substring(0, 2)));
        assertEquals(List.of("jose_" + w), handles("jose " + w));
    }

    @Test
    void aRenameDeletesTheOldTermsEntriesInTheSameWrite() {
        String oldWord = word();
        String newWord = word();
        String user = "s-rename-" + oldWord;
        accounts.putMe(user, Optional.of("h" + oldWord), Optional.of("Pat " + oldWord), Optional.empty());
        assertEquals(Set.of("h" + oldWord), entries("h" + oldWord, user));
        assertEquals(Set.of(oldWord), entries(oldWord, user));

        accounts.putMe(user, Optional.of("h" + newWord), Optional.of("Pat " + newWord), Optional.empty());

        assertEquals(Set.of(), entries(oldWord, user));
        assertEquals(Set.of(), entries("h" + oldWord, user));
        assertEquals(Set.of(newWord), entries(newWord, user));
        assertEquals(List.of(), handles(oldWord));
        assertEquals(List.of("h" + newWord), handles(newWord));
        assertTrue(handles("pat " + newWord).contains("h" + newWord));
    }

    @Test
    void aRenameBetweenTheLongestNamesFitsOneTransaction() {
        String w = word();
        String user = "s-long-" + w;
        String handle = "a1_b2_c3_d4_e5_f6_g7_" + w;
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (char c = 'a'; c < 'a' + 16; c++) {
            first.append(c).append('x').append(' ');
            second.append(c).append('y').append(' ');
        }
        accounts.putMe(user, Optional.of(handle), Optional.of(first.toString().strip()), Optional.empty());
        Profile renamed = accounts.putMe(user, Optional.of(handle + "z"), Optional.of(second.toString().strip()), Optional.empty());

        assertEquals(second.toString().strip(), renamed.displayName());
        assertEquals(Set.of("ay"), entries("ay", user));
        assertEquals(Set.of(), entries("ax", user));
        assertTrue(SearchTerms.of(handle, first.toString()).size() + SearchTerms.of(handle + "z", second.toString()).size() + 3 <= 100);
    }

    @Test
    void pagesFollowTheTermOrderAndATokenOfAnotherPrefixIsRefused() {
        String w = word();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            accounts.putMe("s-page-" + w + i, Optional.of(w + "_" + i), Optional.of("Page " + i), Optional.empty());
            expected.add(w + "_" + i);
        }

        List<String> seen = new ArrayList<>();
        Optional<PageToken> after = Optional.empty();
        do {
            Page<Profile> page = accounts.search(SearchTerms.query(w), 3, after);
            assertTrue(page.items().size() <= 3);
            page.items().forEach(p -> seen.add(p.handle()));
            after = page.next();
        } while (after.isPresent());
        assertEquals(expected, seen);

        Page<ProfileStore.SearchEntry> first = profiles.search(w, 1, Optional.empty());
        PageToken token = first.next().orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> profiles.search("zz", 1, Optional.of(token)));
    }

    @Test
    void aTakenHandleLeavesTheIndexAsItWas() {
        String w = word();
        accounts.putMe("s-taken-a-" + w, Optional.of("ta_" + w), Optional.of("Alpha"), Optional.empty());
        accounts.putMe("s-taken-b-" + w, Optional.of("tb_" + w), Optional.of("Beta"), Optional.empty());

        SocialException taken = assertThrows(SocialException.class, () ->
                accounts.putMe("s-taken-a-" + w, Optional.of("tb_" + w), Optional.of("Gamma " + w), Optional.empty()));

        assertEquals("handle_taken", taken.code());
        assertEquals(Set.of(), entries("gamma", "s-taken-a-" + w));
        assertEquals(List.of("ta_" + w), handles("ta" + w));
    }

    @Test
    void aProfileMadeBeforeTheIndexIsFoundOnceTheBackfillRanAndRunningItAgainChangesNothing() {
        String w = word();
        String user = "s-legacy-" + w;
        accounts.putMe(user, Optional.of("old_" + w), Optional.of("Legacy " + w), Optional.empty());
        for (String term : SearchTerms.of("old_" + w, "Legacy " + w)) {
            stack.clients().dynamoDb().deleteItem(r -> r.tableName(stack.config().table()).key(Map.of(
                    "pk", AttributeValue.fromS(Keys.searchEntry(term, user).pk()),
                    "sk", AttributeValue.fromS(Keys.searchEntry(term, user).sk()))));
        }
        assertEquals(List.of(), handles(w), "as a profile made before the index");

        SearchBackfill backfill = new SearchBackfill(stack.clients().dynamoDb(), stack.config().table());
        for (int run = 0; run < 2; run++) {
            int indexed = 0;
            for (int segment = 0; segment < 2; segment++) {
                Optional<PageToken> position = Optional.empty();
                do {
                    SearchBackfill.Progress progress = backfill.page(segment, 2, position);
                    indexed += progress.indexed();
                    position = progress.next();
                } while (position.isPresent());
            }
            assertTrue(indexed >= 1, "every profile of the table, this one among them: " + indexed);
            assertEquals(List.of("old_" + w), handles(w));
            assertEquals(List.of("old_" + w), handles("legacy " + w));
            assertEquals(Set.of(w), entries(w, user));
        }
    }
}
