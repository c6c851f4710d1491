package dev.glint.archfixture.first;

import dev.glint.archfixture.second.Second;

/** Planted: imports a package that imports this one. */
public final class First {

    public Second next() {
        return new Second();
    }
}
