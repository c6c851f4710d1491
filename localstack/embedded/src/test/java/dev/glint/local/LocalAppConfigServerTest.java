package dev.glint.local;

import dev.glint.shared.aws.AppConfigDataPoller;
import dev.glint.shared.aws.AppConfigHostedDefinitions;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentDefinitions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;
import software.amazon.awssdk.services.appconfigdata.model.BadRequestException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local AppConfig answers the SDK's AppConfigData client and the api's signed control-plane calls as AppConfig does. */
class LocalAppConfigServerTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static final String EMPTY = ExperimentConfig.none().toJson();

    private static AppConfigDataClient data(LocalAppConfigServer server) {
        return AppConfigDataClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(CREDENTIALS)
                .region(Region.EU_WEST_1).endpointOverride(server.endpoint()).build();
    }

    @Test
    void aSessionGetsTheContentOnceThenOnlyChangesAndASpentTokenIsRefused() throws Exception {
        try (var server = LocalAppConfigServer.start(Files.createTempDirectory("appconfig"), EMPTY);
             var client = data(server)) {
            AppConfigLocation location = server.location(Duration.ofSeconds(1));
            String token = client.startConfigurationSession(r -> r.applicationIdentifier(location.application())
                    .environmentIdentifier(location.environment()).configurationProfileIdentifier(location.profile())
                    .requiredMinimumPollIntervalInSeconds(15)).initialConfigurationToken();
            var first = client.getLatestConfiguration(r -> r.configurationToken(token));
            assertEquals(EMPTY, first.configuration().asUtf8String());
            var second = client.getLatestConfiguration(r -> r.configurationToken(first.nextPollConfigurationToken()));
            assertEquals(0, second.configuration().asByteArray().length, "unchanged: empty");
            assertThrows(BadRequestException.class, () -> client.getLatestConfiguration(r -> r.configurationToken(token)));

            ExperimentDefinitions hosted = new AppConfigHostedDefinitions(UrlConnectionHttpClient.create(), CREDENTIALS,
                    Region.EU_WEST_1, location);
            assertEquals(1, hosted.latest().orElseThrow().number());
            String next = ExperimentConfig.shipped().toJson();
            int version = hosted.create(next, 1, "a change");
            assertEquals(2, version);
            // Another writer who also saw version 1.
            assertThrows(ExperimentDefinitions.Conflict.class, () -> hosted.create(EMPTY, 1, "stale"));
            var before = client.getLatestConfiguration(r -> r.configurationToken(second.nextPollConfigurationToken()));
            assertEquals(0, before.configuration().asByteArray().length, "created, not deployed yet");
            hosted.deploy(version, "a change");
            var after = client.getLatestConfiguration(r -> r.configurationToken(before.nextPollConfigurationToken()));
            assertEquals(next, after.configuration().asUtf8String());
            assertEquals(next, hosted.latest().orElseThrow().content());
        }
    }

    @Test
    void thePollerStartsANewSessionWhenItsTokenIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("appconfig");
        try (var server = LocalAppConfigServer.start(dir, EMPTY); var client = data(server)) {
            var poller = new AppConfigDataPoller(client, server.location(Duration.ofSeconds(1)));
            assertEquals(Optional.of(EMPTY), poller.poll());
            assertEquals(Optional.empty(), poller.poll());
            // The server forgets its sessions (as tokens expire, or a snapshot's token is spent elsewhere).
            server.close();
            try (var again = LocalAppConfigServer.start(dir, EMPTY); var other = data(again)) {
                var restored = new AppConfigDataPoller(other, again.location(Duration.ofSeconds(1)));
                assertEquals(Optional.of(EMPTY), restored.poll());
            }
        }
    }

    @Test
    void theFileEditedByHandIsTheNextVersion() throws Exception {
        Path dir = Files.createTempDirectory("appconfig");
        try (var server = LocalAppConfigServer.start(dir, EMPTY); var client = data(server)) {
            var location = server.location(Duration.ofSeconds(1));
            var poller = new AppConfigDataPoller(client, location);
            assertEquals(Optional.of(EMPTY), poller.poll());
            String edited = ExperimentConfig.shipped().toJson();
            Files.writeString(server.deployedFile(), edited, StandardCharsets.UTF_8);
            assertEquals(Optional.of(edited), poller.poll());
            var hosted = new AppConfigHostedDefinitions(UrlConnectionHttpClient.create(), CREDENTIALS, Region.EU_WEST_1, location);
            assertEquals(2, hosted.latest().orElseThrow().number());
            assertTrue(Files.exists(dir.resolve("versions").resolve("2.json")));
        }
    }
}
