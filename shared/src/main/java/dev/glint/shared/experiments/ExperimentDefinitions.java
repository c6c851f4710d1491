package dev.glint.shared.experiments;

import java.util.Optional;

/**
 * The stored definitions as the api writes them: AppConfig's hosted configuration versions of the
 * stage's profile and their deployments (locally, the stack's emulation of the same API).
 */
public interface ExperimentDefinitions {

    /** A hosted version: its number (the concurrency token clients send in {@code If-Match}) and content. */
    record Version(int number, String content) {
    }

    /** The newest hosted version, empty when none was ever created. */
    Optional<Version> latest();

    /**
     * Creates a version on top of {@code latestVersion} (0: none yet).
     *
     * @return the new version's number
     * @throws Conflict when another version was created since {@code latestVersion}
     */
    int create(String content, int latestVersion, String description);

    /**
     * Deploys the version to the stage's environment with its deployment strategy.
     *
     * @throws Conflict when another deployment is still rolling out
     */
    void deploy(int version, String description);

    /** The store refused the write because someone else's came first. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
