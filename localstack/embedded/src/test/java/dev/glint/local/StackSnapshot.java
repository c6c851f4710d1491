package dev.glint.local;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a user could have written, for before-and-after comparisons: every table item (a
 * consistent scan) and every object of both buckets (key, size and a SHA-256 of its bytes).
 */
record StackSnapshot(Map<String, Map<String, AttributeValue>> items, Map<String, String> objects) {

    static StackSnapshot take(EmbeddedStack stack) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        stack.clients().dynamoDb().scanPaginator(r -> r.tableName(stack.config().table()).consistentRead(true))
                .items().forEach(item -> items.put(item.get("pk").s() + "|" + item.get("sk").s(), item));
        Map<String, String> objects = new TreeMap<>();
        for (String bucket : List.of(stack.config().uploadsBucket(), stack.config().mediaBucket())) {
            for (S3Object object : stack.clients().s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                try {
                    byte[] bytes = stack.clients().s3().getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asByteArray();
                    objects.put(bucket + "/" + object.key(), bytes.length + " bytes, sha256 " + sha256(bytes));
                } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                    // deleted between the listing and the read (a worker at work): not in this snapshot
                }
            }
        }
        return new StackSnapshot(items, objects);
    }

    /**
     * A snapshot once the stack's background work has settled (two snapshots 750 ms apart agree):
     * the stream processor and the workers write a moment after the writes they follow.
     */
    static StackSnapshot quiet(EmbeddedStack stack) throws InterruptedException {
        StackSnapshot previous = take(stack);
        for (int i = 0; i < 60; i++) {
            Thread.sleep(750);
            StackSnapshot current = take(stack);
            if (current.equals(previous)) {
                return current;
            }
            previous = current;
        }
        throw new AssertionError("the stack never became quiet");
    }

    int size() {
        return items.size() + objects.size();
    }

    /** What differs, item by item (at most 20 lines), for an assertion message. */
    String diff(StackSnapshot other) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(items.keySet());
        keys.addAll(other.items.keySet());
        for (String key : keys) {
            if (!Objects.equals(items.get(key), other.items.get(key))) {
                lines.add("item " + key + ": " + items.get(key) + " -> " + other.items.get(key));
            }
        }
        TreeSet<String> names = new TreeSet<>(objects.keySet());
        names.addAll(other.objects.keySet());
        for (String name : names) {
            if (!Objects.equals(objects.get(name), other.objects.get(name))) {
                lines.add("object " + name + ": " + objects.get(name) + " -> " + other.objects.get(name));
            }
        }
        return lines.size() + " difference(s): " + String.join("\n", lines.subList(0, Math.min(20, lines.size())));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
