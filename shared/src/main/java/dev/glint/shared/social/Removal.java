package dev.glint.shared.social;

import java.time.Instant;

/**
 * Why and when a moderator took something down (a post, a comment) or suspended an account. Only
 * the owner of what was removed is ever shown it; to everyone else the thing is missing.
 */
public record Removal(String reason, Instant at) {
}
