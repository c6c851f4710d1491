package dev.glint.api;

import dev.glint.shared.aws.CloudFrontMediaUrls;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CloudFront distribution the api signs media URLs for, when its environment names one (beta and
 * prod): its URL, the id of the public key in its trusted key group, and the Secrets Manager secret that
 * holds the private key. Without them (dev, sandboxes, the local stack) renditions are S3 presigned GETs.
 *
 * @param url              the distribution's base URL
 * @param keyPairId        the CloudFront public key's id ({@code Key-Pair-Id} of every URL)
 * @param signingKeySecret the ARN of the secret holding the PEM private key
 */
record MediaDistribution(URI url, String keyPairId, String signingKeySecret) {

    private static final List<String> VARIABLES = List.of(GlintResources.ENV_MEDIA_URL,
            GlintResources.ENV_MEDIA_KEY_PAIR_ID, GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET);

    /**
     * The distribution the environment names: all three variables, or none.
     *
     * @throws GlintConfig.ConfigurationException naming what is missing when only some are set, or a URL that is no https URL
     */
    static Optional<MediaDistribution> fromEnv(Map<String, String> env) {
        List<String> missing = VARIABLES.stream().filter(name -> env.get(name) == null || env.get(name).isBlank()).toList();
        if (missing.size() == VARIABLES.size()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            List<String> set = VARIABLES.stream().filter(name -> !missing.contains(name)).toList();
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set, but " + String.join(" and ", set)
                    + (set.size() == 1 ? " is" : " are") + ": media URLs for CloudFront need all three "
                    + VARIABLES + ", S3 presigned URLs none");
        }
        String url = env.get(GlintResources.ENV_MEDIA_URL).trim();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + GlintResources.ENV_MEDIA_URL + " ("
                    + url + ") is not the https URL of a distribution");
        }
        return Optional.of(new MediaDistribution(uri, env.get(GlintResources.ENV_MEDIA_KEY_PAIR_ID).trim(),
                env.get(GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET).trim()));
    }

    /**
     * URLs signed with the key the secret holds; empty while it still holds the CDK app's placeholder (a
     * stage's first deploy, before an operator put the key in).
     *
     * @throws GlintConfig.ConfigurationException when it holds something else that is no RSA private key
     */
    Optional<CloudFrontMediaUrls> urls(String secretValue, Clock clock) {
        if (secretValue == null || secretValue.strip().equals(GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CloudFrontMediaUrls(url, keyPairId, CloudFrontMediaUrls.privateKey(secretValue), clock));
        } catch (GlintConfig.ConfigurationException e) {
            throw new GlintConfig.ConfigurationException(e.getMessage() + " (the secret " + signingKeySecret + ", "
                    + GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET + ")");
        }
    }

    /** The origin of the URLs, for the web client's {@code img-src}. */
    String origin() {
        return WebOrigins.origin(url);
    }
}
