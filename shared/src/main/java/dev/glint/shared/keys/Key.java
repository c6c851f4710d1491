package dev.glint.shared.keys;

/** A table item's primary key. */
public record Key(String pk, String sk) {
}
