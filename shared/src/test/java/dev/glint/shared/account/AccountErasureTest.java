package dev.glint.shared.account;

import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.MessageConsumer.Delivery;
import dev.glint.shared.messages.QueueMessage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The erasure's chain of pages over in-memory steps and tombstones: order, replays, early pages, crashes. */
class AccountErasureTest {

    private static final Delivery ONCE = new Delivery("m", 1);

    /** A step over a list of items: each page deletes up to two and says whether more are left. */
    static final class ListStep implements ErasureStep {
        final String name;
        final List<String> items;
        final List<String> erased;
        int pages;

        ListStep(String name, List<String> items, List<String> erased) {
            this.name = name;
            this.items = new ArrayList<>(items);
            this.erased = erased;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<String> erasePage(String userId, Optional<String> cursor) {
            pages++;
            for (int i = 0; i < 2 && !items.isEmpty(); i++) {
                erased.add(items.remove(0));
            }
            return items.isEmpty() ? Optional.empty() : Optional.of("more");
        }
    }

    private final List<String> erased = new ArrayList<>();
    private final Deque<QueueMessage> queue = new ArrayDeque<>();
    private final InMemoryErasureLedger ledger = new InMemoryErasureLedger();
    private final ListStep posts = new ListStep("posts", List.of("p1", "p2", "p3"), erased);
    private final ListStep follows = new ListStep("follows", List.of("f1"), erased);
    private final AccountErasure erasure = new AccountErasure(ledger, List.of(posts, follows), queue::add,
            Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));

    private void drain() {
        while (!queue.isEmpty()) {
            erasure.accept((EraseJob) queue.poll(), ONCE);
        }
    }

    @Test
    void stepsRunInOrderAPageAMessageUntilTheTombstoneIsFinished() {
        new AccountDeletion(ledger, queue::add, erasure.firstStep(), Clock.systemUTC()).delete("u");
        drain();
        assertEquals(List.of("p1", "p2", "p3", "f1"), erased);
        assertEquals(2, posts.pages);
        assertEquals(1, follows.pages);
        assertTrue(ledger.progress("u").orElseThrow().finished());
    }

    @Test
    void aReplayedPageIsDroppedAndChangesNothing() {
        ledger.start("u", Instant.EPOCH);
        EraseJob first = EraseJob.firstPage("u", "posts");
        erasure.accept(first, ONCE);
        erasure.accept(first, new Delivery("m", 2));
        assertEquals(1, posts.pages, "the replay ran nothing");
        assertEquals(1, queue.size(), "and sent no second chain");
        drain();
        assertEquals(List.of("p1", "p2", "p3", "f1"), erased);
    }

    @Test
    void aPageArrivingBeforeItsPredecessorWasRecordedFailsAndIsRetried() {
        ledger.start("u", Instant.EPOCH);
        EraseJob early = new EraseJob(EraseJob.TYPE, EraseJob.VERSION, "u", "posts", "1", "more");
        assertThrows(IllegalStateException.class, () -> erasure.accept(early, ONCE));
        assertEquals(0, posts.pages);
    }

    @Test
    void aPageThatDiedAfterSendingItsSuccessorIsRunAgainAndTheChainStillEndsOnce() {
        ledger.start("u", Instant.EPOCH);
        // The first page did its work and sent the next, then died before recording it.
        AccountErasure dying = new AccountErasure(new InMemoryErasureLedger() {
            @Override
            public Optional<Progress> progress(String userId) {
                return ledger.progress(userId);
            }

            @Override
            public void advance(String userId, long page) {
                throw new IllegalStateException("the worker died");
            }
        }, List.of(posts, follows), queue::add, Clock.systemUTC());
        EraseJob first = EraseJob.firstPage("u", "posts");
        assertThrows(IllegalStateException.class, () -> dying.accept(first, ONCE));
        EraseJob sent = (EraseJob) queue.poll();
        assertThrows(IllegalStateException.class, () -> erasure.accept(sent, ONCE), "page 1 waits for page 0's record");
        erasure.accept(first, new Delivery("m", 2));   // the redelivery: runs again, finds p1 and p2 gone
        erasure.accept(sent, new Delivery("s", 2));    // the first copy of page 1, retried
        drain();                                      // the redelivery's copy of page 1 is dropped
        assertEquals(List.of("p1", "p2", "p3", "f1"), erased);
        assertTrue(ledger.progress("u").orElseThrow().finished());
    }

    @Test
    void withoutATombstoneNothingIsErased() {
        erasure.accept(EraseJob.firstPage("u", "posts"), ONCE);
        assertEquals(List.of(), erased);
        assertTrue(queue.isEmpty());
    }
}
