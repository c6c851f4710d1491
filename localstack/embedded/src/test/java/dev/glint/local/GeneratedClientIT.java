package dev.glint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.client.ApiException;
import dev.glint.client.api.DefaultApi;
import dev.glint.client.model.Comment;
import dev.glint.client.model.FollowState;
import dev.glint.client.model.LikeState;
import dev.glint.client.model.NewComment;
import dev.glint.client.model.NewPost;
import dev.glint.client.model.NewUpload;
import dev.glint.client.model.Notification;
import dev.glint.client.model.FeedPage;
import dev.glint.client.model.Post;
import dev.glint.client.model.Profile;
import dev.glint.client.model.ProfileChange;
import dev.glint.client.model.Upload;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The document is usable as written: a Java client generated from {@code openapi.yaml} (OpenAPI
 * Generator, the JDK's HttpClient and Jackson; see this module's pom) drives a whole journey against
 * the local stack, with nothing but the generated types. Only the photo's PUT to the bucket, which is
 * S3's and not the API's, goes around it.
 */
class GeneratedClientIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient tokens;

    /** The generated client, signed in as the user (the local issuer's token as the bearer). */
    private static DefaultApi as(String user) {
        dev.glint.client.ApiClient client = new dev.glint.client.ApiClient();
        client.updateBaseUri(stack.apiEndpoint().toString());
        String token = tokens.token(user);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return new DefaultApi(client);
    }

    private static <T> T await(Callable<T> read, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        T value = read.call();
        while (!done.test(value)) {
            assertTrue(System.nanoTime() < deadline, "not reached within 30 s: " + value);
            Thread.sleep(200);
            value = read.call();
        }
        return value;
    }

    @Test
    void aWholeJourneyThroughTheClientGeneratedFromTheDocument() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String alice = "gen_alice_" + suffix;
        String bob = "gen_bob_" + suffix;
        DefaultApi asAlice = as(alice);
        DefaultApi asBob = as(bob);

        // Sign up and a profile.
        Profile aliceProfile = asAlice.putMe(new ProfileChange().handle(alice).displayName("Alice").bio("Photos of the sea."));
        assertEquals(alice, aliceProfile.getHandle());
        asBob.putMe(new ProfileChange().handle(bob));
        assertEquals("Alice", asBob.getUser(alice, null).getDisplayName());

        // Bob follows Alice.
        FollowState follow = asBob.follow(alice, null);
        assertTrue(follow.getFollowing() && follow.getChanged());

        // Alice uploads a photo straight to the bucket and posts it.
        byte[] jpeg = TestImages.jpeg(320, 240);
        Upload upload = asAlice.createUpload(new NewUpload().contentType(NewUpload.ContentTypeEnum.IMAGE_JPEG)
                .contentLength(jpeg.length), null);
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.getUrl()))
                .method(upload.getMethod(), HttpRequest.BodyPublishers.ofByteArray(jpeg));
        upload.getHeaders().forEach((name, value) -> {
            if (!Set.of("host", "content-length").contains(name.toLowerCase(Locale.ROOT))) {
                put.header(name, value);
            }
        });
        assertEquals(200, HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        Post created = asAlice.createPost(new NewPost().uploadId(upload.getUploadId()).caption("Low tide #journey"), null);
        assertEquals(Post.StatusEnum.PROCESSING, created.getStatus());
        Post ready = await(() -> asAlice.getPost(created.getId(), null), p -> p.getStatus() == Post.StatusEnum.READY);
        assertTrue(ready.getMedia().size() >= 3, "renditions: " + ready.getMedia());

        // It reaches Bob's feed.
        FeedPage feed = await(() -> asBob.getFeed(null, null, null),
                page -> page.getItems().stream().anyMatch(p -> p.getId().equals(created.getId())));
        assertEquals(alice, feed.getItems().get(0).getAuthor().getHandle());
        assertTrue(feed.getOrder() == FeedPage.OrderEnum.NEWEST || feed.getOrder() == FeedPage.OrderEnum.INTERACTIONS);
        assertEquals(3, ready.getPhotos().get(0).getMedia().size(), "the post's one photo, with its renditions");
        assertEquals(28, ready.getPhotos().get(0).getBlurhash().length());

        // Bob likes and comments.
        LikeState like = asBob.likePost(created.getId());
        assertTrue(like.getLiked());
        // With an Idempotency-Key, a client's retry of the comment is the same comment.
        String key = java.util.UUID.randomUUID().toString();
        Comment comment = asBob.createComment(created.getId(), new NewComment().text("Lovely light."), key);
        assertEquals("Lovely light.", comment.getText());
        assertEquals(comment.getId(), asBob.createComment(created.getId(), new NewComment().text("Lovely light."), key).getId());
        assertEquals(1, asAlice.listComments(created.getId(), null, null, null).getItems().size());
        await(() -> asAlice.getPost(created.getId(), null), p -> p.getLikes() == 1 && p.getComments() == 1);

        // Private accounts: Alice makes hers private, and Bob's follow, made again, is a request she approves;
        // then Bob makes his private, and Alice's request to follow him he approves.
        asAlice.putMe(new ProfileChange()._private(true));
        assertTrue(asBob.getUser(alice, null).getPrivate());
        asBob.unfollow(alice);
        FollowState requested = asBob.follow(alice, null);
        assertTrue(!requested.getFollowing() && requested.getChanged(), "a request: " + requested);
        assertEquals(bob, asAlice.listFollowRequests(null, null, null).getItems().get(0).getHandle());
        assertTrue(asAlice.approveFollowRequest(bob, null).getApproved());
        asBob.putMe(new ProfileChange()._private(true));
        asAlice.follow(bob, null);
        assertTrue(asBob.approveFollowRequest(alice, null).getChanged());
        assertTrue(asAlice.getUser(bob, null).getFollowedByMe());

        // Alice hears of the follow, the like, the comment, the follow request and its approval.
        var notified = await(() -> asAlice.listNotifications(null, null, null).getItems(),
                items -> items.stream().map(Notification::getKind).collect(java.util.stream.Collectors.toSet())
                        .containsAll(EnumSet.of(Notification.KindEnum.FOLLOW, Notification.KindEnum.LIKE,
                                Notification.KindEnum.COMMENT)));
        assertTrue(notified.stream().allMatch(n -> bob.equals(n.getActor().getHandle())), notified.toString());
        asAlice.markNotificationsRead(new dev.glint.client.model.MarkRead().upTo(notified.get(0).getId()), null);

        // A refusal reaches the client as the documented error.
        ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> asBob.deletePost(created.getId()));
        assertEquals(403, refused.getCode());
        assertEquals("forbidden", new ObjectMapper().readTree(refused.getResponseBody()).path("error").path("code").asText(),
                refused.getResponseBody());
    }
}
