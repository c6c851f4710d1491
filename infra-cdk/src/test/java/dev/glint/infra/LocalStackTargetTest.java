package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dev stage built for LocalStack (-c target=localstack): the same resources, functions that talk
 * to LocalStack's endpoint, and no CodeDeploy, which LocalStack does not run.
 */
class LocalStackTargetTest {

    private static Template localStack;
    private static Template aws;

    @BeforeAll
    static void synthesize() {
        localStack = SynthesizedStages.localStack("dev").template();
        aws = SynthesizedStages.stage("dev").template();
    }

    @Test
    void functionsReachLocalStackThroughTheEndpointVariable() {
        for (var spec : GlintResources.FUNCTIONS) {
            localStack.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            GlintResources.ENV_ENDPOINT, GlintApp.LOCALSTACK_ENDPOINT)))));
            aws.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(GlintResources.ENV_ENDPOINT, Match.absent())))));
        }
    }

    @Test
    void aliasesMoveAtOnceBecauseLocalStackRunsNoCodeDeploy() {
        localStack.resourceCountIs("AWS::CodeDeploy::DeploymentGroup", 0);
        localStack.resourceCountIs("AWS::CodeDeploy::Application", 0);
        localStack.findResources("AWS::Lambda::Alias").forEach((id, alias) ->
                assertEquals(null, alias.get("UpdatePolicy"), id + " waits for CodeDeploy"));
    }

    @Test
    void everythingElseIsTheDevStage() {
        for (String type : new String[]{"AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::S3::Bucket", "AWS::Lambda::Version", "AWS::Lambda::Alias", "AWS::Lambda::EventSourceMapping", "AWS::ApiGatewayV2::Api",
                "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Authorizer", "AWS::Cognito::UserPool"}) {
            assertEquals(aws.findResources(type).size(), localStack.findResources(type).size(), type);
        }
        // Without CodeDeploy there is no pre-traffic hook: the Java functions only.
        localStack.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("Runtime", "java21"), GlintResources.FUNCTIONS.size());
        localStack.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of(
                "Description", Match.stringLikeRegexp(".*preview API serves.*")), 0);
        aws.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of(
                "Description", Match.stringLikeRegexp(".*preview API serves.*")), 1);
    }
}
