package dev.glint.shared.social;

/**
 * Where a post is in the media pipeline, or {@code REMOVED}: taken down by a moderator, seen by its
 * author alone (every read path shows other people ready posts only, so a removed post leaves them all).
 */
public enum PostStatus { PROCESSING, READY, FAILED, REMOVED }
