package dev.glint.shared.social;

import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.ports.BlobStore;
import dev.glint.shared.ports.FollowStore;
import dev.glint.shared.ports.PostStore;
import dev.glint.shared.ports.ProfileStore;
import dev.glint.shared.ports.TaskQueue;
import dev.glint.shared.ports.UploadSigner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** In-memory posts, uploads, blobs and queue, with the same rules as the adapters, for domain tests. */
final class InMemoryPosts implements PostStore, UploadSigner, BlobStore, TaskQueue {

    final InMemoryProfiles profiles;
    final Map<String, Upload> uploads = new HashMap<>();
    final Map<String, Post> posts = new HashMap<>();
    final Set<String> likes = new HashSet<>();
    final Map<String, TreeMap<String, Comment>> comments = new HashMap<>();
    final Map<String, byte[]> blobs = new HashMap<>();
    final List<QueueMessage> sent = new ArrayList<>();

    InMemoryPosts(InMemoryProfiles profiles) {
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
        Upload upload = uploads.get(post.uploadId());
        if (upload.usedBy() != null) {
            throw SocialException.conflict("upload_used", "used");
        }
        uploads.put(upload.id(), new Upload(upload.id(), upload.ownerId(), upload.objectKey(), upload.contentType(),
                upload.contentLength(), upload.expiresAt(), post.id()));
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
    public Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageKey> after, boolean consistent) {
        return new Page<>(posts.values().stream().filter(p -> p.authorId().equals(authorId)).map(Post::id)
                .sorted(java.util.Comparator.reverseOrder()).limit(limit).toList(), Optional.empty());
    }

    private void countPost(String postId, int likesDelta, int commentsDelta) {
        Post p = posts.get(postId);
        posts.put(postId, new Post(p.id(), p.authorId(), p.caption(), p.status(), p.uploadId(), p.createdAt(),
                p.likes() + likesDelta, p.comments() + commentsDelta, p.media(), p.failureReason(), p.version() + 1));
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
    public boolean deleteComment(Comment comment) {
        if (comments.getOrDefault(comment.postId(), new TreeMap<>()).remove(comment.id()) == null) {
            return false;
        }
        countPost(comment.postId(), 0, -1);
        return true;
    }

    @Override
    public Page<Comment> comments(String postId, int limit, Optional<PageKey> after) {
        return new Page<>(comments.getOrDefault(postId, new TreeMap<>()).values().stream().limit(limit).toList(), Optional.empty());
    }

    @Override
    public Page<String> feed(String userId, int limit, Optional<PageKey> after) {
        return new Page<>(List.of(), Optional.empty());
    }

    @Override
    public Presigned presignPut(String objectKey, String contentType, long contentLength, Duration ttl) {
        return new Presigned("https://uploads.example/" + objectKey, "PUT", Map.of("content-type", contentType),
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

    @Override
    public boolean markReady(String postId, Map<String, String> media) {
        return changeStatus(postId, PostStatus.READY, media, null);
    }

    @Override
    public boolean markFailed(String postId, String reason) {
        return changeStatus(postId, PostStatus.FAILED, Map.of(), reason);
    }

    private boolean changeStatus(String postId, PostStatus status, Map<String, String> media, String reason) {
        Post p = posts.get(postId);
        if (p == null || p.status() != PostStatus.PROCESSING) {
            return false;
        }
        posts.put(postId, new Post(p.id(), p.authorId(), p.caption(), status, p.uploadId(), p.createdAt(),
                p.likes(), p.comments(), Map.copyOf(media), reason, p.version() + 1));
        return true;
    }

    @Override
    public void send(QueueMessage message) {
        sent.add(message);
    }
}
