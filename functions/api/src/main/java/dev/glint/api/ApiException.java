package dev.glint.api;

/**
 * A client error: becomes {@code {"error":{"code","message"}}} with the given status. The message
 * is shown to the caller, so it says what to fix and carries no internal detail.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
