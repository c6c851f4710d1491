package dev.glint.shared.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * One change of one table item as the change stream reports it, its images in the table's own
 * attribute values. {@link StreamDecoder} reads it into a typed {@code TableChange}.
 *
 * @param eventId        unique per stream record; a redelivered record carries the same id
 * @param sequenceNumber the record's position in its shard
 * @param newImage       empty for removals
 * @param oldImage       empty for inserts
 */
public record ChangeRecord(String eventId, String sequenceNumber, Kind kind, Map<String, AttributeValue> keys,
                           Map<String, AttributeValue> newImage, Map<String, AttributeValue> oldImage) {

    public ChangeRecord {
        keys = Map.copyOf(keys);
        newImage = Map.copyOf(newImage);
        oldImage = Map.copyOf(oldImage);
    }

    /** What happened to the item. */
    public enum Kind { INSERT, MODIFY, REMOVE }
}
