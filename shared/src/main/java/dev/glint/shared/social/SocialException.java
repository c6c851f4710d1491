package dev.glint.shared.social;

/**
 * A refusal a caller can act on. {@link Kind} decides the HTTP status at the edge; the message
 * says what to fix and carries no internal detail.
 */
public final class SocialException extends RuntimeException {

    /** Why a request was refused. */
    public enum Kind { INVALID, NOT_FOUND, FORBIDDEN, CONFLICT }

    private final Kind kind;
    private final String code;

    public SocialException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public static SocialException invalid(String code, String message) {
        return new SocialException(Kind.INVALID, code, message);
    }

    public static SocialException notFound(String code, String message) {
        return new SocialException(Kind.NOT_FOUND, code, message);
    }

    public static SocialException forbidden(String message) {
        return new SocialException(Kind.FORBIDDEN, "forbidden", message);
    }

    public static SocialException conflict(String code, String message) {
        return new SocialException(Kind.CONFLICT, code, message);
    }
}
