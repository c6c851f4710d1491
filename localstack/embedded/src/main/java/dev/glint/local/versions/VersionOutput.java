package dev.glint.local.versions;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * A published version runs its own log backend (the jar's), which writes JSON lines to standard
 * output as on Lambda. While a version runs on a thread, the lines it prints there go to that
 * invocation's sink instead (the rehearsal reads the metric lines from them, as CloudWatch Logs does);
 * every other line passes through. Installed once per JVM, before the first version loads.
 */
final class VersionOutput extends PrintStream {

    private static final ThreadLocal<Consumer<String>> SINK = new ThreadLocal<>();
    private static VersionOutput installed;

    private VersionOutput(PrintStream out) {
        super(out, true);
    }

    static synchronized void install() {
        if (installed == null) {
            installed = new VersionOutput(System.out);
            System.setOut(installed);
        }
    }

    /** Runs {@code body} with the lines printed on this thread going to {@code sink}. */
    static <T> T capture(Consumer<String> sink, java.util.concurrent.Callable<T> body) throws Exception {
        Consumer<String> outer = SINK.get();
        SINK.set(sink);
        try {
            return body.call();
        } finally {
            if (outer == null) {
                SINK.remove();
            } else {
                SINK.set(outer);
            }
        }
    }

    @Override
    public void println(String line) {
        Consumer<String> sink = SINK.get();
        if (sink == null) {
            super.println(line);
        } else {
            sink.accept(line);
        }
    }
}
