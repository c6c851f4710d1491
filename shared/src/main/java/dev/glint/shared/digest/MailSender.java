package dev.glint.shared.digest;

/** Sends one email, given as a whole MIME message (headers and body). */
@FunctionalInterface
public interface MailSender {

    /**
     * @param to  the recipient (the envelope's; the message's own To header says the same)
     * @param raw the MIME message, CRLF line ends
     * @return the message id the mail service gave it
     */
    String send(String to, byte[] raw);
}
