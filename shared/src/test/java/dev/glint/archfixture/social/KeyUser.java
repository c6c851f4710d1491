package dev.glint.archfixture.social;

import dev.glint.archfixture.aws.Keys;

/** Planted: a domain class that builds a key itself. */
public final class KeyUser {

    public String key(String postId) {
        return Keys.post(postId);
    }
}
