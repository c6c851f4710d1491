package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to check every running experiment's current revision and stop the ones
 * whose sample-ratio check fails ({@code dev.glint.shared.experiments.ExperimentGuard}). Sent by the
 * stage's schedule and, locally, by the embedded stack's own timer. A replayed message stops nothing
 * twice: a stopped experiment is no longer running.
 *
 * @param at when the check was asked for (ISO-8601), for the log; absent: when it is handled
 */
public record ExperimentsCheck(String type, int v, String at) implements QueueMessage {
    public static final String TYPE = "experiments.check";
    public static final int VERSION = 1;

    public static ExperimentsCheck of(String at) {
        return new ExperimentsCheck(TYPE, VERSION, at);
    }
}
