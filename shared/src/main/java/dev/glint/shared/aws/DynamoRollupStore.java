package dev.glint.shared.aws;

import dev.glint.shared.reports.HyperLogLog;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.reports.TopTags;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * {@link RollupStore} on the table. A chunk of events is counted in one transaction with a marker per
 * event, so each is counted once: the summed increments of one shard of the day's and hour's rollups
 * (small items of a handful of counters), one update per post or user counted, and, when the chunk
 * counts hashtags, one shard of the day's {@link TopTags} sketch, written whole under a version
 * condition. Nothing a user writes becomes an attribute name: the sketch is a bounded map.
 */
public final class DynamoRollupStore implements RollupStore {

    /** Stream records are replayed within a day at most; markers outlive that. */
    private static final Duration MARKER_LIFETIME = Duration.ofDays(2);
    private static final int MAX_ATTEMPTS = 10;
    /** The version of an item whose ETag is made of it (posts, profiles), or of an optimistic sketch. */
    private static final String VERSION = "version";
    private static final String REGISTERS = "registers";
    private static final String TAGS = "tags";
    /** Events per transaction at most: few enough that a conflict costs little. */
    private static final int EVENTS_PER_TRANSACTION = 40;
    /** DynamoDB's limit of items in one transaction: markers, summed updates and sketches. */
    private static final int ITEMS_PER_TRANSACTION = 100;

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final Clock clock;

