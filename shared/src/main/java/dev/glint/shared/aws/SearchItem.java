package dev.glint.shared.aws;

import dev.glint.shared.social.ProfileStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * A profile's search entry ({@code SEARCH#<first two characters>/<term>#<userId>}). It holds no copy of
 * the profile: results are read from the profiles themselves, so a change of bio or counts never
 * rewrites entries, and only a change of terms does.
 */
final class SearchItem {

    static final String ENTITY_NAME = "search";
    static final String TERM = "term";
    static final String USER_ID = "userId";

    private SearchItem() {
    }

    static Map<String, AttributeValue> toItem(String term, String userId) {
        return DynamoTable.item(Keys.searchEntry(term, userId),
                Map.of(ENTITY, s(ENTITY_NAME), TERM, s(term), USER_ID, s(userId)));
    }

    static ProfileStore.SearchEntry fromItem(Map<String, AttributeValue> item) {
        return new ProfileStore.SearchEntry(required(item, TERM), required(item, USER_ID));
    }
}
