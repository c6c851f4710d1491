package dev.glint.local.canary;

/**
 * The alarm says something the local evaluator cannot evaluate (an expression function, a statistic,
 * a comparison it lacks). A rehearsal stops on it: an alarm that is not evaluated must never count as passing.
 */
public final class UnsupportedAlarm extends RuntimeException {
    public UnsupportedAlarm(String message) {
        super(message);
    }
}
