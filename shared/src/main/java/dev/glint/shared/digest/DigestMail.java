package dev.glint.shared.digest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Writes a digest as a MIME message: {@code multipart/alternative} with a plain-text and an HTML part,
 * both UTF-8 and base64, every user-written string escaped in the HTML; one-click unsubscribe headers
 * (RFC 8058: {@code List-Unsubscribe} with an HTTPS URL and {@code List-Unsubscribe-Post}).
 */
public final class DigestMail {

    private static final String CRLF = "\r\n";
    /** An address as a header may carry it: no spaces, controls, angle brackets or commas. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>,;:\"()\\[\\]\\\\]{1,64}@[A-Za-z0-9.-]{1,255}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private DigestMail() {
    }

    /** What one digest says and where it goes. */
    public record Message(String from, String to, DigestPeriod period, DigestSummary summary, String appUrl,
                          String unsubscribeUrl, String messageId, Instant date) {
    }

    /** Whether an address can go in a header as it is (verified claims are, but a header is no place to trust). */
    public static boolean validAddress(String address) {
        return address != null && ADDRESS.matcher(address).matches();
    }

    public static String subject(DigestSummary summary) {
        StringBuilder subject = new StringBuilder("Your Glint digest: ");
        for (int i = 0; i < summary.groups().size(); i++) {
            subject.append(i == 0 ? "" : ", ").append(summary.groups().get(i).headline());
        }
        return subject.toString();
    }

    public static byte[] compose(Message m) {
        if (!validAddress(m.to()) || !validAddress(m.from())) {
            throw new IllegalArgumentException("not an address a header can carry");
        }
        String boundary = "=_glint_" + Integer.toHexString(m.messageId().hashCode()) + "_" + m.date().getEpochSecond();
        StringBuilder mail = new StringBuilder();
        header(mail, "From", "Glint <" + m.from() + ">");
        header(mail, "To", "<" + m.to() + ">");
        header(mail, "Subject", encodedWord(subject(m.summary())));
        header(mail, "Date", DATE.format(m.date()));
        header(mail, "Message-ID", "<" + m.messageId() + ">");
        header(mail, "MIME-Version", "1.0");
        header(mail, "List-Unsubscribe", "<" + m.unsubscribeUrl() + ">");
        header(mail, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        header(mail, "Auto-Submitted", "auto-generated");
        header(mail, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
        mail.append(CRLF);
        part(mail, boundary, "text/plain; charset=UTF-8", text(m));
        part(mail, boundary, "text/html; charset=UTF-8", html(m));
        mail.append("--").append(boundary).append("--").append(CRLF);
        return mail.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String text(Message m) {
        StringBuilder text = new StringBuilder();
        text.append("Your Glint ").append(m.period().frequency().wire()).append(" digest (").append(m.period().label())
                .append(")\n\n");
        for (DigestSummary.Group g : m.summary().groups()) {
            text.append("* ").append(g.headline());
            if (!g.actors().isEmpty()) {
                text.append(" ").append(g.from());
            }
            text.append('\n');
        }
        text.append("\nSee them on Glint: ").append(m.appUrl()).append('\n');
        text.append("\nYou get this because you asked for ").append(m.period().frequency().wire())
                .append(" digests. Unsubscribe (no sign-in needed): ").append(m.unsubscribeUrl()).append('\n');
        return text.toString();
    }

    static String html(Message m) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(subject(m.summary()))).append("</title></head>\n<body>\n<h1>Your Glint ")
                .append(escape(m.period().frequency().wire())).append(" digest (").append(escape(m.period().label()))
                .append(")</h1>\n<ul>\n");
        for (DigestSummary.Group g : m.summary().groups()) {
            html.append("<li><strong>").append(escape(g.headline())).append("</strong>");
            if (!g.actors().isEmpty()) {
                html.append(' ').append(escape(g.from()));
            }
            html.append("</li>\n");
        }
        html.append("</ul>\n<p><a href=\"").append(escape(m.appUrl())).append("\">See them on Glint</a></p>\n")
                .append("<p>You get this because you asked for ").append(escape(m.period().frequency().wire()))
                .append(" digests. <a href=\"").append(escape(m.unsubscribeUrl()))
                .append("\">Unsubscribe</a> (no sign-in needed).</p>\n</body></html>\n");
        return html.toString();
    }

    /** HTML text and attribute values: the five characters that can end either. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 2047: ASCII subjects as they are, any other in UTF-8 base64 words. */
    static String encodedWord(String value) {
        if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return value;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static void header(StringBuilder mail, String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header value may not break the line: " + name);
        }
        mail.append(name).append(": ").append(value).append(CRLF);
    }

    private static void part(StringBuilder mail, String boundary, String contentType, String body) {
        mail.append("--").append(boundary).append(CRLF);
        header(mail, "Content-Type", contentType);
        header(mail, "Content-Transfer-Encoding", "base64");
        mail.append(CRLF);
        String normalized = body.replace("\r\n", "\n").replace("\n", "\r\n");
        mail.append(Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
                .encodeToString(normalized.getBytes(StandardCharsets.UTF_8))).append(CRLF);
    }
}
