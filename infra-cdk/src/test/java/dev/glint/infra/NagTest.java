package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.s3.Bucket;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cdk-nag's AwsSolutions rules run on every synth (GlintApp): no stage has a finding that is not
 * explained by a suppression carrying its reason.
 */
class NagTest {

    private static SynthesizedStages.Synthesized synthesized(String stage) {
        return stage.equals("localstack") ? SynthesizedStages.localStack("dev") : SynthesizedStages.stage(stage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "localstack"})
    void noStageHasAnUnexplainedAwsSolutionsFinding(String stage) {
        Annotations annotations = synthesized(stage).annotations();
        assertEquals(List.of(), describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
        assertEquals(List.of(), describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
        synthesized(stage).aclAnnotations().ifPresent(acl -> {
            assertEquals(List.of(), describe(acl.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
            assertEquals(List.of(), describe(acl.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySuppressionNamesARuleAndSaysWhy(String stage) {
        int suppressions = 0;
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) synthesized(stage).template().toJSON().get("Resources");
        for (Object value : resources.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) value).getOrDefault("Metadata", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> nag = (Map<String, Object>) metadata.getOrDefault("cdk_nag", Map.of());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) nag.getOrDefault("rules_to_suppress", List.of());
            for (Map<String, Object> rule : rules) {
                suppressions++;
                assertTrue(rule.get("id").toString().startsWith("AwsSolutions-"), rule.toString());
                assertTrue(rule.get("reason").toString().length() >= 40, "reason too thin: " + rule);
            }
        }
        assertTrue(suppressions > 0, "no suppression found: the metadata moved, so this test checks nothing");
    }

    @Test
    void aNewResourceThatBreaksARuleFailsTheSynth() throws Exception {
        App app = new App(AppProps.builder().context(SynthesizedStages.cdkJsonContext()).build());
        GlintResourcesStack stack = GlintApp.build(app, StageSettings.forStage("sandbox-nag"),
                SynthesizedStages.code());
        // No TLS enforcement, no access logs: AwsSolutions-S1 and S10.
        Bucket.Builder.create(stack, "CarelessBucket").build();

        RuntimeException failure = assertThrows(RuntimeException.class, () -> Annotations.fromStack(stack));

        Matcher report = Pattern.compile("(\\S+validation-report\\.json)").matcher(failure.getMessage());
        assertTrue(report.find(), failure.getMessage());
        JsonNode violations = new ObjectMapper().readTree(Path.of(report.group(1)).toFile()).path("pluginReports").get(0).path("violations");
        List<String> findings = new ArrayList<>();
        for (JsonNode violation : violations) {
            if (violation.path("severity").asText().equals("error")) {
                for (JsonNode construct : violation.path("violatingConstructs")) {
                    findings.add(violation.path("description").asText().replaceAll("(?s):.*", "") + " " + construct.path("constructPath").asText());
                }
            }
        }
        assertEquals(List.of("AwsSolutions-S1 sandbox-nag/Glint/CarelessBucket/Resource",
                "AwsSolutions-S10 sandbox-nag/Glint/CarelessBucket/Resource"), findings.stream().sorted().toList());
    }

    @SuppressWarnings("deprecation")
    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }
}
