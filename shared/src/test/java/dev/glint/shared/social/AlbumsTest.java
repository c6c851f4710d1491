package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.media.ProcessMedia;
import dev.glint.shared.media.RenditionStore;
import dev.glint.shared.media.TestImages;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageConsumer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Posts of several photos: what a post may hold, how its photos are processed, and how its text is edited. */
class AlbumsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProfiles people = new InMemoryProfiles();
    private final InMemoryPosts stores = new InMemoryPosts(people);
    private final Accounts accounts = new Accounts(people, clock);
    private final Publishing publishing = new Publishing(accounts, stores, stores, stores, stores,
            (user, quota, day, limit) -> true, Publishing.DailyQuotas.DEFAULTS, new Ids(clock), clock);
    private final Renditions renditions = new Renditions();
    private final ProcessMedia worker = new ProcessMedia(stores, stores, renditions, stores, new ImageProcessor());

    /** Renditions kept in memory, by key. */
    private static final class Renditions implements RenditionStore {
        final TreeMap<String, byte[]> objects = new TreeMap<>();

        @Override
        public String put(String postId, int photo, String rendition, byte[] jpeg) {
            String key = "media/" + postId + "/" + photo + "/" + rendition + ".jpg";
            objects.put(key, jpeg);
            return key;
        }

        @Override
        public void deleteAll(String postId) {
            objects.keySet().removeIf(key -> key.startsWith("media/" + postId + "/"));
        }
    }

    private String upload(String owner, byte[] photo) {
        var upload = publishing.createUpload(owner, "image/jpeg", photo.length);
        stores.blobs.put(upload.upload().objectKey(), photo);
        return upload.upload().id();
    }

    private static SocialException refused(Runnable call) {
        return assertThrows(SocialException.class, call::run);
    }

    private void process(Post post, int... order) {
        for (int i : order) {
            worker.accept(MediaJob.of(post.id(), post.photos().get(i).objectKey()), new MessageConsumer.Delivery("m" + i, 1));
        }
    }

    private long fanouts(String postId) {
        return stores.sent.stream().filter(m -> m instanceof FanoutJob f && f.postId().equals(postId)).count();
    }

    @Test
    void anAlbumIsReadyOnceEveryPhotoIsProcessedInAnyOrder() {
        accounts.putMe("a", Optional.of("ann"), Optional.empty(), Optional.empty());
        List<Publishing.NewPhoto> photos = List.of(
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(400, 200)), "  Red and blue, wide  ", new FocalPoint(-1, 0)),
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(200, 400)), "", FocalPoint.CENTRE),
                new Publishing.NewPhoto(upload("a", TestImages.png(300, 300, false)), "A square", new FocalPoint(0.5, 0.5)));

        Post post = publishing.createPost("a", photos, "three #colours");

        assertEquals(3, stores.sent.stream().filter(m -> m instanceof MediaJob).count(), "a media job per photo");
        assertEquals(List.of("Red and blue, wide", "", "A square"), post.photos().stream().map(Photo::altText).toList());
        assertEquals(new FocalPoint(-1, 0), post.photos().get(0).focalPoint());
        assertSame(post.id(), publishing.createPost("a", photos, "again").id(), "a retry answers the post it made");

        process(post, 2, 0);
        assertEquals(PostStatus.PROCESSING, stores.posts.get(post.id()).status(), "two of three photos done");
        assertEquals(0, fanouts(post.id()));
        process(post, 1);
        Post ready = stores.posts.get(post.id());
        assertEquals(PostStatus.READY, ready.status());
        assertEquals(1, fanouts(post.id()), "the fan-out is asked once, by the last photo");
        assertEquals(List.of(400, 200, 300), ready.photos().stream().map(Photo::width).toList());
        assertEquals(List.of('L', 'T', 'L'), ready.photos().stream().map(p -> p.blurhash().charAt(0)).toList(),
                "each photo's blurhash has its own shape: 4x3, 3x4, 4x3 for the square");
        assertEquals(9, renditions.objects.size(), "three renditions of each of three photos");
        assertTrue(ready.photos().get(1).media().get("thumb").contains("/1/"), "each photo's renditions are its own");
        assertTrue(stores.blobs.isEmpty(), "every original is deleted (they may carry GPS)");

        process(post, 1);
        assertEquals(2, fanouts(post.id()), "a redelivery only asks for the fan-out again");
    }

    @Test
    void theFirstPhotoRefusedFailsTheAlbumAndNothingOfItStays() {
        accounts.putMe("a", Optional.of("ann"), Optional.empty(), Optional.empty());
        Post post = publishing.createPost("a", List.of(
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(400, 200)), "", FocalPoint.CENTRE),
                new Publishing.NewPhoto(upload("a", "not a photo at all".getBytes(StandardCharsets.UTF_8)), "", FocalPoint.CENTRE),
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(200, 400)), "", FocalPoint.CENTRE)), "");

        process(post, 0, 1, 2);

        Post failed = stores.posts.get(post.id());
        assertEquals(PostStatus.FAILED, failed.status());
        assertEquals("Photo 2 of 3: The file is not a JPEG, PNG or WebP image.", failed.failureReason());
        assertTrue(renditions.objects.isEmpty(), "no rendition of any photo of a failed post stays: " + renditions.objects.keySet());
        assertTrue(stores.blobs.isEmpty(), "every original is deleted");
        assertEquals(0, fanouts(post.id()));
    }

    @Test
    void whatAPostMayHoldIsCheckedBeforeAnythingIsWritten() {
        accounts.putMe("a", Optional.of("ann"), Optional.empty(), Optional.empty());
        accounts.putMe("b", Optional.of("bob"), Optional.empty(), Optional.empty());
        String one = upload("a", TestImages.jpeg(20, 20));
        List<Publishing.NewPhoto> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new Publishing.NewPhoto(upload("a", TestImages.jpeg(20, 20)), "", FocalPoint.CENTRE));
        }
        assertEquals("invalid_photos", refused(() -> publishing.createPost("a", eleven, "")).code());
        assertEquals("invalid_photos", refused(() -> publishing.createPost("a", List.of(), "")).code());
        assertEquals("duplicate_upload", refused(() -> publishing.createPost("a", List.of(
                new Publishing.NewPhoto(one, "", FocalPoint.CENTRE), new Publishing.NewPhoto(one, "", FocalPoint.CENTRE)), "")).code());
        SocialException tooLong = refused(() -> publishing.createPost("a", List.of(new Publishing.NewPhoto(one, "", FocalPoint.CENTRE),
                new Publishing.NewPhoto(eleven.get(0).uploadId(), "x".repeat(1_501), FocalPoint.CENTRE)), ""));
        assertEquals("invalid_altText", tooLong.code());
        assertTrue(tooLong.getMessage().startsWith("photos[1].altText must be 0-1500 characters"), tooLong.getMessage());
        SocialException notMine = refused(() -> publishing.createPost("b", List.of(new Publishing.NewPhoto(one, "", FocalPoint.CENTRE)), ""));
        assertEquals("upload_not_found", notMine.code());
        assertEquals("invalid_focalPoint", refused(() -> new FocalPoint(1.5, 0)).code());
        assertTrue(stores.posts.isEmpty(), "nothing was written");
        assertTrue(stores.uploads.values().stream().allMatch(u -> u.usedBy() == null), "no upload was claimed");

        Post first = publishing.createPost("a", List.of(new Publishing.NewPhoto(one, "", FocalPoint.CENTRE),
                new Publishing.NewPhoto(eleven.get(0).uploadId(), "", FocalPoint.CENTRE)), "");
        SocialException reused = refused(() -> publishing.createPost("a", List.of(new Publishing.NewPhoto(eleven.get(1).uploadId(), "",
                FocalPoint.CENTRE), new Publishing.NewPhoto(one, "", FocalPoint.CENTRE)), ""));
        assertEquals("upload_used", reused.code());
        assertTrue(reused.getMessage().contains("photo 2"), reused.getMessage());
        assertEquals("upload_used", refused(() -> publishing.createPost("a", List.of(new Publishing.NewPhoto(eleven.get(0).uploadId(), "",
                FocalPoint.CENTRE), new Publishing.NewPhoto(one, "", FocalPoint.CENTRE)), "")).code(), "the same uploads in another order are another post");
        assertEquals(1, stores.posts.size());
        assertNotNull(first);
    }

    @Test
    void theAuthorEditsTheCaptionAndAltTextsAndNoOneElseDoes() {
        accounts.putMe("a", Optional.of("ann"), Optional.empty(), Optional.empty());
        accounts.putMe("b", Optional.of("bob"), Optional.empty(), Optional.empty());
        Post post = publishing.createPost("a", List.of(
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(40, 20)), "first", FocalPoint.CENTRE),
                new Publishing.NewPhoto(upload("a", TestImages.jpeg(40, 20)), "second", FocalPoint.CENTRE)), "old #tag");

        Post edited = publishing.editPost(post.id(), "a", Optional.of(" new #tag2 "), java.util.Arrays.asList(null, "the second, described"));

        assertEquals("new #tag2", edited.caption());
        assertEquals(List.of("first", "the second, described"), edited.photos().stream().map(Photo::altText).toList());
        assertTrue(edited.version() > post.version(), "the version moves, so cached views of the post are not current");
        assertEquals("first", publishing.editPost(post.id(), "a", Optional.empty(), List.of()).photos().get(0).altText(),
                "nothing sent, nothing changed");
        assertEquals("invalid_photos", refused(() -> publishing.editPost(post.id(), "a", Optional.empty(), List.of("one"))).code(),
                "one entry per photo");
        assertEquals("invalid_altText", refused(() -> publishing.editPost(post.id(), "a", Optional.empty(),
                List.of("y".repeat(1_501), "z"))).code());
        assertEquals("post_not_found", refused(() -> publishing.editPost(post.id(), "b", Optional.of("mine now"), List.of())).code(),
                "to others a post still processing is no post");
        stores.markReady(post.id(), Map.of("thumb", "k"));
        assertEquals(SocialException.Kind.FORBIDDEN, refused(() -> publishing.editPost(post.id(), "b", Optional.of("mine now"),
                List.of())).kind());
        assertEquals("new #tag2", stores.posts.get(post.id()).caption());
        assertFalse(stores.posts.get(post.id()).photos().get(0).altText().isEmpty());
    }
}
