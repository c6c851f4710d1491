package dev.glint.shared.digest;

import dev.glint.shared.social.SocialException;

import java.util.Optional;

/** Reading and changing a user's email digest, and the one-click unsubscribe of its links. */
public final class DigestPreferences {

    private final DigestPreferenceStore store;
    private final UnsubscribeTokens tokens;

    public DigestPreferences(DigestPreferenceStore store, UnsubscribeTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    /** The verified address the caller's sign-in token carries, if any. */
    public record VerifiedEmail(Optional<String> address) {
        /** From the token's {@code email} and {@code email_verified} claims. */
        public static VerifiedEmail of(String email, String emailVerified) {
            boolean verified = "true".equalsIgnoreCase(emailVerified);
            return new VerifiedEmail(verified && email != null && !email.isBlank() ? Optional.of(email.trim()) : Optional.empty());
        }
    }

    public DigestPreference get(String userId) {
        return store.find(userId).orElse(DigestPreference.off(userId));
    }

    /**
     * Sets how often the user gets a digest. Turning it on takes the token's verified address and keeps
     * it with the preference; turning it off keeps nothing.
     *
     * @throws SocialException INVALID {@code email_not_verified} turning a digest on without a verified address
     */
    public DigestPreference set(String userId, DigestFrequency frequency, VerifiedEmail email) {
        DigestPreference preference;
        if (frequency == DigestFrequency.OFF) {
            preference = DigestPreference.off(userId);
        } else {
            String address = email.address().filter(DigestMail::validAddress).orElseThrow(() -> SocialException.invalid(
                    "email_not_verified", "Email digests go to your account's verified email address, and your sign-in "
                            + "token carries none: add an email address to your account, verify it, sign in again, then retry."));
            preference = new DigestPreference(userId, frequency, Optional.of(address));
        }
        store.save(preference);
        return preference;
    }

    /** What an unsubscribe link did. */
    public sealed interface Unsubscribed permits Done, LinkExpired, LinkInvalid {
    }

    public record Done(String userId) implements Unsubscribed {
    }

    public record LinkExpired() implements Unsubscribed {
    }

    public record LinkInvalid() implements Unsubscribed {
    }

    /** Checks a link's token without changing anything (the page that asks to confirm). */
    public Unsubscribed check(String token) {
        UnsubscribeTokens.Checked checked = tokens.check(token);
        if (checked instanceof UnsubscribeTokens.Valid valid) {
            return new Done(valid.userId());
        }
        return checked instanceof UnsubscribeTokens.Expired ? new LinkExpired() : new LinkInvalid();
    }

    /** Turns the digest of the token's user off; doing it twice changes nothing more. */
    public Unsubscribed unsubscribe(String token) {
        Unsubscribed checked = check(token);
        if (checked instanceof Done done && store.find(done.userId()).map(p -> p.frequency() != DigestFrequency.OFF).orElse(false)) {
            store.save(DigestPreference.off(done.userId()));
        }
        return checked;
    }
}
