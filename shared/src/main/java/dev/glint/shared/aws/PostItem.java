package dev.glint.shared.aws;

import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * keeps on it, and its entry in its author's list ({@code POSTS#<author>/<id>}).
 */
final class PostItem {

    static final String ENTITY_NAME = "post";
    static final String STATUS = "status";
    static final String MEDIA = "media";
    static final String FAILURE_REASON = "failureReason";
    static final String VERSION = "version";
    static final String POST_ID = "postId";

    private PostItem() {
    }

    static Map<String, AttributeValue> toItem(Post post) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(ENTITY_NAME));
        item.put(POST_ID, s(post.id()));
        item.put("authorId", s(post.authorId()));
        item.put("caption", s(post.caption()));
        item.put(STATUS, s(post.status().name()));
        item.put("uploadId", s(post.uploadId()));
        item.put("createdAt", s(post.createdAt().toString()));
        item.put("likes", n(post.likes()));
        item.put("comments", n(post.comments()));
        item.put(VERSION, n(post.version()));
        if (!post.media().isEmpty()) {
            item.put(MEDIA, media(post.media()));
        }
        if (post.failureReason() != null) {
            item.put(FAILURE_REASON, s(post.failureReason()));
        }
        return DynamoTable.item(Keys.post(post.id()), item);
    }

    static Post fromItem(Map<String, AttributeValue> item) {
        Map<String, String> media = new LinkedHashMap<>();
        AttributeValue raw = item.get(MEDIA);
        if (raw != null && raw.hasM()) {
            raw.m().forEach((k, v) -> media.put(k, v.s()));
        }
        return new Post(required(item, POST_ID), required(item, "authorId"), str(item, "caption"),
                PostStatus.valueOf(required(item, STATUS)), str(item, "uploadId"), instant(item, "createdAt"),
                num(item, "likes"), num(item, "comments"), Map.copyOf(media), str(item, FAILURE_REASON), num(item, VERSION));
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
