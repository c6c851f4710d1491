package dev.glint.shared.stream;

import java.util.Map;

/**
 * One change of one table item, as the change stream reports it, with attribute values turned into
 * plain Java values: {@code String}, {@code java.math.BigDecimal}, {@code Boolean}, {@code byte[]},
 * {@code java.util.List}, {@code java.util.Map}, {@code java.util.Set} or {@code null}.
 *
 * @param eventId        unique per stream record; a redelivered record carries the same id
 * @param sequenceNumber the record's position in its shard
 * @param newImage       empty for removals
 * @param oldImage       empty for inserts
 */
public record ChangeRecord(String eventId, String sequenceNumber, Kind kind,
                           Map<String, Object> keys, Map<String, Object> newImage, Map<String, Object> oldImage) {

    /** What happened to the item. */
    public enum Kind { INSERT, MODIFY, REMOVE }
}
