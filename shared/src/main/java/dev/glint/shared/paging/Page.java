package dev.glint.shared.paging;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list, newest first unless a route says otherwise, and where the next one starts. */
public record Page<T>(List<T> items, Optional<PageToken> next) {

    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), next);
    }
}
