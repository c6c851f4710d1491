package dev.glint.shared.messages;

/** A queue message that cannot be decoded: malformed, of an unknown type or of an unknown version. */
public final class MessageFormatException extends RuntimeException {
    public MessageFormatException(String message) {
        super(message);
    }

    public MessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
