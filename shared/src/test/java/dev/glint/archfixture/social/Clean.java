package dev.glint.archfixture.social;

/** Planted: a domain class that breaks no rule, though its text mentions "pk" in prose only. */
public final class Clean {

    public String greeting() {
        return "a pk is a key";
    }
}
