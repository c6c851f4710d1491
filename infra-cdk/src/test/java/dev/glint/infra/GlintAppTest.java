package dev.glint.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app reads its stage and options from the context (-c key=value) and refuses what it cannot build. */
class GlintAppTest {

    private static StageSettings settings(Map<String, Object> context) {
        return GlintApp.settings(new App(AppProps.builder().context(context).build()).getNode());
    }

    @Test
    void withoutAStageTheAppBuildsDev() {
        assertEquals("dev", settings(Map.of()).name());
    }

    @Test
    void devShiftsAllAtOnceAndBetaAndProdByCanary() {
        assertSame(LambdaDeploymentConfig.ALL_AT_ONCE, settings(Map.of("stage", "dev")).deploymentConfig());
        assertSame(LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES, settings(Map.of("stage", "beta")).deploymentConfig());
        assertSame(LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES, settings(Map.of("stage", "prod")).deploymentConfig());
        assertSame(LambdaDeploymentConfig.ALL_AT_ONCE, settings(Map.of("stage", "sandbox-bob")).deploymentConfig());
    }

    @Test
    void sandboxAloneMeansTheCallersOwnSandbox() {
        assertEquals("sandbox-alicesmith", StageSettings.sandboxFor("Alice.Smith"));
        assertTrue(settings(Map.of("stage", "sandbox")).name().startsWith("sandbox-"));
    }

    @Test
    void unknownStagesAndTargetsAreRefusedWithTheAcceptedValues() {
        var stage = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("stage", "Prod")));
        assertTrue(stage.getMessage().contains("dev, beta, prod or sandbox-<name>"), stage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("stage", "sandbox-" + "x".repeat(21))));
        var target = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("target", "gcp")));
        assertTrue(target.getMessage().contains("aws or localstack"), target.getMessage());
    }

    @Test
    void contextOverridesWebOriginsAlarmEmailAndTarget() {
        StageSettings settings = settings(Map.of("stage", "beta", "webOrigins", "https://a.example, https://b.example",
                "alarmEmail", "oncall@example.com", "target", "localstack", "localstackEndpoint", "http://ls:4566"));
        assertEquals(List.of("https://a.example", "https://b.example"), settings.webOrigins());
        assertEquals(Optional.of("oncall@example.com"), settings.alarmEmail());
        assertEquals(Optional.of("http://ls:4566"), settings.localStackEndpoint());
        assertEquals(Optional.of(GlintApp.LOCALSTACK_ENDPOINT), settings(Map.of("target", "localstack")).localStackEndpoint());
    }

    @Test
    void theAppFindsTheRepositoryItIsBuiltIn() {
        Path root = GlintApp.repositoryRoot();
        assertTrue(Files.isDirectory(root.resolve("functions")) && Files.isDirectory(root.resolve("infra-cdk")), root.toString());
    }
}
