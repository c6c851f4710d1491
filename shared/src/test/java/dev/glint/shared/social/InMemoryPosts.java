package dev.glint.shared.social;

import dev.glint.shared.blobs.BlobStore;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** In-memory posts, uploads, blobs and queue, with the same rules as the adapters, for domain tests. */
public final class InMemoryPosts implements PostStore, UploadSigner, BlobStore, TaskQueue {

    public final InMemoryProfiles profiles;
    public final Map<String, Upload> uploads = new HashMap<>();
    public final Map<String, Post> posts = new HashMap<>();
    public final Set<String> likes = new HashSet<>();
    public final Map<String, TreeMap<String, Comment>> comments = new HashMap<>();
    public final Map<String, byte[]> blobs = new HashMap<>();
    public final List<QueueMessage> sent = new ArrayList<>();

    public InMemoryPosts(InMemoryProfiles profiles) {
        this.profiles = profiles;
    }

    @Override
    public void createUpload(Upload upload) {
        uploads.put(upload.id(), upload);
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        return Optional.ofNullable(uploads.get(uploadId));
    }

    @Override
    public void create(Post post) {
        for (Photo photo : post.photos()) {
            Upload upload = uploads.get(photo.uploadId());
            if (upload.usedBy() != null || !upload.ownerId().equals(post.authorId())) {
                throw SocialException.conflict("upload_used", "used");
            }
        }
        for (Photo photo : post.photos()) {
            Upload upload = uploads.get(photo.uploadId());
            uploads.put(upload.id(), new Upload(upload.id(), upload.ownerId(), upload.objectKey(), upload.contentType(),
                    upload.contentLength(), upload.expiresAt(), post.id()));
        }
        posts.put(post.id(), post);
        profiles.count(post.authorId(), 0, 0, 1);
    }

    @Override
    public Optional<Post> find(String postId, boolean consistent) {
        return Optional.ofNullable(posts.get(postId));
    }

