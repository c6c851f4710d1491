package dev.glint.local.versions;

import java.util.Random;

/**
 * A Lambda alias: the version it points to and, optionally, an additional version with the share of
 * invocations it takes ({@code RoutingConfig.AdditionalVersionWeights}). As Lambda does, each invocation
 * picks its version at random with those weights.
 */
public record AliasRouting(String version, String additionalVersion, double additionalWeight) {

    public AliasRouting {
        if (additionalVersion == null ? additionalWeight != 0 : additionalWeight < 0 || additionalWeight > 1) {
            throw new IllegalArgumentException("an additional version's weight is from 0 to 1, got " + additionalWeight);
        }
    }

    public static AliasRouting to(String version) {
        return new AliasRouting(version, null, 0);
    }

    public AliasRouting withAdditional(String other, double weight) {
        return new AliasRouting(version, other, weight);
    }

    /** The version one invocation runs. */
    public String pick(Random random) {
        return additionalVersion != null && random.nextDouble() < additionalWeight ? additionalVersion : version;
    }

    @Override
    public String toString() {
        return additionalVersion == null ? version
                : version + " (" + Math.round((1 - additionalWeight) * 1000) / 10.0 + " %) + " + additionalVersion
                + " (" + Math.round(additionalWeight * 1000) / 10.0 + " %)";
    }
}