    public DynamoRollupStore(DynamoDbClient client, String tableName, Clock clock) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.clock = clock;
    }

    @Override
    public void countAll(List<Event> events) {
        for (List<Event> chunk : chunks(events)) {
            countChunk(chunk);
        }
    }

    /**
     * One transaction: the markers of the events not counted yet, then the summed rollup updates,
     * then the counters (each on an item that must exist), then the hashtag sketches (each at the
     * version read). A failed condition says what to drop or re-read, and the rest is tried again.
     */
    private void countChunk(List<Event> candidates) {
        int shard = Math.floorMod(candidates.get(0).eventId().hashCode(), Keys.ROLLUP_SHARDS);
        List<Event> chunk = new ArrayList<>(candidates);
        Set<Key> goneCounters = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            Read read = read(chunk, shard);
            chunk.removeIf(event -> read.counted().contains(event.eventId()));
            if (chunk.isEmpty()) {
                return;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            chunk.forEach(event -> items.add(marker(event.eventId())));
            items.addAll(sums(chunk, shard));
            List<Key> counters = new ArrayList<>(counterUpdates(chunk, goneCounters, items));
            List<Key> sketches = sketchPuts(chunk, shard, read.sketches(), items);
            try {
                table.transact(items);
                return;
            } catch (DynamoTable.ConditionFailed e) {
                if (attempt >= MAX_ATTEMPTS + candidates.size()) {
                    throw new IllegalStateException("a chunk of " + chunk.size() + " events could not be counted", e);
                }
                int index = e.index();
                int firstCounter = items.size() - counters.size() - sketches.size();
                if (index < chunk.size()) {
                    // counted meanwhile: the next read skips it
                    continue;
                } else if (index >= firstCounter && index < firstCounter + counters.size()) {
                    // a counted post or user is gone: its count is dropped, the rest still counts
                    goneCounters.add(counters.get(index - firstCounter));
                } else if (index < firstCounter) {
                    throw new IllegalStateException("a rollup update failed its condition", e);
                }
                // else: a sketch changed meanwhile; the next read merges on top of it
            }
        }
    }

    /** What a chunk's transaction is built on: which events were counted, and the sketches it updates. */
    private record Read(Set<String> counted, Map<Key, Map<String, AttributeValue>> sketches) {
    }

    /** One batch read: the chunk's markers and the hashtag sketches it updates (strongly consistent). */
    private Read read(List<Event> chunk, int shard) {
        List<Key> keys = new ArrayList<>();
        chunk.forEach(event -> keys.add(Keys.countedEvent(event.eventId())));
        Set<Key> sketchKeys = new HashSet<>();
        chunk.stream().filter(event -> !event.tags().isEmpty()).forEach(event -> sketchKeys.add(Keys.rollupTags(event.day(), shard)));
        keys.addAll(sketchKeys);
        Set<String> counted = new HashSet<>();
        Map<Key, Map<String, AttributeValue>> sketches = new HashMap<>();
        for (Map<String, AttributeValue> item : table.getAll(keys, true)) {
            Key key = new Key(str(item, DynamoTable.PK), str(item, DynamoTable.SK));
            if (sketchKeys.contains(key)) {
                sketches.put(key, item);
            } else {
                chunk.stream().filter(event -> Keys.countedEvent(event.eventId()).equals(key))
                        .forEach(event -> counted.add(event.eventId()));
            }
        }
        return new Read(counted, sketches);
    }

    /** The events in order, cut so each transaction has at most 40 events and 100 items. */
    private static List<List<Event>> chunks(List<Event> events) {
        List<List<Event>> chunks = new ArrayList<>();
        List<Event> chunk = new ArrayList<>();
        Set<String> updated = new HashSet<>();
        for (Event event : events) {
            Set<String> keys = new HashSet<>(updated);
            keys.addAll(itemsOf(event));
            if (!chunk.isEmpty() && (chunk.size() == EVENTS_PER_TRANSACTION
                    || chunk.size() + 1 + keys.size() > ITEMS_PER_TRANSACTION)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                keys = new HashSet<>(itemsOf(event));
            }
            chunk.add(event);
            updated = keys;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** The items an event's counting updates, its marker aside (by name: the shard is chosen later). */
    private static List<String> itemsOf(Event event) {
        List<String> items = new ArrayList<>();
        if (!event.increments().isEmpty()) {
            items.add("day:" + event.day());
            items.add("hour:" + event.day() + ":" + event.hour());
        }
        if (!event.tags().isEmpty()) {
            items.add("tags:" + event.day());
        }
        event.variant().ifPresent(delta -> items.add("variant:" + delta.experimentId() + ":" + delta.variant()));
        event.counters().forEach(delta -> items.add("counter:" + counterKey(delta)));
        return items;
    }

    private static Key counterKey(CounterDelta delta) {
        return delta.subject() == Subject.POST ? Keys.post(delta.id()) : Keys.userProfile(delta.id());
    }

    private TransactWriteItem marker(String eventId) {
        long ttl = clock.instant().plus(MARKER_LIFETIME).getEpochSecond();
        return table.put(DynamoTable.item(Keys.countedEvent(eventId), Map.of(DynamoTable.ENTITY, s("counted"),
                DynamoTable.TTL, n(ttl))), "attribute_not_exists(pk)");
    }

    /**
     * The events' increments summed per item of the shard: the day's and hour's rollups, variants'
     * counts (each labelled with its revision, variant and, once an exposure says, the revision's split).
     */
    private List<TransactWriteItem> sums(List<Event> events, int shard) {
        Map<Key, Map<String, Long>> sums = new LinkedHashMap<>();
        Map<Key, Map<String, AttributeValue>> labels = new HashMap<>();
        for (Event event : events) {
            event.increments().forEach((name, value) -> {
                sums.computeIfAbsent(Keys.rollupDay(event.day(), shard), k -> new LinkedHashMap<>()).merge(name, value, Long::sum);
                sums.computeIfAbsent(Keys.rollupHour(event.day(), event.hour(), shard), k -> new LinkedHashMap<>())
                        .merge(name, value, Long::sum);
            });
            event.variant().ifPresent(delta -> {
                Key key = Keys.experimentVariant(delta.experimentId(), delta.revision(), delta.variant());
                delta.increments().forEach((name, value) -> sums.computeIfAbsent(key, k -> new LinkedHashMap<>())
                        .merge(name, value, Long::sum));
                Map<String, AttributeValue> set = labels.computeIfAbsent(key, k -> new HashMap<>(Map.of(
                        DynamoExperimentStore.REVISION, s(delta.revision()), DynamoExperimentStore.VARIANT, s(delta.variant()))));
                if (!delta.split().isEmpty()) {
                    set.put(DynamoExperimentStore.SPLIT, s(ExperimentItem.split(delta.split())));
                }
            });
        }
        List<TransactWriteItem> items = new ArrayList<>();
        sums.forEach((key, increments) -> items.add(add(key, increments, labels.getOrDefault(key, Map.of()), null)));
        return items;
    }

    /**
     * One update per post or user counted (each also bumps the item's {@code version}, which its HTTP
     * ETag is made of), on an item that must exist; appended to {@code items}.
     *
     * @return the counted items' keys, in the order of their updates
     */
    private List<Key> counterUpdates(List<Event> events, Set<Key> gone, List<TransactWriteItem> items) {
        Map<Key, Map<String, Long>> counters = new LinkedHashMap<>();
        for (Event event : events) {
            for (CounterDelta delta : event.counters()) {
                Key key = counterKey(delta);
                if (!gone.contains(key)) {
                    Map<String, Long> counts = counters.computeIfAbsent(key, k -> new LinkedHashMap<>(Map.of(VERSION, 0L)));
                    delta.counts().forEach((name, value) -> counts.merge(name, value, Long::sum));
                    counts.merge(VERSION, 1L, Long::sum);
                }
            }
        }
        counters.forEach((key, counts) -> items.add(add(key, counts, "attribute_exists(pk)")));
        return new ArrayList<>(counters.keySet());
    }

    /**
     * Each day's hashtag sketch of the shard, merged with the chunk's uses and put whole, at the
     * version read; appended to {@code items}.
     *
     * @return the sketches' keys, in the order of their puts
     */
    private List<Key> sketchPuts(List<Event> events, int shard, Map<Key, Map<String, AttributeValue>> read,
                                 List<TransactWriteItem> items) {
        Map<Key, Map<String, Long>> uses = new LinkedHashMap<>();
        for (Event event : events) {
            event.tags().forEach((tag, count) -> uses.computeIfAbsent(Keys.rollupTags(event.day(), shard),
                    k -> new HashMap<>()).merge(tag, count, Long::sum));
        }
        uses.forEach((key, dayUses) -> {
            Map<String, AttributeValue> current = read.get(key);
            long version = current == null ? 0 : DynamoTable.num(current, VERSION);
            Map<String, Long> merged = TopTags.of(current == null ? Map.of() : tagsOf(current)).add(dayUses).counts();
            Map<String, AttributeValue> counts = new HashMap<>();
            merged.forEach((tag, count) -> counts.put(tag, n(count)));
            Map<String, AttributeValue> item = DynamoTable.item(key, Map.of(DynamoTable.ENTITY, s("rollup-tags"),
                    TAGS, AttributeValue.fromM(counts), VERSION, n(version + 1)));
            items.add(version == 0 ? table.put(item, "attribute_not_exists(pk)")
                    : TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item).conditionExpression("#v = :v")
                            .expressionAttributeNames(Map.of("#v", VERSION))
                            .expressionAttributeValues(Map.of(":v", n(version)))).build());
        });
        return new ArrayList<>(uses.keySet());
    }

    private static Map<String, Long> tagsOf(Map<String, AttributeValue> item) {
        Map<String, Long> out = new HashMap<>();
        AttributeValue tags = item.get(TAGS);
        if (tags != null && tags.hasM()) {
            tags.m().forEach((tag, count) -> out.put(tag, Long.parseLong(count.n())));
        }
        return out;
    }

    private TransactWriteItem add(Key key, Map<String, Long> increments, String condition) {
        return add(key, increments, Map.of(), condition);
    }

    /** Adds the increments and sets the attributes of {@code set} (values that never change). */
    private TransactWriteItem add(Key key, Map<String, Long> increments, Map<String, AttributeValue> set, String condition) {
        StringBuilder expression = new StringBuilder("ADD ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (var entry : increments.entrySet()) {
            if (i > 0) {
                expression.append(", ");
            }
            expression.append("#a").append(i).append(" :v").append(i);
            names.put("#a" + i, entry.getKey());
            values.put(":v" + i, n(entry.getValue()));
            i++;
        }
        String separator = " SET ";
        for (var entry : set.entrySet()) {
            expression.append(separator).append("#a").append(i).append(" = :v").append(i);
            separator = ", ";
            names.put("#a" + i, entry.getKey());
            values.put(":v" + i, entry.getValue());
            i++;
        }
        return TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(DynamoTable.key(key))
                .updateExpression(expression.toString()).expressionAttributeNames(names).expressionAttributeValues(values)
                .conditionExpression(condition)).build();
    }

    @Override
    public void mergeActive(String day, HyperLogLog actors) {
        Key key = Keys.rollupActive(day);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var current = table.get(key, true);
            HyperLogLog merged = current.map(DynamoRollupStore::sketch).orElseGet(HyperLogLog::new);
            HyperLogLog before = HyperLogLog.of(merged.registers());
            merged.merge(actors);
            if (current.isPresent() && merged.equals(before)) {
                return;
            }
            long version = current.map(item -> DynamoTable.num(item, VERSION)).orElse(0L);
            Map<String, AttributeValue> item = DynamoTable.item(key, Map.of(DynamoTable.ENTITY, s("rollup-active"),
                    REGISTERS, AttributeValue.fromB(SdkBytes.fromByteArray(merged.registers())), VERSION, n(version + 1)));
            try {
                client.putItem(r -> r.tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR #v = :v")
                        .expressionAttributeNames(Map.of("#v", VERSION))
                        .expressionAttributeValues(Map.of(":v", n(version))));
                return;
            } catch (ConditionalCheckFailedException e) {
                // another batch merged meanwhile: read again and merge on top
            }
        }
        throw new IllegalStateException("active users of " + day + " kept changing; the record will be retried");
    }

    private static HyperLogLog sketch(Map<String, AttributeValue> item) {
        return HyperLogLog.of(item.get(REGISTERS).b().asByteArray());
    }

    /** Each day's shards of counts and hashtags and its active users: {@code 2 × shards + 1} keys a day, 100 a request. */
    @Override
    public List<DayRollup> days(List<String> days) {
        List<Key> keys = new ArrayList<>();
        for (String day : days) {
            for (int shard = 0; shard < Keys.ROLLUP_SHARDS; shard++) {
                keys.add(Keys.rollupDay(day, shard));
                keys.add(Keys.rollupTags(day, shard));
            }
            keys.add(Keys.rollupActive(day));
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        Map<String, List<Map<String, Long>>> tags = new HashMap<>();
        Map<String, HyperLogLog> active = new HashMap<>();
        for (Map<String, AttributeValue> item : table.getAll(keys, false)) {
            String day = Keys.dayOfRollup(str(item, DynamoTable.PK));
            String sk = str(item, DynamoTable.SK);
            if (Keys.rollupActive(day).sk().equals(sk)) {
                active.put(day, sketch(item));
            } else if (item.containsKey(TAGS)) {
                tags.computeIfAbsent(day, d -> new ArrayList<>()).add(tagsOf(item));
            } else {
                Map<String, Long> sums = counts.computeIfAbsent(day, d -> new LinkedHashMap<>());
                item.forEach((name, value) -> {
                    if (value.n() != null) {
                        sums.merge(name, Long.parseLong(value.n()), Long::sum);
                    }
                });
            }
        }
        List<DayRollup> out = new ArrayList<>();
        for (String day : days) {
            out.add(new DayRollup(day, counts.getOrDefault(day, Map.of()), TopTags.sum(tags.getOrDefault(day, List.of())),
                    active.getOrDefault(day, new HyperLogLog())));
        }
        return out;
    }
}
