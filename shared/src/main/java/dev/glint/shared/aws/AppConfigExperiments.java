package dev.glint.shared.aws;

import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.CachedExperimentSource;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentDefinitions;
import dev.glint.shared.experiments.ExperimentSource;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;

import java.time.Clock;
import java.time.Duration;

/** The experiments of a function whose environment names an AppConfig profile ({@link AppConfigLocation}). */
public final class AppConfigExperiments {

    private AppConfigExperiments() {
    }

    /**
     * The definitions read through AppConfigData and cached ({@link CachedExperimentSource}); polled once
     * now, at init, falling back to {@code fallback} (the stage's file) while AppConfig does not answer.
     */
    public static ExperimentSource source(AwsClients clients, AppConfigLocation location, ExperimentConfig fallback) {
        var builder = AppConfigDataClient.builder()
                .httpClient(http())
                .overrideConfiguration(clients.overrideConfiguration())
                .credentialsProvider(clients.credentials())
                .region(clients.region());
        location.endpoint().ifPresent(builder::endpointOverride);
        return new CachedExperimentSource(fallback, new AppConfigDataPoller(builder.build(), location),
                location.pollInterval(), Clock.systemUTC());
    }

    /** The hosted versions and deployments the api writes. */
    public static ExperimentDefinitions definitions(AwsClients clients, AppConfigLocation location) {
        return new AppConfigHostedDefinitions(http(), clients.credentials(), clients.region(), location);
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
    }
}
