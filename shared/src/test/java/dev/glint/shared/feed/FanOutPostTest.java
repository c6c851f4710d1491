package dev.glint.shared.feed;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.social.InMemoryPosts;
import dev.glint.shared.social.InMemoryProfiles;
import dev.glint.shared.social.Photo;
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
        final Map<String, java.util.TreeSet<String>> feeds = new HashMap<>();
        final Set<String> done = new HashSet<>();
        final Map<String, Map<String, Instant>> celebrities = new HashMap<>();
        final Set<String> promoted = new HashSet<>();
        final Set<String> started = new HashSet<>();
        int trims;

        @Override
        public void push(String postId, String authorId, Collection<String> userIds) {
            userIds.forEach(user -> pushes.computeIfAbsent(postId, p -> new ArrayList<>()).add(user));
            userIds.forEach(user -> feeds.computeIfAbsent(user, u -> new java.util.TreeSet<>()).add(postId));
        }

        @Override
        public void trim(String userId, int keep) {
            trims++;
            java.util.TreeSet<String> feed = feeds.getOrDefault(userId, new java.util.TreeSet<>());
            while (feed.size() > keep) {
                feed.pollFirst();
            }
        }

        @Override
        public boolean promoted(String authorId) {
            return promoted.contains(authorId);
        }

        @Override
        public void markPromoted(String authorId) {
            promoted.add(authorId);
            demoting.remove(authorId);
        }

        @Override
        public boolean startPromotion(String authorId) {
            return started.add(authorId);
        }

        final Set<String> demoting = new HashSet<>();

        @Override
        public boolean startDemotion(String authorId) {
            return demoting.add(authorId);
        }

        @Override
        public void markDemoted(String authorId) {
            promoted.remove(authorId);
            started.remove(authorId);
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
        public void followCelebrity(String userId, String celebrityId, Instant since) {
            celebrities.computeIfAbsent(userId, u -> new HashMap<>()).put(celebrityId, since);
        }

        @Override
        public void unfollowCelebrity(String userId, String celebrityId) {
            celebrities.getOrDefault(userId, new HashMap<>()).remove(celebrityId);
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
        posts.create(new Post(postId, author, "", PostStatus.PROCESSING, java.util.List.of(Photo.of("up", "k", "", null)),
                clock.instant(), 0, 0, null, 1));
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
        assertTrue(feeds.celebrities.values().stream().allMatch(set -> set.keySet().equals(Set.of("author"))));

        String second = readyPost(author);
        feeds.celebrities.clear();
        worker.accept(FanoutJob.firstPage(second, author), new MessageConsumer.Delivery("m", 1));
        assertEquals(0, drain(worker), "later posts cost no fan-out messages");
        assertEquals(Map.of(), feeds.celebrities, "and no follower writes");
    }

    @Test
    void anAuthorWhoBecomesACelebrityBetweenPagesHasEveryFollowerPullThemFromTheFirstOn() {
        String author = authorWithFollowers(150);
        String postId = readyPost(author);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 160);

        worker.accept(FanoutJob.firstPage(postId, author), new MessageConsumer.Delivery("m", 1));
        assertEquals(101, feeds.pushes.get(postId).size(), "the first page was pushed: not a celebrity yet");
        for (int i = 0; i < 20; i++) {
            people.save("late" + i, "late_" + i, "L", "", clock.instant());
            people.follow("late" + i, author, ids.next(), clock.instant());
        }
        drain(worker);

        assertEquals(170, feeds.celebrities.size(), "every follower, those of the pushed page too, pulls the author");
        assertTrue(feeds.promoted.contains(author), "and the author is promoted for good");
        posts.sent.clear();
        worker.accept(FanoutJob.firstPage(readyPost(author), author), new MessageConsumer.Delivery("m", 1));
        assertEquals(0, drain(worker), "a promoted author's later posts cost no messages");
    }

    @Test
    void aCelebrityBelowEightyPercentOfTheThresholdIsPushedAgainAndTheirFollowersStopPullingWithoutMissingAPost() {
        String author = authorWithFollowers(150);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 100);
        String asCelebrity = readyPost(author);
        worker.accept(FanoutJob.firstPage(asCelebrity, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);
        assertTrue(feeds.promoted.contains(author));

        // 150 -> 85 followers: within the band (80 % of 100 and up), still pulled, nothing moves.
        for (int i = 85; i < 150; i++) {
            people.unfollow("f" + i, author);
            feeds.unfollowCelebrity("f" + i, author);
        }
        String inBand = readyPost(author);
        worker.accept(FanoutJob.firstPage(inBand, author), new MessageConsumer.Delivery("m", 1));
        assertEquals(0, drain(worker), "no demotion within the band");
        assertEquals(List.of("author"), feeds.pushes.get(inBand), "pulled, not pushed");
        assertEquals(85, feeds.celebrities.values().stream().filter(c -> c.containsKey(author)).count());

        // 85 -> 79: below the line. The post is pushed to every follower, and the demotion gives each the
        // author's recent posts, then stops them pulling.
        for (int i = 79; i < 85; i++) {
            people.unfollow("f" + i, author);
            feeds.unfollowCelebrity("f" + i, author);
        }
        String below = readyPost(author);
        worker.accept(FanoutJob.firstPage(below, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);
        // Pushed by its fan-out and again by the demotion's back-fill (a push of a post already in a feed changes nothing).
        assertEquals(80, new HashSet<>(feeds.pushes.get(below)).size(), "79 followers and the author");
        assertTrue(!feeds.promoted.contains(author), "the promotion is forgotten");
        assertEquals(0, feeds.celebrities.values().stream().filter(c -> c.containsKey(author)).count(), "nobody pulls the author");
        for (int i = 0; i < 79; i++) {
            assertTrue(feeds.feeds.get("f" + i).containsAll(List.of(asCelebrity, inBand, below)),
                    "f" + i + " has every post of the author pushed: " + feeds.feeds.get("f" + i));
        }
        String pushed = readyPost(author);
        worker.accept(FanoutJob.firstPage(pushed, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);
        assertEquals(80, feeds.pushes.get(pushed).size(), "a later post: pushed once to each, no demotion again");

        // Rising again past the threshold promotes again, from the first follower: no page of the first
        // promotion counts as done.
        for (int i = 0; i < 30; i++) {
            people.save("new" + i, "new_" + i, "N", "", clock.instant());
            people.follow("new" + i, author, ids.next(), clock.instant());
        }
        String again = readyPost(author);
        worker.accept(FanoutJob.firstPage(again, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);
        assertTrue(feeds.promoted.contains(author));
        assertEquals(109, feeds.celebrities.values().stream().filter(c -> c.containsKey(author)).count(),
                "every one of the 109 followers pulls the author again");
    }

    @Test
    void eachPushedPageNudgesItsFollowersAndACelebritysPostNudgesNobody() {
        String author = authorWithFollowers(150);
        String postId = readyPost(author);
        List<String> nudged = new ArrayList<>();
        NewPostNudges nudges = (post, by, handle, followers) -> followers.stream().filter(f -> !f.equals(by))
                .forEach(f -> nudged.add(post + " " + f));
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 10_000, nudges);
        worker.accept(FanoutJob.firstPage(postId, author), new MessageConsumer.Delivery("m", 1));
        drain(worker);
        assertEquals(150, nudged.size(), "every follower once, over both pages");
        assertEquals(150, new HashSet<>(nudged).size());

        nudged.clear();
        FanOutPost celebrity = new FanOutPost(posts, people, people, feeds, posts, 100, nudges);
        celebrity.accept(FanoutJob.firstPage(readyPost(author), author), new MessageConsumer.Delivery("m", 1));
        drain(celebrity);
        assertEquals(List.of(), nudged, "a celebrity's followers learn on their next read");
    }

    @Test
    void aPushNowAndThenTrimsAFeedToItsLimit() {
        String author = authorWithFollowers(1);
        FanOutPost worker = new FanOutPost(posts, people, people, feeds, posts, 10_000);
        int pushes = FanOutPost.MAX_FEED + 1_000;
        for (int i = 0; i < pushes; i++) {
            worker.accept(FanoutJob.firstPage(readyPost(author), author), new MessageConsumer.Delivery("m" + i, 1));
        }

        int size = feeds.feeds.get("f0").size();
        // A trim is due with chance 1/32 at each push: 450 pushes without one happen once in a million runs.
        assertTrue(size <= FanOutPost.MAX_FEED + 450, "the follower's feed holds " + size + " entries");
        assertTrue(feeds.trims > 10 && feeds.trims < 200, "trimmed now and then, not on every push: " + feeds.trims);
        assertEquals(feeds.feeds.get("f0").last(), feeds.pushes.keySet().stream().max(String::compareTo).orElseThrow(),
                "the newest entries are the ones kept");
    }
}
