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
 * style, calls to this origin and the buckets' presigned URLs, and images from anywhere https or
 * local.
 */
final class WebClient {

    static final String RESOURCE = "/web/index.html";

    private final String page;
    private final Map<String, String> headers;

    private WebClient(String page) {
        this.page = page;
        Map<String, String> out = new LinkedHashMap<>();
        out.put("content-type", "text/html; charset=utf-8");
        out.put("cache-control", "public, max-age=300");
        out.put("x-content-type-options", "nosniff");
        out.put("referrer-policy", "no-referrer");
        out.put("content-security-policy", "default-src 'none'; script-src 'sha256-" + digest(between(page, "<script>", "</script>"))
                + "'; style-src 'sha256-" + digest(between(page, "<style>", "</style>")) + "'; img-src 'self' https: http://127.0.0.1:* "
                + "http://localhost:*; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; form-action 'none'; "
                + "frame-ancestors 'none'; base-uri 'none'");
        this.headers = Map.copyOf(out);
    }

    static WebClient load() {
        try (InputStream in = WebClient.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function jar");
            }
            return new WebClient(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
