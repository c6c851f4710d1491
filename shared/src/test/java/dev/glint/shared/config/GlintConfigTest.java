package dev.glint.shared.config;

import dev.glint.shared.experiments.ExperimentConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlintConfigTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("GLINT_TABLE", "t1");
        env.put("GLINT_UPLOADS_BUCKET", "up");
        env.put("GLINT_MEDIA_BUCKET", "media");
        env.put("GLINT_MEDIA_QUEUE_URL", "http://q/media");
        env.put("GLINT_FANOUT_QUEUE_URL", "http://q/fanout");
        return env;
    }

    @Test
    void readsEveryNameFromTheEnvironment() {
        GlintConfig config = GlintConfig.fromEnv(complete());
        assertEquals(new GlintConfig("eu-west-1", "t1", "up", "media", "http://q/media", "http://q/fanout", GlintConfig.Endpoints.aws(), 10_000), config);
    }

    @Test
    void oneEndpointOverrideServesEveryService() {
        Map<String, String> env = complete();
        env.put("GLINT_AWS_ENDPOINT", "http://127.0.0.1:4566");
        Optional<URI> edge = Optional.of(URI.create("http://127.0.0.1:4566"));
        assertEquals(new GlintConfig.Endpoints(edge, edge, edge), GlintConfig.fromEnv(env).endpoints());
    }

    @Test
    void perServiceEndpointWinsOverTheCommonOne() {
        Map<String, String> env = complete();
        env.put("GLINT_AWS_ENDPOINT", "http://127.0.0.1:4566");
        env.put("GLINT_S3_ENDPOINT", "http://127.0.0.1:9000");
        GlintConfig.Endpoints endpoints = GlintConfig.fromEnv(env).endpoints();
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), endpoints.s3());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:4566")), endpoints.sqs());
    }

    @Test
    void missingVariablesAreAllNamedInOneError() {
        Map<String, String> env = complete();
        env.remove("GLINT_TABLE");
        env.put("GLINT_MEDIA_BUCKET", "  ");
        var error = assertThrows(GlintConfig.ConfigurationException.class, () -> GlintConfig.fromEnv(env));
        assertTrue(error.getMessage().contains("GLINT_TABLE is not set"), error.getMessage());
        assertTrue(error.getMessage().contains("GLINT_MEDIA_BUCKET is not set"), error.getMessage());
        assertFalse(error.getMessage().contains("GLINT_UPLOADS_BUCKET"), error.getMessage());
    }

    @Test
    void relativeEndpointIsRejected() {
        Map<String, String> env = complete();
        env.put("GLINT_AWS_ENDPOINT", "localhost");
        var error = assertThrows(GlintConfig.ConfigurationException.class, () -> GlintConfig.fromEnv(env));
        assertTrue(error.getMessage().contains("GLINT_AWS_ENDPOINT"), error.getMessage());
    }

    @Test
    void toEnvRoundTrips() {
        Map<String, String> env = complete();
        env.put("GLINT_DYNAMODB_ENDPOINT", "http://127.0.0.1:1");
        env.put("GLINT_SQS_ENDPOINT", "http://127.0.0.1:2");
        assertEquals(GlintConfig.fromEnv(env), GlintConfig.fromEnv(GlintConfig.fromEnv(env).toEnv()));
    }

    @Test
    void aStagesExperimentsReplaceTheShippedOnesAndRoundTrip() {
        Map<String, String> env = complete();
        assertEquals(dev.glint.shared.experiments.ExperimentConfig.shipped(), GlintConfig.fromEnv(env).experiments());
        env.put("GLINT_EXPERIMENTS", "{\"experiments\":[{\"id\":\"x\",\"surface\":\"feed\",\"variants\":["
                + "{\"name\":\"a\",\"weight\":1},{\"name\":\"b\",\"weight\":3}],\"control\":\"a\",\"metrics\":[\"posts\"],"
                + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"}]}");
        GlintConfig config = GlintConfig.fromEnv(env);
        assertEquals(List.of("x"), config.experiments().experiments().stream().map(e -> e.id()).toList());
        assertEquals(config, GlintConfig.fromEnv(config.toEnv()));
    }

    @Test
    void invalidExperimentsStopTheFunctionNamingTheVariableAndTheProblem() {
        Map<String, String> env = complete();
        env.put("GLINT_EXPERIMENTS", "{\"experiments\":[{\"id\":\"x\"}]}");
        var error = assertThrows(GlintConfig.ConfigurationException.class, () -> GlintConfig.fromEnv(env));
        assertTrue(error.getMessage().contains("GLINT_EXPERIMENTS is not a valid experiments file"), error.getMessage());
        assertTrue(error.getMessage().contains("experiment 'x'.variants must list at least two variants"), error.getMessage());
    }
}
