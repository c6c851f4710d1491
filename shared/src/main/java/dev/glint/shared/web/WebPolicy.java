package dev.glint.shared.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web client's response headers, written once for both places that serve its pages: the api
 * function (the local stack, and the API's own URL) and, deployed, the CloudFront response headers
 * policy in front of the web bucket (infra-cdk passes the stage's origins, as CloudFormation tokens).
 * Nothing of the page is inline, so scripts and styles come from its own origin only; it may call
 * its own origin, the uploads bucket (the presigned PUT), the managed login's token endpoint and the
 * realtime socket, and load images from its own origin and the media origin. Nothing may frame it,
 * and no form posts anywhere (the page sends everything with fetch).
 *
 * @param media    the renditions' origin, for {@code img-src}
 * @param uploads  the uploads bucket's origin, for {@code connect-src}
 * @param signIn   the managed login's origin (its token endpoint is called with fetch), or empty
 * @param realtime the WebSocket API's origin ({@code ws://} or {@code wss://}), or empty
 */
public record WebPolicy(String media, String uploads, String signIn, String realtime) {

    /** Two years, the preload list's figure; every subdomain too. */
    public static final String STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
    /** Every feature that needs a permission, off: the client uses none of them. */
    public static final String PERMISSIONS_POLICY = Stream.of(
            "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "encrypted-media",
            "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "interest-cohort", "magnetometer",
            "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
            "serial", "usb", "web-share", "xr-spatial-tracking").map(feature -> feature + "=()").collect(Collectors.joining(", "));
    public static final String REFERRER_POLICY = "no-referrer";
    public static final String CROSS_ORIGIN_OPENER_POLICY = "same-origin";

    public WebPolicy {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(uploads, "uploads");
        signIn = signIn == null ? "" : signIn;
        realtime = realtime == null ? "" : realtime;
    }

    /** The content security policy, one line. */
    public String contentSecurityPolicy() {
        String connect = Stream.of("'self'", uploads, signIn, realtime).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(" "));
        return String.join("; ", List.of(
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' " + media,
                "connect-src " + connect,
                "form-action 'none'",
                "frame-ancestors 'none'",
                "base-uri 'none'"));
    }

    /** Every header a page carries besides its type and caching, by lower-case name. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", REFERRER_POLICY);
        headers.put("strict-transport-security", STRICT_TRANSPORT_SECURITY);
        headers.put("permissions-policy", PERMISSIONS_POLICY);
        headers.put("cross-origin-opener-policy", CROSS_ORIGIN_OPENER_POLICY);
        headers.put("content-security-policy", contentSecurityPolicy());
        return headers;
    }
}
