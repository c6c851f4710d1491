package dev.glint.shared.reports;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * A day's most used hashtags in bounded space (the Space-Saving heavy-hitters sketch): at most
 * {@link #CAPACITY} tags with their counts. While a day has no more distinct tags than that, counts
 * are exact; past it, a new tag takes the place of the least counted one and inherits its count, so
 * counts are never under-counted and any tag used more often than a {@code 1/CAPACITY} share of all
 * uses is kept. However many distinct tags one user invents, the sketch stays the same size.
 */
public final class TopTags {

    public static final int CAPACITY = 100;

    private final Map<String, Long> counts;

    private TopTags(Map<String, Long> counts) {
        this.counts = counts;
    }

    public static TopTags of(Map<String, Long> counts) {
        if (counts.size() > CAPACITY) {
            throw new IllegalArgumentException("a sketch holds at most " + CAPACITY + " tags");
        }
        return new TopTags(new HashMap<>(counts));
    }

    /**
     * Adds a batch of uses, the most used tags first (then by name, so the same uses give the same
     * sketch): a tag that is heavy within the batch takes its place before the batch's rare ones
     * compete for the last places.
     */
    public TopTags add(Map<String, Long> uses) {
        uses.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(use -> add(use.getKey(), use.getValue()));
        return this;
    }

    private void add(String tag, long uses) {
        Long current = counts.get(tag);
        if (current != null) {
            counts.put(tag, current + uses);
        } else if (counts.size() < CAPACITY) {
            counts.put(tag, uses);
        } else {
            Map.Entry<String, Long> least = counts.entrySet().stream()
                    .min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow();
            counts.remove(least.getKey());
            counts.put(tag, least.getValue() + uses);
        }
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Sketches of one day's shards, summed tag by tag. */
    public static Map<String, Long> sum(Collection<Map<String, Long>> sketches) {
        Map<String, Long> out = new HashMap<>();
        sketches.forEach(sketch -> sketch.forEach((tag, count) -> out.merge(tag, count, Long::sum)));
        return out;
    }
}
