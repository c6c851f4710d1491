package dev.glint.local;

import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./glint versions publish|list FUNCTION}: publishes the function's current shaded jar as its
 * next version (an immutable copy in the data folder, as Lambda's {@code PublishVersion} keeps the code
 * it was given; unlike Lambda, an unchanged jar is a new version too, so two identical versions can try an A/A
 * split), printing the number alone on stdout; or lists the published versions.
 */
public final class Versions {

    private Versions() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("publish", "list").contains(args[0])) {
            System.err.println("usage: ./glint versions publish|list FUNCTION [--data DIR]");
            System.exit(2);
        }
        Path data = Path.of(".glint", "data");
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else {
                System.err.println("glint versions: unexpected argument " + args[i]);
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("glint.root", "."));
        GlintResources.FunctionSpec spec = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(args[1])).findFirst()
                .orElse(null);
        if (spec == null) {
            System.err.println("glint versions: no function " + args[1] + "; known: "
                    + GlintResources.FUNCTIONS.stream().map(GlintResources.FunctionSpec::name).toList());
            System.exit(2);
            return;
        }
        VersionStore store = new VersionStore(data);
        if (args[0].equals("publish")) {
            List<VersionStore.Version> before = store.list(spec.name());
            // Every publish is a new version, even of the same build: two identical versions are how an A/A
            // split is tried. The number alone goes to stdout (V=$(./glint versions publish api)), the rest to stderr.
            VersionStore.Version v = store.publish(spec.name(), root.resolve(spec.jarPath()), spec.handlerClass(),
                    "published by ./glint versions publish", true);
            String same = before.isEmpty() || !before.get(before.size() - 1).sha256().equals(v.sha256()) ? ""
                    : "; the same build as version " + before.get(before.size() - 1).version();
            System.err.println("Published " + spec.name() + " version " + v.version() + " (" + v.jar() + ", sha256 "
                    + v.sha256().substring(0, 12) + same + ")");
            System.out.println(v.version());
        } else {
            List<VersionStore.Version> versions = store.list(spec.name());
            if (versions.isEmpty()) {
                System.out.println(spec.name() + " has no published version; publish one with ./glint versions publish " + spec.name());
            }
            System.out.printf("%-8s %-32s %-14s %s%n", "version", "published", "sha256", "description");
            for (VersionStore.Version v : versions) {
                System.out.printf("%-8s %-32s %-14s %s%n", v.version(), v.published(), v.sha256().substring(0, 12), v.description());
            }
        }
    }
}
