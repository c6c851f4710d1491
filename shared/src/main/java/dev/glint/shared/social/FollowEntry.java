package dev.glint.shared.social;

import java.time.Instant;

/** One line of a followers or following list: the other user and since when. */
public record FollowEntry(String userId, Instant since) {
}
