package dev.glint.shared.aws;

import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.CachedExperimentSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;
import software.amazon.awssdk.services.appconfigdata.model.GetLatestConfigurationResponse;

import java.util.Optional;

/**
 * The experiments' profile read through AppConfigData: one {@code StartConfigurationSession}, then a
 * {@code GetLatestConfiguration} per poll with the token the previous one returned; an empty answer
 * means unchanged. A call that fails on a token (spent or expired, as after a SnapStart restore) is
 * tried once more in a new session, whose first answer is the whole content.
 */
public final class AppConfigDataPoller implements CachedExperimentSource.Poller {

    /** AppConfig's smallest accepted {@code RequiredMinimumPollIntervalInSeconds}. */
    static final int MIN_SESSION_INTERVAL_SECONDS = 15;

    private final AppConfigDataClient client;
    private final AppConfigLocation location;
    private String token;

    public AppConfigDataPoller(AppConfigDataClient client, AppConfigLocation location) {
        this.client = client;
        this.location = location;
    }

    @Override
    public synchronized Optional<String> poll() {
        if (token != null) {
            try {
                return latest();
            } catch (RuntimeException e) {
                // A spent or expired token (a SnapStart restore runs the snapshot's token in many containers at
                // once): a new session right away, not one interval later.
                token = null;
            }
        }
        try {
            int interval = (int) Math.max(MIN_SESSION_INTERVAL_SECONDS, location.pollInterval().toSeconds());
            token = client.startConfigurationSession(r -> r.applicationIdentifier(location.application())
                    .environmentIdentifier(location.environment())
                    .configurationProfileIdentifier(location.profile())
                    .requiredMinimumPollIntervalInSeconds(interval)).initialConfigurationToken();
            return latest();
        } catch (RuntimeException e) {
            token = null;
            throw e;
        }
    }

    private Optional<String> latest() {
        GetLatestConfigurationResponse response = client.getLatestConfiguration(r -> r.configurationToken(token));
        token = response.nextPollConfigurationToken();
        SdkBytes content = response.configuration();
        return content == null || content.asByteArrayUnsafe().length == 0 ? Optional.empty()
                : Optional.of(content.asUtf8String());
    }
}
