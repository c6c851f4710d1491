package dev.glint.shared.digest;

import java.util.Optional;

/**
 * A user's digest setting and the verified address it goes to (taken from the sign-in token when the
 * digest was turned on: the job runs without one).
 */
public record DigestPreference(String userId, DigestFrequency frequency, Optional<String> email) {

    public static DigestPreference off(String userId) {
        return new DigestPreference(userId, DigestFrequency.OFF, Optional.empty());
    }
}
