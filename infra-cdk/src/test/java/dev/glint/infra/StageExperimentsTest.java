package dev.glint.infra;

import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage's experiments file reaches the functions that serve and count experiments, validated at synthesis. */
class StageExperimentsTest {

    @Test
    void devRunsItsOwnExperimentsInTheApiAndTheStreamProcessor() {
        Template template = SynthesizedStages.stage("dev").template();
        String expected = StageExperiments.read(GlintApp.repositoryRoot().resolve("infra-cdk/experiments/dev.json"))
                .orElseThrow().toJson();
        for (FunctionSpec spec : List.of(GlintResources.API_FUNCTION, GlintResources.STREAM_PROCESSOR_FUNCTION)) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(ExperimentConfig.ENV_VAR, expected)))));
        }
        for (FunctionSpec spec : List.of(GlintResources.MEDIA_WORKER_FUNCTION, GlintResources.FANOUT_WORKER_FUNCTION)) {
            assertFalse(variables(template, spec).containsKey(ExperimentConfig.ENV_VAR), spec.name());
        }
    }

    @Test
    void aStageWithoutAFileRunsTheShippedExperiments() {
        Template template = SynthesizedStages.stage("prod").template();
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            assertFalse(variables(template, spec).containsKey(ExperimentConfig.ENV_VAR), spec.name());
        }
    }

    @Test
    void aBrokenFileStopsSynthesisNamingTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("beta.json"), "{\"experiments\":[{\"id\":\"x\"}]}");
        var error = assertThrows(IllegalArgumentException.class, () -> StageExperiments.read(file));
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("experiment 'x'.variants must list at least two variants"), error.getMessage());
        assertTrue(StageExperiments.read(dir.resolve("none.json")).isEmpty());
    }

    @Test
    void aFileTooLargeForTheFunctionEnvironmentIsRefused(@TempDir Path dir) throws Exception {
        String experiment = "{\"id\":\"e%d\",\"description\":\"%s\",\"surface\":\"feed\",\"variants\":[{\"name\":\"a\",\"weight\":1},"
                + "{\"name\":\"b\",\"weight\":1}],\"control\":\"a\",\"metrics\":[\"likes\"],"
                + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"}";
        StringBuilder json = new StringBuilder("{\"experiments\":[");
        for (int i = 0; i < 10; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(experiment, i, "d".repeat(300)));
        }
        Path file = Files.writeString(dir.resolve("beta.json"), json.append("]}"));
        var error = assertThrows(IllegalArgumentException.class, () -> StageExperiments.read(file));
        assertTrue(error.getMessage().contains("a function's environment keeps 4 KB in all"), error.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Template template, FunctionSpec spec) {
        Map<String, Object> properties = (Map<String, Object>) Templates.resource(template, Templates.functionId(template, spec))
                .get("Properties");
        return (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
    }
}
