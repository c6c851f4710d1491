package dev.glint.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntrinsicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Intrinsics.Values LOCAL = new Intrinsics.Values() {
        @Override
        public Optional<String> ref(String logicalId) {
            return Optional.ofNullable(Map.of(
                    "Table", "glint-local-table",
                    "Queue", "http://127.0.0.1:9324/000000000000/glint-local-media",
                    "LiveAlias", "arn:aws:lambda:us-east-1:000000000000:function:glint-local-api:live",
                    "Secret", "arn:aws:secretsmanager:us-east-1:000000000000:secret:cursor").get(logicalId));
        }

        @Override
        public Optional<String> attribute(String logicalId, String attribute) {
            return Optional.ofNullable(Map.of(
                    "Table.Arn", "arn:aws:dynamodb:us-east-1:000000000000:table/glint-local-table",
                    "Queue.Arn", "arn:aws:sqs:us-east-1:000000000000:glint-local-media").get(logicalId + "." + attribute));
        }

        @Override
        public Optional<String> secret(String secretId) {
            return secretId.equals("arn:aws:secretsmanager:us-east-1:000000000000:secret:cursor")
                    ? Optional.of("s3cr3t") : Optional.empty();
        }
    };

    private final Intrinsics intrinsics = new Intrinsics(LOCAL, "us-east-1", "000000000000", "dev-Glint");

    private JsonNode resolve(String json) throws Exception {
        return intrinsics.resolve(JSON.readTree(json), "Fn", "Properties.X");
    }

    @Test
    void refAndGetAttGiveTheLocalNamesUrlsAndArns() throws Exception {
        assertEquals("glint-local-table", resolve("{\"Ref\":\"Table\"}").asText());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:glint-local-media", resolve("{\"Fn::GetAtt\":[\"Queue\",\"Arn\"]}").asText());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/glint-local-table", resolve("{\"Fn::GetAtt\":\"Table.Arn\"}").asText());
    }

    @Test
    void joinOfAnArnAndASuffixBuildsTheIndexArn() throws Exception {
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/glint-local-table/index/*",
                resolve("{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"Table\",\"Arn\"]},\"/index/*\"]]}").asText());
    }

    @Test
    void selectOfSplitTakesTheFunctionNameOutOfAnAliasArn() throws Exception {
        assertEquals("glint-local-api:live", resolve("{\"Fn::Join\":[\"\",[{\"Fn::Select\":[6,{\"Fn::Split\":[\":\","
                + "{\"Ref\":\"LiveAlias\"}]}]},\":live\"]]}").asText());
    }

    @Test
    void subFillsPseudoParametersReferencesAttributesAndItsOwnVariables() throws Exception {
        assertEquals("arn:aws:iam::000000000000:policy/x-us-east-1-glint-local-table-arn:aws:sqs:us-east-1:000000000000:glint-local-media-v1-${Literal}",
                resolve("{\"Fn::Sub\":[\"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/x-${AWS::Region}-${Table}-${Queue.Arn}-${Version}-${!Literal}\","
                        + "{\"Version\":\"v1\"}]}").asText());
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/dev-Glint",
                resolve("{\"Fn::Sub\":\"https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${AWS::StackName}\"}").asText());
    }

    @Test
    void aSecretsManagerDynamicReferenceBuiltByJoinResolvesToTheLocalSecret() throws Exception {
        assertEquals("s3cr3t", resolve("{\"Fn::Join\":[\"\",[\"{{resolve:secretsmanager:\",{\"Ref\":\"Secret\"},"
                + "\":SecretString:::}}\"]]}").asText());
    }

    @Test
    void noValueLeavesThePropertyOut() throws Exception {
        JsonNode out = resolve("{\"A\":{\"Ref\":\"AWS::NoValue\"},\"B\":[1,{\"Ref\":\"AWS::NoValue\"}]}");
        assertFalse(out.has("A"));
        assertEquals(1, out.get("B").size());
    }

    @Test
    void anUnknownReferenceStopsWithTheLogicalIdAndPropertyPath() {
        var e = assertThrows(Intrinsics.Unresolvable.class, () -> resolve("{\"Variables\":{\"TOPIC\":{\"Ref\":\"AlarmTopic\"}}}"));
        assertEquals("Fn", e.logicalId());
        assertEquals("Properties.X.Variables.TOPIC.Ref", e.path());
        assertTrue(e.getMessage().contains("AlarmTopic"), e.getMessage());
    }

    @Test
    void importValueAndConditionsAreRefusedByName() {
        var e = assertThrows(Intrinsics.Unresolvable.class, () -> resolve("{\"Fn::ImportValue\":\"other-stack-export\"}"));
        assertTrue(e.getMessage().contains("Fn::ImportValue"), e.getMessage());
        var attribute = assertThrows(Intrinsics.Unresolvable.class, () -> resolve("{\"Fn::GetAtt\":[\"Table\",\"StreamArn\"]}"));
        assertTrue(attribute.getMessage().contains("Table.StreamArn"), attribute.getMessage());
    }

    @Test
    void aSecretTheStackDoesNotMakeIsNamed() {
        var e = assertThrows(Intrinsics.Unresolvable.class, () -> resolve("\"{{resolve:secretsmanager:elsewhere:SecretString:::}}\""));
        assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
    }
}
