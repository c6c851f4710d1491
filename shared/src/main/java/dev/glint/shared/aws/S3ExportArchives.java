package dev.glint.shared.aws;

import dev.glint.shared.export.ArchiveWriter;
import dev.glint.shared.json.Json;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Builds a user's archive: everything read by key or by query of the user's own partitions and of the
 * {@code gsi1} partition of what names them (their likes and comments), a page at a time, and written to the zip
 * a page at a time (only the posts' captions and alt texts are held whole, since their photos are written first); the photos are each
 * post's largest rendition ({@value #PHOTO_RENDITION}: the originals are deleted once processed). The zip is
 * written to a temporary file (Lambda's {@code /tmp}, 512 MB unless the function is given more), at most
 * {@link #MAX_BYTES}, then put in the uploads bucket as one object, so a half-built archive is never
 * readable and a rebuilt one replaces it.
 */
public final class S3ExportArchives implements ArchiveWriter {

    /** The rendition exported: the largest kept ({@code ImageProcessor.RENDITIONS}). */
    static final String PHOTO_RENDITION = "w1080";
    /** Within Lambda's default 512 MB of {@code /tmp}, with room for the runtime's own files. */
    public static final long MAX_BYTES = 400L * 1024 * 1024;
    private static final int PAGE = 100;

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final S3Client s3;
    private final String uploadsBucket;
    private final String mediaBucket;
    private final long maxBytes;

    public S3ExportArchives(DynamoDbClient client, String tableName, S3Client s3, String uploadsBucket, String mediaBucket) {
        this(client, tableName, s3, uploadsBucket, mediaBucket, MAX_BYTES);
    }

    S3ExportArchives(DynamoDbClient client, String tableName, S3Client s3, String uploadsBucket, String mediaBucket,
                     long maxBytes) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.s3 = s3;
        this.uploadsBucket = uploadsBucket;
        this.mediaBucket = mediaBucket;
        this.maxBytes = maxBytes;
    }

    @Override
    public Written write(String userId, String objectKey) {
        Path file = null;
        try {
            file = Files.createTempFile("glint-export-", ".zip");
            int photos;
            try (Counting counted = new Counting(Files.newOutputStream(file), maxBytes);
                 ZipOutputStream zip = new ZipOutputStream(counted)) {
                photos = writeEntries(userId, zip);
            }
            long bytes = Files.size(file);
            s3.putObject(r -> r.bucket(uploadsBucket).key(objectKey).contentType("application/zip"), RequestBody.fromFile(file));
            return new Written(bytes, photos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(S3ExportArchives.class).warn("could not remove {}", file, e);
                }
            }
        }
    }

    @Override
    public void delete(String objectKey) {
        s3.deleteObject(r -> r.bucket(uploadsBucket).key(objectKey));
    }

    private int writeEntries(String userId, ZipOutputStream zip) throws IOException {
        text(zip, "README.txt", README);
        Optional<Profile> profile = table.get(Keys.userProfile(userId), true).map(ProfileItem::fromItem);
        json(zip, "profile.json", profile.map(p -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", p.id());
            view.put("handle", p.handle());
            view.put("displayName", p.displayName());
            view.put("bio", p.bio());
            view.put("private", p.locked());
            view.put("createdAt", p.createdAt() == null ? null : p.createdAt().toString());
            view.put("followers", p.followers());
            view.put("following", p.following());
            view.put("posts", p.posts());
            return (Object) view;
        }).orElse(Map.of("id", userId)));

        int photos = 0;
        List<Object> posts = new ArrayList<>();
        for (Map<String, AttributeValue> entry : all(Keys.authorPostsPartition(userId), null)) {
            Optional<Post> found = table.get(Keys.post(str(entry, DynamoTable.SK)), true).map(PostItem::fromItem);
            if (found.isEmpty()) {
                continue;
            }
            Post post = found.get();
            List<Object> photoViews = new ArrayList<>();
            for (int i = 0; i < post.photos().size(); i++) {
                Photo photo = post.photos().get(i);
                Map<String, Object> view = new LinkedHashMap<>();
                String key = photo.media().get(PHOTO_RENDITION);
                String name = "photos/" + post.id() + "-" + (i + 1) + ".jpg";
                if (key != null && copy(zip, name, key)) {
                    view.put("file", name);
                    photos++;
                } else {
                    view.put("file", null);
                }
                view.put("altText", photo.altText());
                view.put("width", photo.width());
                view.put("height", photo.height());
                photoViews.add(view);
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", post.id());
            view.put("caption", post.caption());
            view.put("status", post.status().name().toLowerCase(java.util.Locale.ROOT));
            view.put("createdAt", post.createdAt() == null ? null : post.createdAt().toString());
            view.put("likes", post.likes());
            view.put("comments", post.comments());
            view.put("photos", photoViews);
            posts.add(view);
        }
        json(zip, "posts.json", posts);

        // Streamed a page at a time: a user with many likes, comments or notifications is never held in memory whole.
        array(zip, "comments.json", references(userId, EngagementItem.COMMENT), item -> {
            var comment = EngagementItem.commentFromItem(item);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", comment.id());
            view.put("postId", comment.postId());
            view.put("text", comment.text());
            view.put("createdAt", comment.createdAt() == null ? null : comment.createdAt().toString());
            return view;
        });
        array(zip, "likes.json", references(userId, EngagementItem.LIKE), item -> {
            var like = EngagementItem.likeFromItem(item);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("postId", like.postId());
            view.put("createdAt", like.createdAt() == null ? null : like.createdAt().toString());
            return view;
        });

        zip.putNextEntry(new ZipEntry("follows.json"));
        zip.write("{\"followers\":".getBytes(StandardCharsets.UTF_8));
        people(zip, partition(Keys.followersPartition(userId), null));
        zip.write(",\"following\":".getBytes(StandardCharsets.UTF_8));
        people(zip, partition(Keys.followingPartition(userId), null));
        zip.write("}".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();

        array(zip, "notifications.json", partition(Keys.notificationsPartition(userId), null), item -> {
            Notification n = NotificationItem.fromItem(item);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", n.id());
            view.put("kind", n.kind());
            view.put("actorId", n.actorId());
            view.put("subjectId", n.subjectId());
            view.put("createdAt", n.createdAt() == null ? null : n.createdAt().toString());
            return view;
        });
        zip.putNextEntry(new ZipEntry("blocks.json"));
        people(zip, partition(Keys.userPartition(userId), Keys.BLOCKS_PREFIX));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("mutes.json"));
        people(zip, partition(Keys.userPartition(userId), Keys.MUTES_PREFIX));
        zip.closeEntry();
        return photos;
    }

    /**
     * A JSON array of the people named by list items ({@code userId}, {@code createdAt}), with their handles where
     * they still have one: one BatchGetItem of their profiles a page.
     */
    private void people(OutputStream out, Pages pages) throws IOException {
        Separator separator = new Separator(out);
        pages.forEachPage(page -> {
            List<String> ids = page.stream().map(i -> str(i, "userId")).filter(id -> id != null).toList();
            Map<String, String> handles = new java.util.HashMap<>();
            table.getAll(ids.stream().map(Keys::userProfile).toList(), false).forEach(item -> {
                Profile profile = ProfileItem.fromItem(item);
                handles.put(profile.id(), profile.handle());
            });
            for (Map<String, AttributeValue> item : page) {
                String id = str(item, "userId");
                if (id != null) {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("userId", id);
                    view.put("handle", handles.get(id));
                    view.put("since", str(item, "createdAt"));
                    separator.write(view);
                }
            }
        });
        separator.end();
    }

    /** A JSON array written a page at a time. */
    private static void array(ZipOutputStream zip, String name, Pages pages,
                              Function<Map<String, AttributeValue>, Object> view) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Separator separator = new Separator(zip);
        pages.forEachPage(page -> {
            for (Map<String, AttributeValue> item : page) {
                separator.write(view.apply(item));
            }
        });
        separator.end();
        zip.closeEntry();
    }

    /** Writes {@code [a,b,...]} one element at a time. */
    private static final class Separator {
        private final OutputStream out;
        private boolean first = true;

        Separator(OutputStream out) throws IOException {
            this.out = out;
            out.write('[');
        }

        void write(Object value) throws IOException {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(Json.write(value).getBytes(StandardCharsets.UTF_8));
        }

        void end() throws IOException {
            out.write(']');
        }
    }

    /** A query's pages, read one after another. */
    @FunctionalInterface
    private interface Pages {
        void forEachPage(PageConsumer consumer) throws IOException;
    }

    @FunctionalInterface
    private interface PageConsumer {
        void accept(List<Map<String, AttributeValue>> page) throws IOException;
    }

    /** Copies a rendition into the zip; false when it is gone (a post deleted meanwhile). */
    private boolean copy(ZipOutputStream zip, String name, String key) throws IOException {
        try (InputStream in = s3.getObject(r -> r.bucket(mediaBucket).key(key))) {
            zip.putNextEntry(new ZipEntry(name));
            in.transferTo(zip);
            zip.closeEntry();
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static void json(ZipOutputStream zip, String name, Object value) throws IOException {
        text(zip, name, Json.write(value));
    }

    private static void text(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** Every item of a partition (optionally of a sort-key prefix), a page at a time, read strongly. */
    private List<Map<String, AttributeValue>> all(String pk, String skPrefix) throws IOException {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        partition(pk, skPrefix).forEachPage(items::addAll);
        return items;
    }

    private Pages partition(String pk, String skPrefix) {
        return pages(r -> {
            r.tableName(table.name()).consistentRead(true).limit(PAGE);
            if (skPrefix == null) {
                r.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
            } else {
                r.keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":p", s(skPrefix)));
            }
            return r;
        });
    }

    /** The user's likes or comments (on anyone's post), found under what names them in {@code gsi1}. */
    private Pages references(String userId, String entity) {
        return pages(r -> r.tableName(table.name()).indexName(GlintIndex.NAME).limit(PAGE)
                .keyConditionExpression("#p = :p").filterExpression("#e = :e")
                .expressionAttributeNames(Map.of("#p", DynamoTable.GSI1PK, "#e", ENTITY))
                .expressionAttributeValues(Map.of(":p", s(Keys.userReferences(userId)), ":e", s(entity))));
    }

    private Pages pages(
            Function<software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder,
                    software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder> request) {
        return consumer -> {
            Map<String, AttributeValue> start = null;
            do {
                var builder = request.apply(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder());
                if (start != null) {
                    builder.exclusiveStartKey(start);
                }
                QueryResponse response = client.query(builder.build());
                consumer.accept(response.items());
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            } while (start != null);
        };
    }

    /** Counts what is written and stops past the limit. */
    private static final class Counting extends FilterOutputStream {
        private final long limit;
        private long count;

        Counting(OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
            out.write(b, off, len);
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new TooLarge("The archive would pass " + (limit / (1024 * 1024))
                        + " MB, more than an export can hold yet.");
            }
        }
    }

    private static final class GlintIndex {
        static final String NAME = dev.glint.shared.resources.GlintResources.TABLE.indexes().get(0).name();
    }

    static final String README = """
            Your Glint data
            ===============

            This archive holds what Glint keeps about you, as of when it was made.

            profile.json        your profile: id, handle, display name, bio, whether it is private, when you joined, counts
            posts.json          your posts, oldest first: caption, status, when, counts, and each photo's alt text,
                                size and its file in photos/ (null if the photo was never processed or was removed)
            photos/             your photos, at the largest size Glint keeps (1080 px wide; the files you uploaded
                                are deleted once processed), named <post id>-<photo number>.jpg
            comments.json       the comments you wrote, on anyone's post: the post's id, the text, when
            likes.json          the posts you liked and when
            follows.json        who follows you (followers) and whom you follow (following), with handles and since when
            notifications.json  your notifications: kind, who caused them (their id), about what, when
            blocks.json         the people you blocked
            mutes.json          the people you muted

            Times are UTC, in ISO 8601. The download link works for 15 minutes (ask for the export again to get a
            new one); the archive itself is deleted 7 days after it was made.
            """;
}
