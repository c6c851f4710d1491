package dev.glint.api;

import dev.glint.shared.config.GlintConfig;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The origins the web page reaches besides its own, for its content security policy: where it PUTs a
 * photo (the uploads bucket, through a presigned URL) and where it loads renditions from (the media
 * bucket through presigned GETs, or its CloudFront distribution through signed URLs in beta and prod).
 * They are the origins of the URLs the function signs, so the policy names exactly those and nothing wider.
 *
 * @param uploads the uploads bucket's origin, for {@code connect-src}
 * @param media   the media bucket's or distribution's origin, for {@code img-src}
 */
public record WebOrigins(String uploads, String media) {

    /** {@code scheme://host[:port]}: no path, no wildcard, nothing that could end a policy directive. */
    private static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+\\](:[0-9]{1,5})?");
    /** Buckets the SDK addresses virtual-hosted: a DNS label. A name with dots is addressed by path. */
    private static final Pattern VIRTUAL_HOSTED_BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    public WebOrigins {
        for (String origin : new String[]{uploads, media}) {
            if (origin == null || !ORIGIN.matcher(origin).matches()) {
                throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + origin
                        + " is not an origin the web client's content security policy can name");
            }
        }
    }

    /**
     * The origins the function's S3 presigner gives its buckets: an endpoint override's origin where
     * one is set (local stacks address buckets by path there), else the bucket's virtual-hosted S3
     * origin in the region. In {@code us-east-1} the SDK signs for the global host
     * ({@code <bucket>.s3.amazonaws.com}), elsewhere for {@code <bucket>.s3.<region>.<partition's suffix>};
     * {@code WebOriginsTest} holds this to what the presigner produces.
     */
    public static WebOrigins of(GlintConfig config) {
        return new WebOrigins(s3Origin(config, config.uploadsBucket()), s3Origin(config, config.mediaBucket()));
    }

    /** The same, with renditions from another origin (the media distribution's, in beta and prod). */
    public WebOrigins withMedia(String mediaOrigin) {
        return new WebOrigins(uploads, mediaOrigin);
    }

    private static String s3Origin(GlintConfig config, String bucket) {
        return config.endpoints().s3().map(WebOrigins::origin).orElseGet(() -> awsOrigin(config.region(), bucket));
    }

    private static String awsOrigin(String regionName, String bucket) {
        Region region = Region.of(regionName);
        String host = region.equals(Region.US_EAST_1)
                ? "s3.amazonaws.com"
                : "s3." + region.id() + "." + PartitionMetadata.of(region).dnsSuffix();
        return "https://" + (VIRTUAL_HOSTED_BUCKET.matcher(bucket).matches() ? bucket + "." : "") + host;
    }

    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