    @Override
    public List<Post> findAll(List<String> postIds, boolean consistent) {
        return postIds.stream().map(posts::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public boolean delete(Post post) {
        if (posts.remove(post.id()) == null) {
            return false;
        }
        profiles.count(post.authorId(), 0, 0, -1);
        return true;
    }

    @Override
    public Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageToken> after, boolean consistent) {
        return new Page<>(recentPostIds(authorId, limit, Optional.empty()).postIds(), Optional.empty());
    }

    @Override
    public Recent recentPostIds(String authorId, int limit, Optional<String> afterPostId) {
        List<String> older = posts.values().stream().filter(p -> p.authorId().equals(authorId)).map(Post::id)
                .filter(id -> afterPostId.map(after -> id.compareTo(after) < 0).orElse(true))
                .sorted(java.util.Comparator.reverseOrder()).toList();
        return new Recent(older.stream().limit(limit).toList(), older.size() > limit);
    }

    private void countPost(String postId, int likesDelta, int commentsDelta) {
        Post p = posts.get(postId);
        posts.put(postId, p.withCounts(p.likes() + likesDelta, p.comments() + commentsDelta));
    }

    @Override
    public Set<String> likedBy(String userId, List<String> postIds, boolean consistent) {
        return postIds.stream().filter(postId -> likes.contains(postId + ">" + userId)).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public boolean like(String postId, String userId) {
        if (!likes.add(postId + ">" + userId)) {
            return false;
        }
        countPost(postId, 1, 0);
        return true;
    }

    @Override
    public boolean unlike(String postId, String userId) {
        if (!likes.remove(postId + ">" + userId)) {
            return false;
        }
        countPost(postId, -1, 0);
        return true;
    }

    @Override
    public void addComment(Comment comment) {
        comments.computeIfAbsent(comment.postId(), k -> new TreeMap<>()).put(comment.id(), comment);
        countPost(comment.postId(), 0, 1);
    }

    @Override
    public Optional<Comment> findComment(String postId, String commentId) {
        return Optional.ofNullable(comments.getOrDefault(postId, new TreeMap<>()).get(commentId));
    }

    @Override
    public Optional<String> postOfComment(String commentId) {
        return comments.values().stream().flatMap(c -> c.values().stream()).filter(c -> c.id().equals(commentId))
                .map(Comment::postId).findFirst();
    }

    @Override
    public boolean deleteComment(Comment comment) {
        if (comments.getOrDefault(comment.postId(), new TreeMap<>()).remove(comment.id()) == null) {
            return false;
        }
        countPost(comment.postId(), 0, -1);
        return true;
    }

    @Override
    public Page<Comment> comments(String postId, int limit, Optional<PageToken> after) {
        return new Page<>(comments.getOrDefault(postId, new TreeMap<>()).values().stream().limit(limit).toList(), Optional.empty());
    }

    @Override
    public Presigned presignUpload(String ownerId, String uploadId, String contentType, long contentLength, Duration ttl) {
        String objectKey = "uploads/" + ownerId + "/" + uploadId;
        return new Presigned(objectKey, "https://uploads.example/" + objectKey, "PUT", Map.of("content-type", contentType),
                Instant.parse("2026-11-22T10:05:00Z"));
    }

    @Override
    public boolean exists(String key) {
        return blobs.containsKey(key);
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        byte[] bytes = blobs.get(key);
        if (bytes != null && bytes.length > maxBytes) {
            throw new TooLarge(key, bytes.length);
        }
        return Optional.ofNullable(bytes);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        blobs.put(key, bytes);
    }

    @Override
    public void delete(String key) {
        blobs.remove(key);
    }

    /** Every photo of a processing post processed, with these renditions each: the post is ready. */
    public void markReady(String postId, Map<String, String> media) {
        Post p = posts.get(postId);
        for (int i = 0; i < p.photos().size(); i++) {
            savePhoto(p, i, p.photos().get(i).processed(media, "L00000fQfQfQfQfQfQfQfQfQfQfQ", 100, 100));
        }
    }

    @Override
    public PhotoSaved savePhoto(Post post, int index, Photo processed) {
        Post p = posts.get(post.id());
        if (p == null || p.status() != PostStatus.PROCESSING || !p.photos().get(index).uploadId().equals(processed.uploadId())) {
            return PhotoSaved.NOT_PROCESSING;
        }
        List<Photo> photos = new ArrayList<>(p.photos());
        photos.set(index, p.photos().get(index).processed(processed.media(), processed.blurhash(), processed.width(),
                processed.height()));
        Post saved = p.withPhotos(photos);
        if (photos.stream().allMatch(Photo::processed)) {
            posts.put(post.id(), saved.withStatus(PostStatus.READY, null));
            return PhotoSaved.POST_READY;
        }
        posts.put(post.id(), saved);
        return PhotoSaved.SAVED;
    }

    @Override
    public boolean editText(Post post, String caption, List<String> altTexts) {
        Post p = posts.get(post.id());
        if (p == null) {
            return false;
        }
        List<Photo> photos = new ArrayList<>();
        for (int i = 0; i < p.photos().size(); i++) {
            photos.add(p.photos().get(i).withAltText(altTexts.get(i)));
        }
        posts.put(p.id(), p.withText(caption, photos));
        return true;
    }

    @Override
    public boolean markFailed(String postId, String reason) {
        Post p = posts.get(postId);
        if (p == null || p.status() != PostStatus.PROCESSING) {
            return false;
        }
        posts.put(postId, p.withStatus(PostStatus.FAILED, reason));
        return true;
    }

    @Override
    public void send(QueueMessage message) {
        sent.add(message);
    }

    @Override
    public Optional<PageToken> purgeEngagement(String postId, Optional<PageToken> from, int limit) {
        comments.remove(postId);
        likes.removeIf(like -> like.startsWith(postId + ">"));
        return Optional.empty();
    }
}
