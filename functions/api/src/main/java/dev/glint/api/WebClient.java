package dev.glint.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small web client, one page served at {@code /} beside the API it calls: sign in, profile,
 * share a photo (straight to the bucket with a presigned URL), follow, feed, likes, comments and
 * notifications. Its content security policy allows only its own inline script (by digest) and
 * style, calls to this origin and to the uploads bucket (the presigned PUT), and images from the
 * media bucket (the renditions' presigned URLs): the buckets' origins come from the function's own
 * configuration ({@link WebOrigins}), so a deployed stage names its own buckets and nothing local.
 * The page uses no browser feature that needs a permission (a file input needs none), so its
 * permissions policy turns them all off.
 */
final class WebClient {

    static final String RESOURCE = "/web/index.html";

    /** Two years, the preload list's figure; every subdomain too. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
    /** Every feature that needs a permission, off: the page uses none of them. */
    static final String PERMISSIONS_POLICY = String.join(", ", java.util.stream.Stream.of(
            "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "encrypted-media",
            "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "interest-cohort", "magnetometer",
            "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
            "serial", "usb", "web-share", "xr-spatial-tracking").map(feature -> feature + "=()").toList());

    private final String page;
    private final Map<String, String> headers;

    private WebClient(String page, WebOrigins origins) {
        this.page = page;
        Map<String, String> out = new LinkedHashMap<>();
        out.put("content-type", "text/html; charset=utf-8");
        out.put("cache-control", "public, max-age=300");
        out.put("x-content-type-options", "nosniff");
        out.put("referrer-policy", "no-referrer");
        out.put("strict-transport-security", STRICT_TRANSPORT_SECURITY);
        out.put("permissions-policy", PERMISSIONS_POLICY);
        out.put("cross-origin-opener-policy", "same-origin");
        out.put("content-security-policy", "default-src 'none'; script-src 'sha256-" + digest(between(page, "<script>", "</script>"))
                + "'; style-src 'sha256-" + digest(between(page, "<style>", "</style>")) + "'; img-src " + origins.media()
                + "; connect-src 'self' " + origins.uploads() + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
        this.headers = Map.copyOf(out);
    }

    /** The page, with a policy that lets it reach these buckets' origins. */
    static WebClient load(WebOrigins origins) {
        try (InputStream in = WebClient.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function jar");
            }
            return new WebClient(new String(in.readAllBytes(), StandardCharsets.UTF_8), origins);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse response() {
        return new HttpResponse(200, headers, page);
    }

    private static String between(String page, String open, String close) {
        int start = page.indexOf(open);
        int end = page.indexOf(close, start);
        if (start < 0 || end < 0 || page.indexOf(open, end) >= 0) {
            throw new IllegalStateException(RESOURCE + " must hold exactly one " + open + " block");
        }
        return page.substring(start + open.length(), end);
    }

    private static String digest(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
