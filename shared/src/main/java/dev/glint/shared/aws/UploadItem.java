package dev.glint.shared.aws;

import dev.glint.shared.social.Upload;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** An upload the API presigned ({@code UPLOAD#<id>/UPLOAD}); {@code usedBy} names the post that claimed it. */
final class UploadItem {

    static final String USED_BY = "usedBy";
    static final String OWNER_ID = "ownerId";
    /** Upload records outlive their validity by a day, then TTL removes them. */
    private static final Duration RECORD_GRACE = Duration.ofDays(1);

    private UploadItem() {
    }

    static Map<String, AttributeValue> toItem(Upload upload) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                ENTITY, s("upload"), "uploadId", s(upload.id()), OWNER_ID, s(upload.ownerId()),
                "objectKey", s(upload.objectKey()), "contentType", s(upload.contentType()),
                "contentLength", n(upload.contentLength()), "expiresAt", s(upload.expiresAt().toString()),
                TTL, n(upload.expiresAt().plus(RECORD_GRACE).getEpochSecond())));
        if (upload.usedBy() != null) {
            item.put(USED_BY, s(upload.usedBy()));
        }
        return DynamoTable.referencing(DynamoTable.item(Keys.upload(upload.id()), item), upload.ownerId());
    }

    static Upload fromItem(Map<String, AttributeValue> item) {
        return new Upload(required(item, "uploadId"), required(item, OWNER_ID), required(item, "objectKey"),
                str(item, "contentType"), num(item, "contentLength"), instant(item, "expiresAt"), str(item, USED_BY));
    }
}
