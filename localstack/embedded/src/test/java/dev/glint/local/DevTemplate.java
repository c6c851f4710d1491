package dev.glint.local;

import dev.glint.local.template.TemplateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The dev stage's synthesized template for template-mode tests. When the cloud assembly it is asked
 * for is missing or older than the CDK app's build, it synthesizes it with {@code infra-cdk/cdk-app.sh}
 * (the app itself, with cdk.json's feature flags and the built function jars), once per test JVM.
 */
final class DevTemplate {

    private static Path synthesized;

    private DevTemplate() {
    }

    /** The template {@code -Dglint.template} names (a file or a cloud assembly), else infra-cdk's, synthesized when stale. */
    static Path configured() {
        return resolve(Path.of(System.getProperty(StackExtension.TEMPLATE_PROPERTY, "../../infra-cdk/target/cdk.out")));
    }

    static synchronized Path resolve(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (synthesized == null) {
            synthesize(path);
            synthesized = TemplateFiles.find(path);
        }
        return synthesized;
    }

    private static Path beta;

    /**
     * The beta stage's template (the canary rehearsal's default: 10 % for 5 minutes), synthesized into
     * {@code assembly} like the dev stage, with the context beta needs and these tests can give: sign-in
     * URLs and the CDK app's throwaway media signing key of its own tests.
     */
    static synchronized Path beta(Path assembly) {
        if (beta == null) {
            Path key = repositoryRoot().resolve("infra-cdk/src/test/resources/dev/glint/infra/media-test-public-key.pem");
            synthesize(assembly, "{\"stage\":\"beta\",\"callbackUrls\":\"https://beta.glint.photos/\","
                    + "\"logoutUrls\":\"https://beta.glint.photos/\",\"digestFromEmail\":\"digest@glint.photos\","
                    + "\"appUrl\":\"https://beta.glint.photos\",\"mediaPublicKey\":\"" + key + "\",");
            try {
                beta = Rehearse.findTemplate(repositoryRoot(), assembly);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return beta;
    }

    private static void synthesize(Path assembly) {
        synthesize(assembly, "{\"stage\":\"dev\",");
    }

    /** @param stageContext the start of the context JSON: the stage and what it needs, up to a trailing comma */
    private static void synthesize(Path assembly, String stageContext) {
        Path root = repositoryRoot();
        Path app = root.resolve("infra-cdk");
        Path classes = app.resolve("target/classes");
        Path manifest = assembly.resolve("manifest.json");
        try {
            if (Files.isRegularFile(manifest) && Files.getLastModifiedTime(manifest).compareTo(newest(classes)) > 0) {
                return;
            }
            String context = new String(Files.readAllBytes(app.resolve("cdk.json")));
            String contextJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(context).path("context").toString();
            ProcessBuilder builder = new ProcessBuilder(app.resolve("cdk-app.sh").toString()).directory(app.toFile())
                    .redirectErrorStream(true).redirectOutput(assembly.resolveSibling("synth.log").toFile());
            Files.createDirectories(assembly);
            builder.environment().put("CDK_OUTDIR", assembly.toAbsolutePath().toString());
            builder.environment().put("CDK_CONTEXT_JSON", stageContext + contextJson.substring(1));
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("synthesizing " + stageContext + "} failed; see " + assembly.resolveSibling("synth.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** When the CDK app was last built: its newest class file. */
    private static java.nio.file.attribute.FileTime newest(Path classes) throws IOException {
        try (var files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(java.util.Comparator.naturalOrder()).orElse(java.nio.file.attribute.FileTime.fromMillis(0));
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
