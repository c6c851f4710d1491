package dev.glint.shared.experiments;

/** One arm of an experiment and its share of the experiment's users (relative to the other weights). */
public record Variant(String name, int weight) {
}
