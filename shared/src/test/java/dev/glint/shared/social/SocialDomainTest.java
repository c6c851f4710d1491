package dev.glint.shared.social;

import dev.glint.shared.feed.FeedFollows;
import dev.glint.shared.feed.FeedReadsOnly;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The social use cases' rules, on in-memory stores. */
class SocialDomainTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final InMemoryProfiles people = new InMemoryProfiles();
    private final InMemoryPosts stores = new InMemoryPosts(people);
    private final Ids ids = new Ids(clock);
    private final Accounts accounts = new Accounts(people, clock);
    private final Follows follows = new Follows(accounts, people, new FeedFollows(people, new NoFeeds(), stores, 10_000), ids, clock);
    private final java.util.Map<String, Integer> quotaUses = new java.util.HashMap<>();
    private final QuotaStore quotas = (user, quota, day, limit) -> {
        String key = user + "/" + quota + "/" + day;
        if (quotaUses.getOrDefault(key, 0) >= limit) {
            return false;
        }
        quotaUses.merge(key, 1, Integer::sum);
        return true;
    };
    private final Publishing publishing = new Publishing(accounts, stores, stores, stores, stores, quotas,
            new Publishing.DailyQuotas(3, 4), ids, clock);
    private final Engagement engagement = new Engagement(accounts, stores, ids, clock);

    /** Follow tests do not read feeds. */
    private static final class NoFeeds extends FeedReadsOnly {
        @Override
        public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
            return new FeedPage(List.of(), false, java.util.Map.of());
        }

        @Override
        public Hydrated hydrate(String readerId, List<String> postIds, java.util.Set<String> authorIds) {
            return new Hydrated(java.util.Map.of(), java.util.Set.of(), java.util.Map.of());
        }
    }

    private static SocialException refused(Runnable action) {
        return assertThrows(SocialException.class, action::run);
    }

    @Test
    void handlesAreLowerCasedValidatedAndRequiredOnCreate() {
        assertEquals("alice_1", accounts.putMe("u1", Optional.of("Alice_1"), Optional.empty(), Optional.empty()).handle());
        assertEquals("invalid_handle", refused(() -> accounts.putMe("u2", Optional.of("al"), Optional.empty(), Optional.empty())).code());
        assertEquals("invalid_handle", refused(() -> accounts.putMe("u2", Optional.of("a".repeat(31)), Optional.empty(), Optional.empty())).code());
        assertEquals("handle_required", refused(() -> accounts.putMe("u2", Optional.empty(), Optional.of("Bo"), Optional.empty())).code());
        assertEquals("invalid_bio", refused(() -> accounts.putMe("u1", Optional.empty(), Optional.empty(), Optional.of("b".repeat(151)))).code());
        assertEquals("alice_1", accounts.byHandle("ALICE_1", "u9").handle());
        assertEquals(SocialException.Kind.NOT_FOUND, refused(() -> accounts.byHandle("a#b", "u9")).kind());
    }

    @Test
    void followingYourselfIsRefusedAndFollowingTwiceCountsOnce() {
        accounts.putMe("a", Optional.of("aaa"), Optional.empty(), Optional.empty());
        accounts.putMe("b", Optional.of("bbb"), Optional.empty(), Optional.empty());
        assertEquals("cannot_follow_self", refused(() -> follows.follow("a", "aaa")).code());
        assertTrue(follows.follow("a", "bbb"));
        assertFalse(follows.follow("a", "bbb"));
        assertEquals(1, accounts.me("b").followers());
        assertEquals(List.of("a"), follows.followers("bbb", 10, Optional.empty()).items().stream().map(FollowEntry::userId).toList());
        assertTrue(follows.unfollow("a", "bbb"));
        assertFalse(follows.unfollow("a", "bbb"));
        assertEquals(0, accounts.me("b").followers());
    }

    @Test
    void aPostNeedsTheCallersOwnArrivedUnexpiredUploadAndIsQueuedForMedia() {
        accounts.putMe("a", Optional.of("aaa"), Optional.empty(), Optional.empty());
        accounts.putMe("b", Optional.of("bbb"), Optional.empty(), Optional.empty());
        var upload = publishing.createUpload("a", "image/jpeg", 1000);
        assertTrue(upload.upload().objectKey().startsWith("uploads/a/"));
        assertEquals("unsupported_content_type", refused(() -> publishing.createUpload("a", "image/gif", 10)).code());
        SocialException heic = refused(() -> publishing.createUpload("a", "image/heic", 10));
        assertEquals(SocialException.Kind.UNSUPPORTED_MEDIA, heic.kind());
        assertEquals("unsupported_photo_format", heic.code());
        assertEquals("invalid_content_length", refused(() -> publishing.createUpload("a", "image/png", Publishing.MAX_UPLOAD_BYTES + 1)).code());

        String uploadId = upload.upload().id();
        assertEquals("upload_not_received", refused(() -> publishing.createPost("a", uploadId, "hi")).code());
        stores.blobs.put(upload.upload().objectKey(), new byte[]{1});
        assertEquals("upload_not_found", refused(() -> publishing.createPost("b", uploadId, "mine now")).code());

        Post post = publishing.createPost("a", uploadId, " hi ");
        assertEquals(PostStatus.PROCESSING, post.status());
        assertEquals("hi", post.caption());
        assertEquals(List.of(MediaJob.of(post.id(), upload.upload().objectKey())), stores.sent);
        assertEquals(post.id(), publishing.createPost("a", uploadId, "again").id(), "retrying returns the same post");
        assertEquals(1, accounts.me("a").posts());

        var late = publishing.createUpload("a", "image/png", 10);
        stores.blobs.put(late.upload().objectKey(), new byte[]{1});
        clock.advance(Publishing.UPLOAD_VALIDITY.plusSeconds(1));
        assertEquals("upload_expired", refused(() -> publishing.createPost("a", late.upload().id(), "")).code());
    }

    @Test
    void onlyAuthorsDeletePostsAndOnlyTheCommentOrPostAuthorDeletesAComment() {
        accounts.putMe("a", Optional.of("aaa"), Optional.empty(), Optional.empty());
        accounts.putMe("b", Optional.of("bbb"), Optional.empty(), Optional.empty());
        accounts.putMe("c", Optional.of("ccc"), Optional.empty(), Optional.empty());
        var upload = publishing.createUpload("a", "image/png", 10);
        stores.blobs.put(upload.upload().objectKey(), new byte[]{1});
        Post post = publishing.createPost("a", upload.upload().id(), "");
        assertEquals("post_not_found", refused(() -> engagement.comment("b", post.id(), "too soon")).code(),
                "others see a post once it is ready");
        stores.markReady(post.id(), java.util.Map.of("thumb", "media/" + post.id() + "/thumb.jpg"));

        Comment byB = engagement.comment("b", post.id(), "nice");
        assertEquals(SocialException.Kind.FORBIDDEN, refused(() -> engagement.deleteComment("c", post.id(), byB.id())).kind());
        engagement.deleteComment("a", post.id(), byB.id());
        assertEquals(0, publishing.post(post.id(), "a").comments());
        assertEquals("invalid_text", refused(() -> engagement.comment("b", post.id(), "")).code());

        assertEquals(1, engagement.like("b", post.id()).likes());
        assertEquals(1, engagement.like("b", post.id()).likes());
        assertEquals(SocialException.Kind.FORBIDDEN, refused(() -> publishing.deletePost(post.id(), "b")).kind());
        publishing.deletePost(post.id(), "a");
        assertEquals("post_not_found", refused(() -> publishing.post(post.id(), "b")).code());
        assertEquals(0, accounts.me("a").posts());
    }

    @Test
    void aUserPastTheirDailyQuotaIsToldWhenTheDayEndsAndNothingIsMade() {
        accounts.putMe("q", Optional.of("quota_user"), Optional.empty(), Optional.empty());
        List<String> uploads = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var upload = publishing.createUpload("q", "image/jpeg", 10);
            stores.blobs.put(upload.upload().objectKey(), new byte[]{1});
            uploads.add(upload.upload().id());
        }
        SocialException noMoreUploads = refused(() -> publishing.createUpload("q", "image/jpeg", 10));
        assertEquals(SocialException.Kind.LIMITED, noMoreUploads.kind());
        assertEquals("quota_exceeded", noMoreUploads.code());
        assertEquals(14 * 3600 + 1, noMoreUploads.retryAfterSeconds(), "until midnight UTC, from 10:00");
        assertEquals(4, stores.uploads.size(), "the refused upload made nothing");

        for (int i = 0; i < 3; i++) {
            publishing.createPost("q", uploads.get(i), "");
        }
        assertEquals("quota_exceeded", refused(() -> publishing.createPost("q", uploads.get(3), "")).code());
        assertEquals(3, stores.posts.size(), "the refused post made nothing");
        assertEquals(stores.posts.values().iterator().next().id(),
                publishing.createPost("q", stores.posts.values().iterator().next().uploadId(), "").id(),
                "retrying a post that was made takes no quota");

        clock.advance(Duration.ofHours(14).plusSeconds(1));
        var tomorrow = publishing.createUpload("q", "image/jpeg", 10);
        stores.blobs.put(tomorrow.upload().objectKey(), new byte[]{1});
        publishing.createPost("q", tomorrow.upload().id(), "");
        assertEquals(4, stores.posts.size(), "a new day, new quotas");
    }

    @Test
    void namesRefuseInvisibleAndDirectionCharactersAndFreeTextMustCloseEveryDirectionItOpens() {
        for (String spoof : List.of("admin\u202Enimda", "ad\u200Bmin", "\u2066Bob\u2069", "\u3164", "Al\u00ADice", "Bo\u200Db")) {
            SocialException refused = refused(() -> accounts.putMe("n1", Optional.of("name_user"), Optional.of(spoof), Optional.empty()));
            assertEquals("invalid_displayName", refused.code(), spoof);
            assertTrue(refused.getMessage().contains("U+"), refused.getMessage());
        }
        assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB Ada", accounts.putMe("n1", Optional.of("name_user"),
                Optional.of("\uD83D\uDC69\u200D\uD83D\uDCBB Ada"), Optional.empty()).displayName(), "an emoji sequence keeps its joiner");

        for (String leaking : List.of("price \u202E01$", "a \u2067b", "a \u202Cb", "\u2066a\u202C", "\u202Ba\u2069")) {
            assertEquals("invalid_bio", refused(() -> accounts.putMe("n1", Optional.empty(), Optional.empty(), Optional.of(leaking))).code(),
                    leaking);
        }
        String closed = "shalom \u2067\u05E9\u05DC\u05D5\u05DD\u2069 and \u202Eok\u202C";
        assertEquals(closed, accounts.putMe("n1", Optional.empty(), Optional.empty(), Optional.of(closed)).bio(),
                "closed directions are kept as sent");
        assertEquals("a\u200Bb", accounts.putMe("n1", Optional.empty(), Optional.empty(), Optional.of("a\u200Bb")).bio(),
                "free text may hold a zero-width space (line breaking in Thai, Khmer)");
    }
}
