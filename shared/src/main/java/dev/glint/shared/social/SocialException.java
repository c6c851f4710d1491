package dev.glint.shared.social;

/**
 * A refusal a caller can act on. {@link Kind} decides the HTTP status at the edge; the message
 * says what to fix and carries no internal detail.
 */
public final class SocialException extends RuntimeException {

    /** Why a request was refused. */
    public enum Kind { INVALID, NOT_FOUND, FORBIDDEN, CONFLICT, LIMITED, UNSUPPORTED_MEDIA }

    private final Kind kind;
    private final String code;
    private final long retryAfterSeconds;

    public SocialException(Kind kind, String code, String message) {
        this(kind, code, message, 0);
    }

    private SocialException(Kind kind, String code, String message, long retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** For {@link Kind#LIMITED}: when the caller may try again, in whole seconds (0 otherwise). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
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

    /** A well-formed request for a kind of media Glint cannot process (HTTP 415 at the edge). */
    public static SocialException unsupportedMedia(String code, String message) {
        return new SocialException(Kind.UNSUPPORTED_MEDIA, code, message);
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

    public static SocialException limited(String code, String message, long retryAfterSeconds) {
        return new SocialException(Kind.LIMITED, code, message, Math.max(1, retryAfterSeconds));
    }
}
