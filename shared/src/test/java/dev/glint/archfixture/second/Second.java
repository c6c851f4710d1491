package dev.glint.archfixture.second;

import dev.glint.archfixture.first.First;

/** Planted: closes the circle. */
public final class Second {

    public First back() {
        return new First();
    }
}
