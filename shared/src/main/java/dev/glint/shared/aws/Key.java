package dev.glint.shared.aws;

/** A table item's primary key. */
public record Key(String pk, String sk) {
}
