package dev.glint.local;

/** Sleeps for pollers' back-off; an interrupt ends the pause and is kept for the caller's loop to see. */
final class Pause {

    private Pause() {
    }

    static void quietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
