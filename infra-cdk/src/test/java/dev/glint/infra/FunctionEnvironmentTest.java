package dev.glint.infra;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every function finds its resources where GlintConfig looks: the environment variables of the resource description. */
class FunctionEnvironmentTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = SynthesizedStages.stage("prod").template();
    }

    @Test
    void everyFunctionGetsTheVariablesGlintConfigReadsButNotTheRegionWhichLambdaSets() {
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            Map<String, Object> variables = variables(spec);
            assertFalse(variables.containsKey(GlintResources.ENV_REGION), spec.name() + " sets " + GlintResources.ENV_REGION);
            Map<String, String> env = new LinkedHashMap<>();
            variables.forEach((name, value) -> env.put(name, value instanceof String text ? text : "resolved-at-deploy"));
            env.put(GlintResources.ENV_REGION, "eu-west-1");
            assertDoesNotThrow(() -> GlintConfig.fromEnv(env), spec.name());
        }
    }

    @Test
    void variablesNameTheStagesOwnResources() {
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            GlintResources.TABLE.envVar(), Map.of("Ref", Match.stringLikeRegexp("DataTable.*")),
                            GlintResources.UPLOADS_BUCKET.envVar(), Map.of("Ref", Match.stringLikeRegexp("DataUploadsBucket.*")),
                            GlintResources.MEDIA_BUCKET.envVar(), Map.of("Ref", Match.stringLikeRegexp("DataMediaBucket.*")),
                            // Ref of a queue is its URL
                            GlintResources.MEDIA_QUEUE.envVar(), Map.of("Ref", Match.stringLikeRegexp("DataMediaQueue.*")),
                            GlintResources.FANOUT_QUEUE.envVar(), Map.of("Ref", Match.stringLikeRegexp("DataFanoutQueue.*")),
                            GlintFunctions.ENV_POWERTOOLS_SERVICE, spec.name())))));
        }
    }

    @Test
    void onlyTheApiGetsTheCursorKeyAndOnlyAsADeployTimeReferenceToTheStagesSecret() {
        String secret = Templates.logicalId(template, "AWS::SecretsManager::Secret", Map.of(
                "GenerateSecretString", Match.objectLike(Map.of("PasswordLength", 64))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", GlintResources.API_FUNCTION.handlerClass() + "::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        GlintResources.ENV_CURSOR_SECRET, Map.of("Fn::Join", List.of("", List.of(
                                "{{resolve:secretsmanager:", Map.of("Ref", secret), ":SecretString:::}}"))))))));
        for (FunctionSpec spec : List.of(GlintResources.MEDIA_WORKER_FUNCTION, GlintResources.FANOUT_WORKER_FUNCTION,
                GlintResources.STREAM_PROCESSOR_FUNCTION)) {
            assertFalse(variables(spec).containsKey(GlintResources.ENV_CURSOR_SECRET), spec.name());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(FunctionSpec spec) {
        Map<String, Object> properties = (Map<String, Object>) Templates.resource(template, Templates.functionId(template, spec)).get("Properties");
        return (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
    }
}
