package dev.glint.shared.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * The hashtag index as items: a post under a tag and its day ({@code TAG#<tag>#<day>/<postId>}), and
 * the first day the tag was used ({@code TAG#<tag>/FIRST-DAY}).
 */
final class TagItem {

    static final String DAY = "day";

    private TagItem() {
    }

    static Map<String, AttributeValue> entry(String tag, String day, String postId) {
        return DynamoTable.item(Keys.tagEntry(tag, day, postId), Map.of(ENTITY, s("tag"), "postId", s(postId)));
    }

    static Map<String, AttributeValue> firstDay(String tag, String day) {
        return DynamoTable.item(Keys.tagFirstDay(tag), Map.of(ENTITY, s("tag-first-day"), DAY, s(day)));
    }
}
