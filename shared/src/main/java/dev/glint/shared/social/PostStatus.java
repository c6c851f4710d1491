package dev.glint.shared.social;

/** Where a post is in the media pipeline. */
public enum PostStatus { PROCESSING, READY, FAILED }
