package dev.glint.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyEvaluatorTest {

    private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/t";
    private static final String BUCKET = "arn:aws:s3:::media";

    private static PolicyEvaluator policy(String statements) throws Exception {
        return new PolicyEvaluator(Statement.of("Policy", new ObjectMapper().readTree("{\"Statement\":" + statements + "}")));
    }

    @Test
    void actionWildcardsMatchCaseInsensitivelyAndResourcesByArnPattern() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject*\",\"DynamoDB:Query\"],"
                + "\"Resource\":[\"" + BUCKET + "/media/*\",\"" + TABLE + "/index/*\"]}]");
        assertTrue(p.evaluate(AccessRequest.of("s3:GetObject", BUCKET + "/media/a/b.jpg")).allowed());
        assertTrue(p.evaluate(AccessRequest.of("s3:GetObjectTagging", BUCKET + "/media/x")).allowed());
        assertFalse(p.evaluate(AccessRequest.of("s3:GetObject", BUCKET + "/uploads/x")).allowed());
        assertTrue(p.evaluate(AccessRequest.of("dynamodb:query", TABLE + "/index/gsi1")).allowed());
        assertFalse(p.evaluate(AccessRequest.of("dynamodb:Query", TABLE)).allowed(), "the index grant is not the table's");
        assertFalse(p.evaluate(AccessRequest.of("s3:PutObject", BUCKET + "/media/x")).allowed());
    }

    @Test
    void aDigestMayBeSentAsTheGrantedSenderOnly() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"Action\":[\"ses:SendEmail\",\"ses:SendRawEmail\"],"
                + "\"Resource\":[\"arn:aws:ses:us-east-1:000000000000:identity/digest@glint.photos\","
                + "\"arn:aws:ses:us-east-1:000000000000:identity/glint.photos\"],"
                + "\"Condition\":{\"StringEquals\":{\"ses:FromAddress\":\"digest@glint.photos\"}}}]");
        var actions = new AwsActions("us-east-1", "000000000000", "stream");
        java.util.function.Function<String, AccessRequest> send = from -> actions.of(AwsActions.SERVICE_SES, "SendEmail",
                software.amazon.awssdk.services.sesv2.model.SendEmailRequest.builder().fromEmailAddress(from).build()).get(0);
        assertTrue(p.evaluate(send.apply("digest@glint.photos")).allowed());
        assertFalse(p.evaluate(send.apply("ceo@glint.photos")).allowed(), "another sender of the same domain");
        assertFalse(p.evaluate(send.apply("digest@other.example")).allowed(), "another domain");
    }

    @Test
    void anExplicitDenyWinsOverAnAllow() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:DeleteItem\",\"Resource\":\"" + TABLE + "\"}]");
        assertTrue(p.evaluate(AccessRequest.of("dynamodb:PutItem", TABLE)).allowed());
        var denied = p.evaluate(AccessRequest.of("dynamodb:DeleteItem", TABLE));
        assertFalse(denied.allowed());
        assertTrue(denied.reason().contains("explicitly denied"), denied.reason());
    }

    @Test
    void nothingAllowedIsImplicitlyDenied() throws Exception {
        var decision = policy("[]").evaluate(AccessRequest.of("sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:q"));
        assertFalse(decision.allowed());
    }

    @Test
    void notActionAndNotResourceInvertTheMatch() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"NotAction\":\"s3:DeleteObject\",\"NotResource\":\"" + BUCKET + "/private/*\"}]");
        assertTrue(p.evaluate(AccessRequest.of("s3:GetObject", BUCKET + "/media/x")).allowed());
        assertFalse(p.evaluate(AccessRequest.of("s3:DeleteObject", BUCKET + "/media/x")).allowed());
        assertFalse(p.evaluate(AccessRequest.of("s3:GetObject", BUCKET + "/private/x")).allowed());
    }

    private static AccessRequest list(String prefix) {
        return new AccessRequest("s3:ListBucket", BUCKET, prefix == null ? Map.of() : Map.of("s3:prefix", List.of(prefix)),
                List.of("s3:prefix", "s3:delimiter"));
    }

    @Test
    void anS3PrefixConditionAllowsOnlyListingUnderThePrefix() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"" + BUCKET + "\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"media/*\"]}}}]");
        assertTrue(p.evaluate(list("media/post-1/")).allowed());
        assertFalse(p.evaluate(list("uploads/")).allowed());
        assertFalse(p.evaluate(list(null)).allowed(), "a listing without a prefix does not satisfy the condition");
    }

    @Test
    void ifExistsMatchesWhenTheKeyIsAbsentAndNegatedOperatorsNeedNoValueToMatch() throws Exception {
        var p = policy("[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"" + BUCKET + "\","
                + "\"Condition\":{\"StringNotLikeIfExists\":{\"s3:prefix\":[\"private/*\"]}}}]");
        assertTrue(p.evaluate(list(null)).allowed());
        assertTrue(p.evaluate(list("media/")).allowed());
        assertFalse(p.evaluate(list("private/x")).allowed());
    }

    @Test
    void aConditionOnAKeyTheStackCannotTellNeverAllowsAndAlwaysDenies() throws Exception {
        var allow = policy("[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"" + TABLE + "\","
                + "\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}]");
        var decision = allow.evaluate(AccessRequest.of("dynamodb:GetItem", TABLE));
        assertFalse(decision.allowed());
        assertTrue(decision.reason().contains("aws:SourceVpce"), decision.reason());

        var deny = policy("[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}]");
        assertFalse(deny.evaluate(AccessRequest.of("dynamodb:GetItem", TABLE)).allowed());
        assertTrue(deny.evaluate(AccessRequest.of("dynamodb:PutItem", TABLE)).allowed());
    }
}
