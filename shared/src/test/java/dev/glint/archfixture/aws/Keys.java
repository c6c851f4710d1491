package dev.glint.archfixture.aws;

/** A planted adapter: the one place that may build keys and spell attribute names. */
public final class Keys {

    public static final String PK = "pk";

    private Keys() {
    }

    public static String post(String id) {
        return "POST#" + id;
    }
}
