package dev.glint.infra;

import dev.glint.shared.experiments.ExperimentConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stage's own experiments: {@code infra-cdk/experiments/<stage>.json} when it exists, passed to
 * the functions that serve and count experiments as {@link ExperimentConfig#ENV_VAR}; without the
 * file a stage runs the experiments shipped in the code. The file is validated at synthesis, so a
 * broken one never reaches a deployment.
 */
final class StageExperiments {

    /** Lambda keeps at most 4 KB of environment per function, shared with the other variables. */
    static final int MAX_JSON_BYTES = 2_500;

    private StageExperiments() {
    }

    static Optional<ExperimentConfig> forStage(String stage) {
        return read(GlintApp.repositoryRoot().resolve("infra-cdk").resolve("experiments").resolve(stage + ".json"));
    }

    static Optional<ExperimentConfig> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        ExperimentConfig config;
        try {
            config = ExperimentConfig.parse(json);
        } catch (ExperimentConfig.InvalidExperiments e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        int size = config.toJson().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_JSON_BYTES) {
            throw new IllegalArgumentException(file + " holds " + size + " bytes of experiments; a function's environment"
                    + " keeps 4 KB in all, so at most " + MAX_JSON_BYTES + ": shorten descriptions or end old experiments");
        }
        return Optional.of(config);
    }
}
