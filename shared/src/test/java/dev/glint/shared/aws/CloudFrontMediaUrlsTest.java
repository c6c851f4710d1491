package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media URLs for the CloudFront distribution verify the way CloudFront checks them (SHA1withRSA over the
 * canned policy rebuilt from the URL, with the public key the key pair id names), are the same within a
 * window and expire two hours after the window's start, as the S3 presigned ones do.
 */
class CloudFrontMediaUrlsTest {

    private static final KeyPair KEYS = keys();
    private static final KeyPair OTHER_KEYS = keys();
    private static final URI DISTRIBUTION = URI.create("https://d111111abcdef8.cloudfront.net/");

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CloudFrontMediaUrls at(String instant, PrivateKey key) {
        return new CloudFrontMediaUrls(DISTRIBUTION, "K2JCJMDEHXQW5F", key, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private static CloudFrontMediaUrls at(String instant) {
        return at(instant, KEYS.getPrivate());
    }

    /** CloudFront's side: the query's three parameters, the canned policy of the rest, the signature checked. */
    private static boolean verifies(String url, PublicKey publicKey, String expectedKeyPairId) throws Exception {
        int question = url.indexOf('?');
        String resource = url.substring(0, question);
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : url.substring(question + 1).split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        assertEquals(List.of("Expires", "Signature", "Key-Pair-Id"), List.copyOf(query.keySet()), url);
        assertEquals(expectedKeyPairId, query.get("Key-Pair-Id"));
        String policy = "{\"Statement\":[{\"Resource\":\"" + resource
                + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + Long.parseLong(query.get("Expires")) + "}}}]}";
        byte[] signature = Base64.getDecoder().decode(query.get("Signature").replace('-', '+').replace('_', '=').replace('~', '/'));
        Signature rsa = Signature.getInstance("SHA1withRSA");
        rsa.initVerify(publicKey);
        rsa.update(policy.getBytes(StandardCharsets.UTF_8));
        return rsa.verify(signature);
    }

    private static long expires(String url) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith("Expires=")) {
                return Long.parseLong(pair.substring("Expires=".length()));
            }
        }
        throw new AssertionError("no Expires in " + url);
    }

    @Test
    void aSignedUrlVerifiesWithTheMatchingPublicKeyOnly() throws Exception {
        String url = at("2026-11-22T10:07:00Z").url("media/p1/thumb.jpg");

        assertTrue(url.startsWith("https://d111111abcdef8.cloudfront.net/media/p1/thumb.jpg?Expires="), url);
        assertTrue(verifies(url, KEYS.getPublic(), "K2JCJMDEHXQW5F"), url);
        assertFalse(verifies(url, OTHER_KEYS.getPublic(), "K2JCJMDEHXQW5F"), "another key pair's public key refuses it");
        String otherRendition = url.replace("thumb.jpg", "large.jpg");
        assertFalse(verifies(otherRendition, KEYS.getPublic(), "K2JCJMDEHXQW5F"), "the signature is bound to its rendition");
        String longer = url.replace("Expires=" + expires(url), "Expires=" + (expires(url) + 3600));
        assertFalse(verifies(longer, KEYS.getPublic(), "K2JCJMDEHXQW5F"), "and to its expiry");
    }

    @Test
    void oneWindowOneUrlAndItExpiresTwoHoursAfterTheWindowStarts() throws Exception {
        String early = at("2026-11-22T10:00:00Z").url("media/p1/thumb.jpg");
        String late = at("2026-11-22T10:29:59Z").url("media/p1/thumb.jpg");
        String next = at("2026-11-22T10:30:00Z").url("media/p1/thumb.jpg");

        assertEquals(early, late, "the same key within a window gives the same URL");
        assertNotEquals(late, next);
        assertEquals(Instant.parse("2026-11-22T12:00:00Z").getEpochSecond(), expires(early),
                "expiry = the window's start (10:00) + " + S3MediaUrls.VALIDITY);
        assertEquals(Instant.parse("2026-11-22T12:30:00Z").getEpochSecond(), expires(next));
        assertEquals(Instant.parse("2026-11-22T12:00:00Z"), at("2026-11-22T10:29:59Z").expiry());
        assertTrue(verifies(next, KEYS.getPublic(), "K2JCJMDEHXQW5F"));
        assertEquals(at("2026-11-22T10:00:00Z").window(), at("2026-11-22T10:29:59Z").window());
        assertNotEquals(at("2026-11-22T10:29:59Z").window(), at("2026-11-22T10:30:00Z").window());
        assertEquals(at("2026-11-22T10:00:00Z").window(), new S3MediaUrls(null, null, null, null,
                Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC)).window(), "ETags name the same windows as before");
    }

    @Test
    void oneSignerGivesTheSameUrlAllWindowAndANewOneInTheNext() throws Exception {
        var now = new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-11-22T10:00:01Z"));
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        var urls = new CloudFrontMediaUrls(DISTRIBUTION, "K2JCJMDEHXQW5F", KEYS.getPrivate(), clock);
        String first = urls.url("media/p1/thumb.jpg");
        now.set(Instant.parse("2026-11-22T10:29:59Z"));
        assertEquals(first, urls.url("media/p1/thumb.jpg"));
        now.set(Instant.parse("2026-11-22T10:30:00Z"));
        String second = urls.url("media/p1/thumb.jpg");
        assertNotEquals(first, second, "a kept URL is not handed out past its window");
        assertEquals(at("2026-11-22T10:30:00Z").url("media/p1/thumb.jpg"), second);
        assertTrue(verifies(second, KEYS.getPublic(), "K2JCJMDEHXQW5F"));
    }

    @Test
    void keysThatAreNotUrlSafeArePercentEncodedAndStillVerify() throws Exception {
        String url = at("2026-11-22T10:00:00Z").url("media/p 1/é+.jpg");
        assertTrue(url.startsWith("https://d111111abcdef8.cloudfront.net/media/p%201/%C3%A9%2B.jpg?"), url);
        assertTrue(verifies(url, KEYS.getPublic(), "K2JCJMDEHXQW5F"));
    }

    @Test
    void aBaseWithoutTrailingSlashNamesTheSameUrls() {
        var withSlash = at("2026-11-22T10:00:00Z").url("media/p1/thumb.jpg");
        var withoutSlash = new CloudFrontMediaUrls(URI.create("https://d111111abcdef8.cloudfront.net"), "K2JCJMDEHXQW5F",
                KEYS.getPrivate(), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC)).url("media/p1/thumb.jpg");
        assertEquals(withSlash, withoutSlash);
        assertThrows(GlintConfig.ConfigurationException.class, () -> new CloudFrontMediaUrls(
                URI.create("http://d111111abcdef8.cloudfront.net/"), "K", KEYS.getPrivate(), Clock.systemUTC()));
    }

    @Test
    void pkcs8AndPkcs1PemKeysAreRead() throws Exception {
        byte[] pkcs8 = KEYS.getPrivate().getEncoded();
        String pkcs8Pem = pem("PRIVATE KEY", pkcs8);
        // A 2048-bit key's PKCS#8: SEQUENCE(4) version(3) algorithm(15) OCTET STRING header(4), then PKCS#1.
        assertEquals(0x04, pkcs8[22]);
        String pkcs1Pem = pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));

        for (String pem : List.of(pkcs8Pem, pkcs1Pem, pkcs8Pem.replace("\n", "\r\n"))) {
            PrivateKey read = CloudFrontMediaUrls.privateKey(pem);
            var urls = new CloudFrontMediaUrls(DISTRIBUTION, "K2JCJMDEHXQW5F", read, Clock.systemUTC());
            assertTrue(verifies(urls.url("media/p1/thumb.jpg"), KEYS.getPublic(), "K2JCJMDEHXQW5F"));
        }
    }

    @Test
    void somethingElseIsRefusedWithoutRepeatingIt() {
        for (String notAKey : List.of("", "no key yet", pem("PUBLIC KEY", KEYS.getPublic().getEncoded()),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")) {
            var e = assertThrows(GlintConfig.ConfigurationException.class, () -> CloudFrontMediaUrls.privateKey(notAKey));
            assertTrue(e.getMessage().contains("media signing key"), e.getMessage());
            assertFalse(e.getMessage().contains("bm90IGEga2V5"), e.getMessage());
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }
}
