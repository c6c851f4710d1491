package dev.glint.shared.aws;

import dev.glint.shared.reports.HyperLogLog;
import dev.glint.shared.reports.RollupStore;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link RollupStore} on the table: counters updated once per stream event, sketches merged optimistically. */
public final class DynamoRollupStore implements RollupStore {

    /** Stream records are replayed within a day at most; markers outlive that. */
    private static final Duration MARKER_LIFETIME = Duration.ofDays(2);
    private static final int MAX_ATTEMPTS = 10;
    /** The version of an item whose ETag is made of it (posts, profiles), or of the optimistic sketch. */
    private static final String VERSION = "version";
    private static final String REGISTERS = "registers";

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final Clock clock;

    public DynamoRollupStore(DynamoDbClient client, String tableName, Clock clock) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.clock = clock;
    }

    @Override
    public boolean count(Event event) {
        // A counter whose post or user is gone is dropped and the rest counted: at most once per counter.
        List<Key> skipped = new ArrayList<>();
        for (int attempt = 0; attempt <= event.counters().size(); attempt++) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(marker(event.eventId()));
            List<Key> counted = new ArrayList<>();
            items.addAll(updates(List.of(event), skipped, counted));
            try {
                table.transact(items);
                return true;
            } catch (DynamoTable.ConditionFailed e) {
                if (e.index() == 0) {
                    return false;
                }
                int counter = e.index() - (items.size() - counted.size());
                if (counter < 0) {
                    throw new IllegalStateException("a rollup update of event " + event.eventId() + " failed its condition", e);
                }
                skipped.add(counted.get(counter));
            }
        }
        throw new IllegalStateException("event " + event.eventId() + " could not be counted");
    }

    /** Events per transaction at most: few enough that a conflict costs little. */
    private static final int EVENTS_PER_TRANSACTION = 40;
    /** DynamoDB's limit of items in one transaction: markers plus the summed updates. */
    private static final int ITEMS_PER_TRANSACTION = 100;

    @Override
    public void countAll(List<Event> events) {
        for (List<Event> candidates : chunks(events)) {
            // A replayed batch: skip the events counted before, found with one batch read.
            java.util.Set<String> counted = new java.util.HashSet<>();
            table.getAll(candidates.stream().map(e -> Keys.countedEvent(e.eventId())).toList(), true)
                    .forEach(item -> counted.add(str(item, DynamoTable.PK)));
            List<Event> chunk = candidates.stream()
                    .filter(e -> !counted.contains(Keys.countedEvent(e.eventId()).pk())).toList();
            if (chunk.isEmpty()) {
                continue;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            chunk.forEach(event -> items.add(marker(event.eventId())));
            items.addAll(updates(chunk, List.of(), new ArrayList<>()));
            try {
                table.transact(items);
            } catch (DynamoTable.ConditionFailed e) {
                // Counted meanwhile, or a post or user is gone: count event by event, each once.
                chunk.forEach(this::count);
            }
        }
    }

    /** The events in order, cut so each transaction has at most 40 events and 100 items. */
    private static List<List<Event>> chunks(List<Event> events) {
        List<List<Event>> chunks = new ArrayList<>();
        List<Event> chunk = new ArrayList<>();
        java.util.Set<Key> updated = new java.util.HashSet<>();
        for (Event event : events) {
            java.util.Set<Key> keys = new java.util.HashSet<>(updated);
            keys.addAll(keysOf(event));
            if (!chunk.isEmpty() && (chunk.size() == EVENTS_PER_TRANSACTION
                    || chunk.size() + 1 + keys.size() > ITEMS_PER_TRANSACTION)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                keys = new java.util.HashSet<>(keysOf(event));
            }
            chunk.add(event);
            updated = keys;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** The items an event's counting updates, its marker aside. */
    private static List<Key> keysOf(Event event) {
        List<Key> keys = new ArrayList<>();
        if (!event.increments().isEmpty()) {
            keys.add(Keys.rollupDay(event.day()));
        }
        if (event.increments().keySet().stream().anyMatch(name -> !name.startsWith("tag:"))) {
            keys.add(Keys.rollupHour(event.day(), event.hour()));
        }
        event.variant().ifPresent(delta -> keys.add(Keys.experimentVariant(delta.experimentId(), delta.variant())));
        event.counters().forEach(delta -> keys.add(counterKey(delta)));
        return keys;
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
     * The events' increments summed per rollup item and per post or user: one update each. The
     * updates of posts and users come last, in the order of {@code counted}; each also bumps the
     * item's {@code version}, which its HTTP ETag is made of.
     */
    private List<TransactWriteItem> updates(List<Event> events, List<Key> skipped, List<Key> counted) {
        Map<Key, Map<String, Long>> sums = new LinkedHashMap<>();
        Map<Key, Map<String, Long>> counters = new LinkedHashMap<>();
        for (Event event : events) {
            event.increments().forEach((name, value) -> {
                sums.computeIfAbsent(Keys.rollupDay(event.day()), k -> new LinkedHashMap<>()).merge(name, value, Long::sum);
                if (!name.startsWith("tag:")) {
                    sums.computeIfAbsent(Keys.rollupHour(event.day(), event.hour()), k -> new LinkedHashMap<>())
                            .merge(name, value, Long::sum);
                }
            });
            event.variant().ifPresent(delta -> delta.increments().forEach((name, value) -> sums.computeIfAbsent(
                    Keys.experimentVariant(delta.experimentId(), delta.variant()), k -> new LinkedHashMap<>())
                    .merge(name, value, Long::sum)));
            for (CounterDelta delta : event.counters()) {
                Key key = counterKey(delta);
                if (!skipped.contains(key)) {
                    Map<String, Long> counts = counters.computeIfAbsent(key, k -> new LinkedHashMap<>(Map.of(VERSION, 0L)));
                    delta.counts().forEach((name, value) -> counts.merge(name, value, Long::sum));
                    counts.merge(VERSION, 1L, Long::sum);
                }
            }
        }
        List<TransactWriteItem> items = new ArrayList<>();
        sums.forEach((key, increments) -> items.add(add(key, increments, null)));
        counters.forEach((key, counts) -> {
            counted.add(key);
            items.add(add(key, counts, "attribute_exists(pk)"));
        });
        return items;
    }

    private TransactWriteItem add(Key key, Map<String, Long> increments, String condition) {
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
        return TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(DynamoTable.key(key))
                .updateExpression(expression.toString()).expressionAttributeNames(names).expressionAttributeValues(values)
                .conditionExpression(condition)).build();
    }

    @Override
    public void mergeActive(String day, HyperLogLog actors) {
        Key key = Keys.rollupActive(day);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var current = table.get(key, true);
            HyperLogLog merged = current.map(DynamoRollupStore::sketch)
                    .orElseGet(HyperLogLog::new);
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

    @Override
    public List<DayRollup> days(List<String> days) {
        List<Key> keys = new ArrayList<>();
        days.forEach(day -> {
            keys.add(Keys.rollupDay(day));
            keys.add(Keys.rollupActive(day));
        });
        Map<String, Map<String, Long>> counts = new HashMap<>();
        Map<String, HyperLogLog> active = new HashMap<>();
        for (Map<String, AttributeValue> item : table.getAll(keys, false)) {
            String day = Keys.dayOfRollup(str(item, DynamoTable.PK));
            if (Keys.rollupActive(day).sk().equals(str(item, DynamoTable.SK))) {
                active.put(day, sketch(item));
            } else {
                Map<String, Long> values = new LinkedHashMap<>();
                item.forEach((name, value) -> {
                    if (value.n() != null) {
                        values.put(name, Long.parseLong(value.n()));
                    }
                });
                counts.put(day, values);
            }
        }
        List<DayRollup> out = new ArrayList<>();
        for (String day : days) {
            out.add(new DayRollup(day, counts.getOrDefault(day, Map.of()), active.getOrDefault(day, new HyperLogLog())));
        }
        return out;
    }
}
