package dev.glint.shared.aws;

import dev.glint.shared.social.Profile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** A profile as an item ({@code USER#<id>/PROFILE}), with the counts the stream processor keeps on it. */
final class ProfileItem {

    static final String ENTITY_NAME = "profile";
    static final String HANDLE = "handle";
    static final String DISPLAY_NAME = "displayName";
    static final String BIO = "bio";
    static final String VERSION = "version";
    /** Present and true on a private account; absent on every public one (profiles made before it included). */
    static final String LOCKED = "locked";

    private ProfileItem() {
    }

    static Map<String, AttributeValue> toItem(Profile profile) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(ENTITY_NAME));
        item.put("userId", s(profile.id()));
        item.put(HANDLE, s(profile.handle()));
        item.put(DISPLAY_NAME, s(profile.displayName()));
        item.put(BIO, s(profile.bio()));
        item.put("followers", n(profile.followers()));
        item.put("following", n(profile.following()));
        item.put("posts", n(profile.posts()));
        item.put("createdAt", s(profile.createdAt().toString()));
        item.put(VERSION, n(profile.version()));
        if (profile.locked()) {
            item.put(LOCKED, AttributeValue.fromBool(true));
        }
        return DynamoTable.item(Keys.userProfile(profile.id()), item);
    }

    static Profile fromItem(Map<String, AttributeValue> item) {
        return new Profile(required(item, "userId"), str(item, HANDLE), str(item, DISPLAY_NAME), str(item, BIO),
                num(item, "followers"), num(item, "following"), num(item, "posts"), instant(item, "createdAt"),
                num(item, VERSION), locked(item), PostItem.removal(item));
    }

    static boolean locked(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(LOCKED);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    /** The claim on a handle ({@code HANDLE#<handle>/HANDLE}): whose it is. */
    static Map<String, AttributeValue> handleClaim(String userId, String handle) {
        return DynamoTable.item(Keys.handle(handle), Map.of(ENTITY, s("handle"), "userId", s(userId), HANDLE, s(handle)));
    }

    static String ownerOfClaim(Map<String, AttributeValue> item) {
        return required(item, "userId");
    }
}
