package dev.glint.api;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.CloudFrontMediaUrls;
import dev.glint.shared.aws.S3MediaUrls;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api signs media URLs for CloudFront only when its environment names the distribution, its key pair
 * id and the secret of the key, all three; with some but not all it refuses to start, naming what is missing.
 */
class ApiCompositionTest {

    private static final String DISTRIBUTION = "https://d111111abcdef8.cloudfront.net/";
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:MediaSigningKey-AbCdEf";
    private static final String PEM = pem();

    private static String pem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("GLINT_TABLE", "t1");
        env.put("GLINT_UPLOADS_BUCKET", "glint-uploads");
        env.put("GLINT_MEDIA_BUCKET", "glint-media");
        env.put("GLINT_MEDIA_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/media");
        env.put("GLINT_FANOUT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/fanout");
        env.put(GlintResources.ENV_CURSOR_SECRET, "c".repeat(32));
        env.put(dev.glint.shared.config.DigestSettings.ENV_UNSUBSCRIBE_SECRET, "u".repeat(32));
        return env;
    }

    private static Map<String, String> withDistribution() {
        Map<String, String> env = env();
        env.put(GlintResources.ENV_MEDIA_URL, DISTRIBUTION);
        env.put(GlintResources.ENV_MEDIA_KEY_PAIR_ID, "K2JCJMDEHXQW5F");
        env.put(GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET, SECRET_ARN);
        return env;
    }

    private static final Function<GlintConfig, AwsClients> CLIENTS = config -> new AwsClients(config,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));

    /** Secrets Manager as the api sees it: the reads it was asked for, the value it holds. */
    private static final class FakeSecrets {
        final List<String> reads = new ArrayList<>();
        final String value;

        FakeSecrets(String value) {
            this.value = value;
        }

        Function<AwsClients, Secrets> source() {
            return clients -> id -> {
                reads.add(id);
                return value;
            };
        }
    }

    @Test
    void withAllThreeVariablesMediaUrlsAreSignedForTheDistributionWithTheSecretsKey() {
        FakeSecrets secrets = new FakeSecrets(PEM);
        ApiComposition composition = ApiComposition.fromEnvironment(withDistribution(), CLIENTS, secrets.source());

        assertInstanceOf(CloudFrontMediaUrls.class, composition.mediaUrls());
        String url = composition.mediaUrls().url("media/p1/thumb.jpg");
        assertTrue(url.startsWith(DISTRIBUTION + "media/p1/thumb.jpg?Expires="), url);
        assertTrue(url.endsWith("&Key-Pair-Id=K2JCJMDEHXQW5F"), url);
        assertEquals(List.of(SECRET_ARN), secrets.reads, "the key is read once, from the named secret");
        assertEquals("https://d111111abcdef8.cloudfront.net", composition.webOrigins().media(),
                "the page may load images from the distribution");
        assertEquals(WebOrigins.of(GlintConfig.fromEnv(env())).uploads(), composition.webOrigins().uploads());
    }

    @Test
    void withoutThemMediaUrlsStayS3PresignedAndNoSecretIsRead() {
        FakeSecrets secrets = new FakeSecrets(PEM);
        ApiComposition composition = ApiComposition.fromEnvironment(env(), CLIENTS, secrets.source());

        assertInstanceOf(S3MediaUrls.class, composition.mediaUrls());
        assertTrue(composition.mediaUrls().url("media/p1/thumb.jpg")
                .startsWith("https://glint-media.s3.eu-west-1.amazonaws.com/media/p1/thumb.jpg?"));
        assertEquals(List.of(), secrets.reads);
        assertEquals("https://glint-media.s3.eu-west-1.amazonaws.com", composition.webOrigins().media());
    }

    @Test
    void someButNotAllVariablesStopTheStartNamingTheMissingOnes() {
        List<String> names = List.of(GlintResources.ENV_MEDIA_URL, GlintResources.ENV_MEDIA_KEY_PAIR_ID,
                GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET);
        for (String missing : names) {
            Map<String, String> env = withDistribution();
            env.put(missing, " ");
            FakeSecrets secrets = new FakeSecrets(PEM);
            var error = assertThrows(GlintConfig.ConfigurationException.class,
                    () -> ApiComposition.fromEnvironment(env, CLIENTS, secrets.source()));
            assertTrue(error.getMessage().startsWith("Glint is misconfigured: " + missing + " is not set"), error.getMessage());
            assertEquals(List.of(), secrets.reads);
        }
        for (String only : names) {
            Map<String, String> env = env();
            env.put(only, withDistribution().get(only));
            var error = assertThrows(GlintConfig.ConfigurationException.class,
                    () -> ApiComposition.fromEnvironment(env, CLIENTS, new FakeSecrets(PEM).source()));
            for (String name : names) {
                assertEquals(!name.equals(only), error.getMessage().contains(name + " and") || error.getMessage().contains(name + " are not set"),
                        name + " in: " + error.getMessage());
            }
            assertTrue(error.getMessage().contains("but " + only + " is"), error.getMessage());
        }
    }

    @Test
    void aMediaUrlThatIsNoHttpsUrlStopsTheStart() {
        for (String bad : List.of("http://d111111abcdef8.cloudfront.net/", "d111111abcdef8.cloudfront.net", "https://x/?a=b")) {
            Map<String, String> env = withDistribution();
            env.put(GlintResources.ENV_MEDIA_URL, bad);
            var error = assertThrows(GlintConfig.ConfigurationException.class,
                    () -> ApiComposition.fromEnvironment(env, CLIENTS, new FakeSecrets(PEM).source()));
            assertTrue(error.getMessage().contains(GlintResources.ENV_MEDIA_URL), error.getMessage());
        }
    }

    @Test
    void aSecretThatHoldsNoKeyStopsTheStartNamingTheSecretButNotItsValue() {
        var error = assertThrows(GlintConfig.ConfigurationException.class, () -> ApiComposition.fromEnvironment(
                withDistribution(), CLIENTS, new FakeSecrets("hunter2-not-a-key").source()));
        assertTrue(error.getMessage().contains(SECRET_ARN), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void theCdkPlaceholderKeepsS3UrlsSoANewStagesFirstVersionStarts() {
        ApiComposition composition = ApiComposition.fromEnvironment(withDistribution(), CLIENTS,
                new FakeSecrets(GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER).source());
        assertInstanceOf(S3MediaUrls.class, composition.mediaUrls());
        assertEquals("https://glint-media.s3.eu-west-1.amazonaws.com", composition.webOrigins().media());
    }
}
