package dev.glint.local;

import dev.glint.local.versions.VersionStore;
import dev.glint.shared.split.VersionSplit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./glint split FUNCTION [VERSION=PERCENT ...|off]}: sets, shows or removes the sticky traffic
 * split of a function between its published versions on the local stack using the data folder (a
 * running one follows within a second, without a restart). Only the api is behind the gateway, so
 * only the api can be split.
 */
public final class Split {

    static final String USAGE = "usage: ./glint split api [VERSION=PERCENT ...|off] [--data DIR]   e.g. ./glint split api 1=70 2=30";

    private Split() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(".glint", "data");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else if (args[i].startsWith("--")) {
                fail("unexpected option " + args[i] + "\n" + USAGE);
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.isEmpty()) {
            fail(USAGE);
        }
        String function = rest.get(0);
        if (!function.equals("api")) {
            fail("only the api can be split (the gateway's integration); got " + function + "\n" + USAGE);
        }
        List<String> shares = rest.subList(1, rest.size());
        VersionStore store = new VersionStore(data);
        if (shares.isEmpty()) {
            Optional<VersionSplit> split = store.split(function);
            System.out.println(split.map(s -> function + " split: " + s + " (version=percent of users, sticky per user)")
                    .orElse(function + " has no split: the running stack's own build serves everyone"));
            System.out.println("published versions: " + store.list(function).stream().map(VersionStore.Version::version).toList());
            printResults(store.splitFile(function).resolveSibling("split-results.json"));
            return;
        }
        if (shares.equals(List.of("off"))) {
            System.out.println(store.clearSplit(function)
                    ? function + " split removed: the running stack's own build serves everyone again"
                    : function + " had no split");
            return;
        }
        VersionSplit split;
        try {
            split = VersionSplit.parse(function, shares);
            store.setSplit(split);
        } catch (IllegalArgumentException e) {
            fail(e instanceof VersionSplit.InvalidSplit invalid ? String.join("\n", invalid.problems()) : e.getMessage());
            return;
        }
        System.out.println(function + " split set: " + split + " (version=percent of users). A running stack on "
                + data + " follows within a second; each user stays on one version until the split changes.");
    }

    /** What the running stack (or the last one on this folder) served per version since it started. */
    private static void printResults(Path file) throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            System.out.println("no results yet: a running ./glint up on this data folder writes them every 2 s");
            return;
        }
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        System.out.println("served since the stack started (as of " + java.nio.file.Files.getLastModifiedTime(file) + "):");
        System.out.printf("  %-8s %10s %14s %10s %10s%n", "version", "requests", "server errors", "p50 ms", "p95 ms");
        for (var v : doc.path("versions")) {
            long requests = v.path("requests").asLong();
            long errors = v.path("serverErrors").asLong();
            System.out.printf("  %-8s %,10d %,8d %4.1f%% %10s %10s%n", v.path("version").asText(), requests, errors,
                    requests == 0 ? 0.0 : 100.0 * errors / requests, v.path("p50Millis").asText("-"), v.path("p95Millis").asText("-"));
        }
    }

    private static void fail(String message) {
        System.err.println("glint split: " + message);
        System.exit(2);
    }
}
