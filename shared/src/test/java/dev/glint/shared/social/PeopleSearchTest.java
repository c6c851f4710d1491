package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding people by the beginning of their handle or name, on the in-memory profiles. */
class PeopleSearchTest {

    private final InMemoryProfiles people = new InMemoryProfiles();
    private final Accounts accounts = new Accounts(people, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));

    private void profile(String userId, String handle, String displayName) {
        accounts.putMe(userId, Optional.of(handle), Optional.of(displayName), Optional.empty());
    }

    private List<String> handles(String query) {
        return handles(query, 50);
    }

    private List<String> handles(String query, int limit) {
        return accounts.search(SearchTerms.query(query), limit, Optional.empty()).items().stream().map(Profile::handle).toList();
    }

    @Test
    void aPersonIsFoundByAnyNameWordOrTheirHandleWhateverTheAccentsAndCase() {
        profile("u1", "jalvarez", "José Álvarez");
        profile("u2", "joanna", "Joanna Smith");
        profile("u3", "bob", "Bob");

        assertEquals(List.of("jalvarez"), handles("jose"));
        assertEquals(List.of("jalvarez"), handles("ÁLV"));
        assertEquals(List.of("joanna"), handles("@JOA"));
        assertEquals(List.of("joanna", "jalvarez"), handles("jo"), "in the order of the term each is listed by");
        assertEquals(List.of("joanna"), handles("@jo smi"));
        assertEquals(List.of(), handles("zz"));
    }

    @Test
    void someoneMatchingByHandleAndBySeveralNameWordsIsListedOnceAcrossPages() {
        profile("u1", "jojo", "Jo Jones Jolly");
        for (int i = 0; i < 5; i++) {
            profile("v" + i, "jo_" + i, "Other " + i);
        }

        List<String> seen = new ArrayList<>();
        Optional<PageToken> after = Optional.empty();
        int pages = 0;
        do {
            Page<Profile> page = accounts.search(SearchTerms.query("jo"), 2, after);
            assertTrue(page.items().size() <= 2);
            page.items().forEach(p -> seen.add(p.handle()));
            after = page.next();
            pages++;
        } while (after.isPresent() && pages < 20);

        assertEquals(6, seen.size(), "every one once: " + seen);
        assertEquals(6, seen.stream().distinct().count(), "nobody twice: " + seen);
    }

    @Test
    void aRenamedPersonIsFoundByTheNewNameAndNoLongerByTheOld() {
        profile("u1", "pat_old", "Patricia Oldname");
        accounts.putMe("u1", Optional.of("pat_new"), Optional.of("Patricia Newname"), Optional.empty());

        assertEquals(List.of(), handles("oldname"));
        assertEquals(List.of(), handles("patold"));
        assertEquals(List.of("pat_new"), handles("newn"));
        assertEquals(List.of("pat_new"), handles("patr"));
        assertEquals(0, people.searchEntries.keySet().stream().filter(k -> k.startsWith("old")).count(),
                "the old name's entries are gone, not just hidden");
    }

    @Test
    void anEntryTheProfileNoLongerHasIsSkipped() {
        profile("u1", "sam", "Sam Stale");
        people.searchEntries.put("stalest u1", new ProfileStore.SearchEntry("stalest", "u1"));

        assertEquals(List.of(), handles("stalest"));
        assertEquals(List.of("sam"), handles("stale"));
    }

    @Test
    void aShortPageIsFilledFromTheNextEntriesUpToTheLimit() {
        profile("u1", "kim", "Kim Kimura Kimball");
        profile("u2", "kimberly", "Kimberly");

        assertEquals(List.of("kim", "kimberly"), handles("kim", 2), "u1's other entries are skipped, the page goes on");
    }
}
