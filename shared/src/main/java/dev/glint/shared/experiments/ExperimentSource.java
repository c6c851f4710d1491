package dev.glint.shared.experiments;

/**
 * Where a function's experiments come from: fixed for the life of the container (the shipped file, a
 * stage's {@link ExperimentConfig#ENV_VAR}, a test's), or read at run time from AppConfig and cached
 * ({@link CachedExperimentSource}).
 */
@FunctionalInterface
public interface ExperimentSource {

    /** The definitions to serve now (never null, always valid). */
    ExperimentConfig current();

    static ExperimentSource fixed(ExperimentConfig config) {
        return () -> config;
    }
}
