package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.media.MediaUrls;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MediaUrls} as CloudFront signed URLs with a canned policy, for the media distribution: the same
 * windows as {@link S3MediaUrls} (one URL per key per {@link S3MediaUrls#WINDOW}, expiring
 * {@link S3MediaUrls#VALIDITY} after the window's start), so list ETags and browser caches behave as before.
 *
 * <p>Signed here with the JDK (SHA1withRSA over the canned policy, as CloudFront checks it): no call, no
 * AWS type. The SDK's {@code CloudFrontUtilities} would do the same, but its artifact does not resolve at
 * the SDK version Glint pins. An RSA-2048 signature costs milliseconds (2.5-3 ms warm, 7 ms cold, on a
 * shared 2-core machine; an HMAC SigV4 presign costs microseconds), so a window's URLs are kept: each
 * rendition is signed once per window and container, not once per read.
 */
public final class CloudFrontMediaUrls implements MediaUrls {

    /** Kept URLs per window (at most about 7 MB); past this the map starts over. */
    private static final int MAX_KEPT = 20_000;
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final String base;
    private final String keyPairId;
    private final PrivateKey key;
    private final Clock clock;
    private volatile Kept kept = new Kept(Long.MIN_VALUE, new ConcurrentHashMap<>());

    private record Kept(long window, Map<String, String> urls) {
    }

    /**
     * @param base      the distribution's URL, e.g. {@code https://d111111abcdef8.cloudfront.net/}
     * @param keyPairId the id of the CloudFront public key in the distribution's trusted key group
     * @param key       the private half of that key
     */
    public CloudFrontMediaUrls(URI base, String keyPairId, PrivateKey key, Clock clock) {
        String url = base.toString();
        if (!"https".equals(base.getScheme()) || base.getHost() == null || base.getRawQuery() != null) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: the media URL " + url
                    + " is not an https URL of a distribution");
        }
        this.base = url.endsWith("/") ? url : url + "/";
        this.keyPairId = keyPairId;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public String url(String objectKey) {
        long window = SigningWindow.of(clock.instant());
        Kept current = kept;
        if (current.window() != window || current.urls().size() >= MAX_KEPT) {
            current = new Kept(window, new ConcurrentHashMap<>());
            kept = current;
        }
        return current.urls().computeIfAbsent(objectKey, k -> sign(k, window));
    }

    @Override
    public String window() {
        return Long.toString(SigningWindow.of(clock.instant()));
    }

    /** When URLs made now stop working: the window's start plus the validity. */
    public Instant expiry() {
        return expiryOf(SigningWindow.of(clock.instant()));
    }

    private static Instant expiryOf(long window) {
        return SigningWindow.start(window).plus(SigningWindow.VALIDITY);
    }

    private String sign(String objectKey, long window) {
        String resource = base + path(objectKey);
        long expires = expiryOf(window).getEpochSecond();
        String signature;
        try {
            Signature rsa = Signature.getInstance("SHA1withRSA");
            rsa.initSign(key);
            rsa.update(cannedPolicy(resource, expires).getBytes(StandardCharsets.UTF_8));
            signature = urlSafe(BASE64.encodeToString(rsa.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a media URL", e);
        }
        return resource + "?Expires=" + expires + "&Signature=" + signature + "&Key-Pair-Id=" + keyPairId;
    }

    /** The canned policy exactly as CloudFront rebuilds it from the URL: no whitespace, the epoch unquoted. */
    static String cannedPolicy(String resource, long expires) {
        return "{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
                + expires + "}}}]}";
    }

    /** CloudFront's URL-safe base64: {@code +} to {@code -}, {@code =} to {@code _}, {@code /} to {@code ~}. */
    private static String urlSafe(String base64) {
        return base64.replace('+', '-').replace('=', '_').replace('/', '~');
    }

    /** Each segment of the key percent-encoded (UTF-8) but for RFC 3986's unreserved characters. */
    private static String path(String objectKey) {
        StringBuilder out = new StringBuilder();
        for (byte b : objectKey.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * An RSA private key from PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}, what OpenSSL 3 writes) or PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} wrote before 3.0 and the CloudFront guide shows).
     *
     * @throws GlintConfig.ConfigurationException when it holds neither; the message never repeats the key
     */
    public static RSAPrivateKey privateKey(String pem) {
        boolean pkcs1 = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
        String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int start = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < start) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: the media signing key is not a PEM "
                    + "RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + label.length() + 16, end));
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8(der) : der));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: the media signing key is not a "
                    + "readable RSA private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in PKCS#8: version 0, the rsaEncryption algorithm, the key as an octet string. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] rsaEncryption = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] octets = der(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(rsaEncryption);
        body.writeBytes(octets);
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
