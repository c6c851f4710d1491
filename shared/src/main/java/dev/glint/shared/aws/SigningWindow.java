package dev.glint.shared.aws;

import java.time.Duration;
import java.time.Instant;

/**
 * The fixed windows media URLs are signed in, whoever signs them (S3 or CloudFront): a URL is the same for
 * {@link #WINDOW} and works for {@link #VALIDITY} from the window's start. No AWS type, so the CloudFront
 * signer does not load the SDK's SigV4 signer.
 */
final class SigningWindow {

    static final Duration WINDOW = Duration.ofMinutes(30);
    static final Duration VALIDITY = Duration.ofHours(2);

    private SigningWindow() {
    }

    static long of(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), WINDOW.toSeconds());
    }

    static Instant start(long window) {
        return Instant.ofEpochSecond(window * WINDOW.toSeconds());
    }
}
