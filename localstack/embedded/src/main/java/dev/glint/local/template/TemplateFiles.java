package dev.glint.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds a stage's template: a template file as given, or in a cloud assembly ({@code cdk.out}) the
 * template of the dev stage's stack, as the assembly's manifests name it
 * ({@code assembly-dev/devGlint<hash>.template.json}).
 */
public final class TemplateFiles {

    private TemplateFiles() {
    }

    public static Path find(Path path) {
        return find(path, "dev");
    }

    public static Path find(Path path, String stage) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        Path assembly = path.resolve("assembly-" + stage);
        Path manifest = assembly.resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(path + " is neither a template file nor a cloud assembly with the "
                    + stage + " stage (no " + manifest + ")");
        }
        try {
            JsonNode artifacts = new ObjectMapper().readTree(manifest.toFile()).path("artifacts");
            for (Iterator<Map.Entry<String, JsonNode>> it = artifacts.fields(); it.hasNext(); ) {
                JsonNode artifact = it.next().getValue();
                if (artifact.path("type").asText().equals("aws:cloudformation:stack")) {
                    return assembly.resolve(artifact.path("properties").path("templateFile").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        throw new IllegalArgumentException(manifest + " names no CloudFormation stack");
    }
}
