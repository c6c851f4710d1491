package dev.glint.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./glint bench [coldstart|thumbnails|cost|load|split|erasure|all] [--quick]}: Glint's benchmarks, each
 * measured side by side with a reference in the same run (absolute times on a shared machine mean
 * little). Each prints an aligned table and writes {@code target/bench/NAME.json}. {@code --quick}
 * runs a few iterations only, so the smoke tests can keep every benchmark from rotting.
 */
public final class Bench {

    public static final List<String> NAMES = List.of("coldstart", "thumbnails", "cost", "load", "split", "erasure");

    /** Where the repository is, where results go, and whether this is a quick smoke run. */
    public record Settings(Path root, Path out, boolean quick) {
        public Path jar(String module, String name) {
            return root.resolve(module).resolve("target/lambda/" + name + ".jar");
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        Path root = Path.of(System.getProperty("glint.root", ".")).toAbsolutePath().normalize();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]).toAbsolutePath();
            } else if (arg.equals("all")) {
                names.addAll(NAMES);
            } else if (NAMES.contains(arg)) {
                names.add(arg);
            } else {
                System.err.println("usage: ./glint bench [coldstart|thumbnails|cost|load|split|erasure|all] [--quick] [--out DIR]");
                System.exit(2);
            }
        }
        if (names.isEmpty()) {
            names.addAll(NAMES);
        }
        Settings settings = new Settings(root, out == null ? root.resolve("target/bench") : out, quick);
        Files.createDirectories(settings.out());
        int missed = 0;
        for (String name : names) {
            Report report = run(name, settings);
            report.print(System.out);
            Path file = report.write(settings.out());
            System.out.println("  written to " + file);
            for (Report companion : report.companions()) {
                System.out.println("  and " + file.resolveSibling(companion.name() + ".json"));
            }
            System.out.println();
            missed += report.failedChecks();
        }
        // A missed target is reported, not fatal: a benchmark measures, it does not gate.
        System.out.println(missed == 0 ? "every target met" : missed + " target(s) missed, see [MISSED] above");
    }

    /** Runs one benchmark by name. */
    public static Report run(String name, Settings settings) throws Exception {
        Files.createDirectories(settings.out());
        return switch (name) {
            case "coldstart" -> ColdStart.run(settings);
            case "thumbnails" -> Thumbnails.run(settings);
            case "cost" -> RequestCost.run(settings);
            case "load" -> Load.run(settings);
            case "split" -> SplitOverhead.run(settings);
            case "erasure" -> Erasure.run(settings);
            default -> throw new IllegalArgumentException("no benchmark " + name + "; known: " + NAMES);
        };
    }
}
