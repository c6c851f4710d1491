package dev.glint.local;

import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./glint versions publish|list FUNCTION}: publishes the function's current shaded jar as its
 * next version (an immutable copy in the data folder, as Lambda's {@code PublishVersion} keeps the code
 * it was given; an unchanged jar publishes nothing new), or lists the published versions.
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
            int before = store.list(spec.name()).size();
            VersionStore.Version v = store.publish(spec.name(), root.resolve(spec.jarPath()), spec.handlerClass(),
                    "published by ./glint versions publish");
            System.out.println(store.list(spec.name()).size() > before
                    ? "Published " + spec.name() + " version " + v.version() + " (" + v.jar() + ", sha256 " + v.sha256().substring(0, 12) + ")"
                    : "The build is unchanged since version " + v.version() + "; nothing published");
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
