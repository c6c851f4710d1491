package dev.glint.shared.feed;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.social.InMemoryPosts;
import dev.glint.shared.social.InMemoryProfiles;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Upload;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out page by page, resumable, with no follower skipped or doubled, on in-memory stores. */
class FanOutPostTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProfiles people = new InMemoryProfiles();
    private final InMemoryPosts posts = new InMemoryPosts(people);
    private final RecordingFeeds feeds = new RecordingFeeds();
    private final Ids ids = new Ids(clock);

    /** Feed entries as a multiset: a follower pushed twice would show up twice here. */
    private static final class RecordingFeeds implements FeedStore {
        final Map<String, List<String>> pushes = new HashMap<>();
        final Set<String> done = new HashSet<>();
        final Map<String, Set<String>> celebrities = new HashMap<>();

        @Override
        public void push(String postId, String authorId, Collection<String> userIds) {
            userIds.forEach(user -> pushes.computeIfAbsent(postId, p -> new ArrayList<>()).add(user));
        }

        @Override
        public boolean pageDone(String postId, String page) {
            return done.contains(postId + "/" + page);
        }

        @Override
        public void markPageDone(String postId, String page) {
            done.add(postId + "/" + page);
        }

        @Override
        public void followCelebrity(String userId, String celebrityId) {
            celebrities.computeIfAbsent(userId, u -> new HashSet<>()).add(celebrityId);
        }

        @Override
        public void unfollowCelebrity(String userId, String celebrityId) {
            celebrities.getOrDefault(userId, new HashSet<>()).remove(celebrityId);
        }

        @Override
        public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds) {
            throw new UnsupportedOperationException();
        }
    }

    private String authorWithFollowers(int count) {
        people.save("author", "author", "A", "", clock.instant());
        for (int i = 0; i < count; i++) {
            String follower = "f" + i;
            people.save(follower, "follower_" + i, "F", "", clock.instant());
            people.follow(follower, "author", ids.next(), clock.instant());
        }
        return "author";
    }

    private String readyPost(String author) {
        String postId = ids.next();
        posts.uploads.put("up", new Upload("up", author, "k", "image/jpeg", 1, clock.instant().plusSeconds(60), null));
        posts.create(new Post(postId, author, "", PostStatus.PROCESSING, "up", clock.instant(), 0, 0, Map.of(), null, 1));
        posts.markReady(postId, Map.of("thumb", "media/" + postId + "/thumb.jpg"));
        return postId;
    }

    /** Delivers every queued message, as the fan-out queue would, until none is left. */
    private int drain(MessageConsumer<QueueMessage> worker) {
        int delivered = 0;
        while (!posts.sent.isEmpty()) {
            QueueMessage next = posts.sent.remove(0);
            worker.accept(next, new MessageConsumer.Delivery("m" + delivered, 1));
            delivered++;
        }
        return delivered;
    }

    @Test
    void everyFollowerGetsThePostOncePageByPage() {
        String author = authorWithFollowers(250);
        String postId = readyPost(author);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 10_000);

        worker.accept(FanoutJob.firstPage(postId, author), new MessageConsumer.Delivery("m", 1));
        int pages = 1 + drain(worker);

        assertEquals(3, pages, "250 followers in pages of " + FanOutPost.PAGE_SIZE);
        List<String> pushed = feeds.pushes.get(postId);
        assertEquals(251, pushed.size(), "each follower once, and the author");
        assertEquals(251, new HashSet<>(pushed).size());
    }

    @Test
    void aRedeliveredPageNeitherPushesAgainNorForksTheChain() {
        String author = authorWithFollowers(250);
        String postId = readyPost(author);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 10_000);
        FanoutJob first = FanoutJob.firstPage(postId, author);

        worker.accept(first, new MessageConsumer.Delivery("m", 1));
        QueueMessage second = posts.sent.get(0);
        drain(worker);
        worker.accept(first, new MessageConsumer.Delivery("m", 2));
        worker.accept(second, new MessageConsumer.Delivery("m2", 2));

        assertTrue(posts.sent.isEmpty(), "a finished page enqueues nothing again");
        assertEquals(251, feeds.pushes.get(postId).size());
    }

    @Test
    void aCelebritysPostIsNotPushedAndItsFollowersLearnToPullItOnce() {
        String author = authorWithFollowers(150);
        String first = readyPost(author);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 100);

        worker.accept(FanoutJob.firstPage(first, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);

        assertEquals(List.of("author"), feeds.pushes.get(first), "only the author's own feed");
        assertEquals(150, feeds.celebrities.size());
        assertTrue(feeds.celebrities.values().stream().allMatch(set -> set.equals(Set.of("author"))));

        String second = readyPost(author);
        feeds.celebrities.clear();
        worker.accept(FanoutJob.firstPage(second, author), new MessageConsumer.Delivery("m", 1));
        assertEquals(0, drain(worker), "later posts cost no fan-out messages");
        assertEquals(Map.of(), feeds.celebrities, "and no follower writes");
    }
}
