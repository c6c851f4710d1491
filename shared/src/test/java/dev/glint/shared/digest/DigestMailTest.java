package dev.glint.shared.digest;

import dev.glint.shared.social.Notification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestMailTest {

    private static final Instant AT = Instant.parse("2026-11-30T07:00:00Z");

    private static Notification n(String kind, String actor, int minutesAgo) {
        return new Notification("id-" + kind + actor + minutesAgo, kind, actor, "p1", AT.minusSeconds(60L * minutesAgo));
    }

    private static DigestMail.Message message(DigestSummary summary, String to) {
        return new DigestMail.Message("digest@glint.example", to, DigestPeriod.of(DigestFrequency.DAILY, AT), summary,
                "https://glint.example", "https://glint.example/v1/unsubscribe?token=abc.def", "m1@glint.digest", AT);
    }

    /** The headers and each part's decoded body, as a mail reader splits them. */
    private record Parsed(Map<String, String> headers, List<String> types, List<String> bodies) {
    }

    private static Parsed parse(byte[] raw) {
        String mail = new String(raw, StandardCharsets.US_ASCII);
        int end = mail.indexOf("\r\n\r\n");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String line : mail.substring(0, end).split("\r\n")) {
            headers.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
        }
        String boundary = headers.get("Content-Type").replaceAll(".*boundary=\"([^\"]+)\".*", "$1");
        List<String> types = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        String[] parts = mail.substring(end + 4).split("--" + java.util.regex.Pattern.quote(boundary));
        for (int i = 1; i < parts.length - 1; i++) {
            String part = parts[i];
            int body = part.indexOf("\r\n\r\n");
            String head = part.substring(0, body);
            types.add(head.replaceAll("(?s).*Content-Type: ([^\r\n]+).*", "$1"));
            assertTrue(head.contains("Content-Transfer-Encoding: base64"), head);
            bodies.add(new String(Base64.getMimeDecoder().decode(part.substring(body + 4).trim()), StandardCharsets.UTF_8));
        }
        assertEquals("--", parts[parts.length - 1].substring(0, 2), "the closing boundary");
        return new Parsed(headers, types, bodies);
    }

    @Test
    void aDigestIsMultipartAlternativeWithOneClickUnsubscribeHeaders() {
        DigestSummary summary = DigestSummary.of(List.of(n("like", "a", 1), n("like", "b", 2), n("like", "c", 3),
                n("follow", "d", 4)), id -> "user_" + id);
        byte[] raw = DigestMail.compose(message(summary, "ann@example.com"));
        Parsed mail = parse(raw);

        assertTrue(mail.headers().get("Content-Type").startsWith("multipart/alternative; boundary="));
        assertEquals("<https://glint.example/v1/unsubscribe?token=abc.def>", mail.headers().get("List-Unsubscribe"));
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
        assertEquals("<ann@example.com>", mail.headers().get("To"));
        assertEquals("Your Glint digest: 3 new likes, 1 new follower", mail.headers().get("Subject"));
        assertEquals("1.0", mail.headers().get("MIME-Version"));
        assertEquals(List.of("text/plain; charset=UTF-8", "text/html; charset=UTF-8"), mail.types());
        assertTrue(mail.bodies().get(0).contains("3 new likes from @user_a, @user_b and @user_c"), mail.bodies().get(0));
        assertTrue(mail.bodies().get(0).contains("1 new follower from @user_d"));
        assertTrue(mail.bodies().get(0).contains("https://glint.example/v1/unsubscribe?token=abc.def"));
        assertTrue(mail.bodies().get(1).contains("<a href=\"https://glint.example/v1/unsubscribe?token=abc.def\">Unsubscribe</a>"));
        for (String line : new String(raw, StandardCharsets.US_ASCII).split("\r\n")) {
            assertTrue(line.length() <= 998, "no line over RFC 5322's limit");
        }
        assertFalse(new String(raw, StandardCharsets.US_ASCII).replace("\r\n", "").contains("\n"), "CRLF line ends only");
    }

    @Test
    void everyUserWrittenStringIsEscapedInTheHtmlAndKeptInTheText() {
        DigestSummary summary = DigestSummary.of(List.of(n("comment", "x", 1)), id -> "<script>alert('x')</script>&\"é");
        Parsed mail = parse(DigestMail.compose(message(summary, "ann@example.com")));
        String html = mail.bodies().get(1);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("@&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;é"), html);
        assertTrue(mail.bodies().get(0).contains("@<script>alert('x')</script>&\"é"), "plain text is text, UTF-8 kept");
    }

    @Test
    void addressesThatCouldBreakAHeaderAreRefused() {
        DigestSummary summary = DigestSummary.of(List.of(n("like", "a", 1)), id -> "a");
        assertThrows(IllegalArgumentException.class, () -> DigestMail.compose(message(summary, "ann@example.com\r\nBcc: x@y.z")));
        assertThrows(IllegalArgumentException.class, () -> DigestMail.compose(message(summary, "Ann <ann@example.com>")));
        assertFalse(DigestMail.validAddress("a b@example.com"));
        assertTrue(DigestMail.validAddress("ann.b+glint@example.co.uk"));
    }

    @Test
    void aSubjectOutsideAsciiIsAnEncodedWord() {
        assertEquals("=?UTF-8?B?" + Base64.getEncoder().encodeToString("né".getBytes(StandardCharsets.UTF_8)) + "?=",
                DigestMail.encodedWord("né"));
        assertEquals("plain", DigestMail.encodedWord("plain"));
    }
}
