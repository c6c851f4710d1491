package dev.glint.shared.aws;

import dev.glint.shared.social.FocalPoint;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Removal;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * A post as an item ({@code POST#<id>/POST}), with the like and comment counts the stream processor
 * keeps on it, and its entry in its author's list ({@code POSTS#<author>/<id>}). Its photos are a
 * list of maps in album order ({@code photos[i]}), so the media worker marks one photo processed and
 * the author edits one alt text without rewriting the others. A post written before albums has no
 * list, only {@code uploadId} and {@code media}: it reads as a post of one photo.
 */
final class PostItem {

    static final String ENTITY_NAME = "post";
    static final String STATUS = "status";
    static final String MEDIA = "media";
    static final String FAILURE_REASON = "failureReason";
    static final String VERSION = "version";
    static final String POST_ID = "postId";
    static final String PHOTOS = "photos";
    static final String CAPTION = "caption";
    /** Attributes of one photo's map. */
    static final String UPLOAD_ID = "uploadId";
    static final String OBJECT_KEY = "objectKey";
    static final String ALT_TEXT = "altText";
    static final String FOCAL_X = "focalX";
    static final String FOCAL_Y = "focalY";
    static final String BLURHASH = "blurhash";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    /** Set by a moderator's takedown (with status {@code REMOVED}). */
    static final String REMOVED_REASON = "removedReason";
    static final String REMOVED_AT = "removedAt";

    private PostItem() {
    }

    static Map<String, AttributeValue> toItem(Post post) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(ENTITY_NAME));
        item.put(POST_ID, s(post.id()));
        item.put("authorId", s(post.authorId()));
        item.put(CAPTION, s(post.caption()));
        item.put(STATUS, s(post.status().name()));
        item.put(UPLOAD_ID, s(post.uploadId()));
        item.put(PHOTOS, AttributeValue.fromL(post.photos().stream().map(PostItem::photo).toList()));
        item.put("createdAt", s(post.createdAt().toString()));
        item.put("likes", n(post.likes()));
        item.put("comments", n(post.comments()));
        item.put(VERSION, n(post.version()));
        if (post.failureReason() != null) {
            item.put(FAILURE_REASON, s(post.failureReason()));
        }
        if (post.removed() != null) {
            item.put(REMOVED_REASON, s(post.removed().reason()));
            item.put(REMOVED_AT, s(post.removed().at().toString()));
        }
        return DynamoTable.item(Keys.post(post.id()), item);
    }

    static Post fromItem(Map<String, AttributeValue> item) {
        List<Photo> photos = new ArrayList<>();
        AttributeValue list = item.get(PHOTOS);
        if (list != null && list.hasL()) {
            list.l().forEach(photo -> photos.add(photoOf(photo.m())));
        } else {
            // Written before albums: one photo, its renditions beside it, no object key kept.
            photos.add(new Photo(str(item, UPLOAD_ID), null, "", FocalPoint.CENTRE, mediaOf(item.get(MEDIA)), null, 0, 0));
        }
        return new Post(required(item, POST_ID), required(item, "authorId"), str(item, CAPTION),
                PostStatus.valueOf(required(item, STATUS)), photos, instant(item, "createdAt"),
                num(item, "likes"), num(item, "comments"), str(item, FAILURE_REASON), num(item, VERSION), removal(item));
    }

    /** Why and when a moderator removed the item (a post, a comment, a profile's account), if one did. */
    static Removal removal(Map<String, AttributeValue> item) {
        return item.containsKey(REMOVED_AT) ? new Removal(str(item, REMOVED_REASON), instant(item, REMOVED_AT)) : null;
    }

    /** Whether the item was written before albums (no photo list). */
    static boolean legacy(Post post) {
        return post.photos().size() == 1 && post.photos().get(0).objectKey() == null;
    }

    static AttributeValue photo(Photo photo) {
        Map<String, AttributeValue> out = new HashMap<>();
        out.put(UPLOAD_ID, s(photo.uploadId()));
        if (photo.objectKey() != null) {
            out.put(OBJECT_KEY, s(photo.objectKey()));
        }
        out.put(ALT_TEXT, s(photo.altText()));
        out.put(FOCAL_X, AttributeValue.fromN(Double.toString(photo.focalPoint().x())));
        out.put(FOCAL_Y, AttributeValue.fromN(Double.toString(photo.focalPoint().y())));
        if (photo.processed()) {
            out.put(MEDIA, media(photo.media()));
            out.put(WIDTH, n(photo.width()));
            out.put(HEIGHT, n(photo.height()));
            if (photo.blurhash() != null) {
                out.put(BLURHASH, s(photo.blurhash()));
            }
        }
        return AttributeValue.fromM(out);
    }

    private static Photo photoOf(Map<String, AttributeValue> m) {
        return new Photo(str(m, UPLOAD_ID), str(m, OBJECT_KEY), str(m, ALT_TEXT),
                new FocalPoint(decimal(m, FOCAL_X), decimal(m, FOCAL_Y)), mediaOf(m.get(MEDIA)), str(m, BLURHASH),
                (int) num(m, WIDTH), (int) num(m, HEIGHT));
    }

    private static double decimal(Map<String, AttributeValue> m, String name) {
        AttributeValue value = m.get(name);
        return value == null || value.n() == null ? 0 : Double.parseDouble(value.n());
    }

    private static Map<String, String> mediaOf(AttributeValue raw) {
        Map<String, String> media = new LinkedHashMap<>();
        if (raw != null && raw.hasM()) {
            raw.m().forEach((k, v) -> media.put(k, v.s()));
        }
        return media;
    }

    /** Renditions as a map attribute: name to object key. */
    static AttributeValue media(Map<String, String> renditions) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        renditions.forEach((name, key) -> out.put(name, s(key)));
        return AttributeValue.fromM(out);
    }

    /** The post in its author's list. */
    static Map<String, AttributeValue> authorEntry(String authorId, String postId) {
        return DynamoTable.item(Keys.authorPost(authorId, postId), Map.of(ENTITY, s("author-post"), POST_ID, s(postId)));
    }

    /** The post id of an author-list entry (or of any item that names one). */
    static String postIdOf(Map<String, AttributeValue> item) {
        return required(item, POST_ID);
    }
}
