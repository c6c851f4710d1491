package dev.glint.local;

import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Email digests end to end on the local stack: preferences through the API, digest.run messages on the
 * fan-out queue as the scheduler puts them, the fan-out worker's pages, SES v2 SendEmail answered by the
 * local SES (one .eml file per message), and the unsubscribe link's page and one-click POST. Every API
 * exchange is checked against openapi.yaml.
 */
class DigestIT {

    private static final RequestCounter FANOUT_REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options ->
            options.withFunctionInterceptor(GlintResources.FANOUT_WORKER_FUNCTION.name(), FANOUT_REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static void optIn(String user, String email, String frequency) {
        api.tokenWithEmail(user, email);
        Reply reply = api.json("PUT", user, "/v1/me/preferences", Map.of("emailDigest", frequency));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(frequency, reply.json().path("emailDigest").asText());
        assertEquals(email, reply.json().path("email").asText());
    }

    private static void follow(String follower, String followeeHandle) {
        assertEquals(200, api.send("POST", "/v1/users/" + followeeHandle + "/follow", follower, null, null).status());
    }

    private static int unread(String user) {
        int unread = 0;
        for (var item : api.get(user, "/v1/notifications").json().path("items")) {
            unread += item.path("read").asBoolean() ? 0 : 1;
        }
        return unread;
    }

    private static List<Path> mails() throws IOException {
        try (Stream<Path> files = Files.list(stack.mailDir())) {
            return files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        }
    }

    /** A message's headers (unfolded) by name. */
    private static Map<String, String> headers(Path mail) throws IOException {
        String text = Files.readString(mail, StandardCharsets.US_ASCII);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
            headers.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
        }
        return headers;
    }

    private static String part(Path mail, String type) throws IOException {
        String text = Files.readString(mail, StandardCharsets.US_ASCII);
        int at = text.indexOf("Content-Type: " + type);
        int body = text.indexOf("\r\n\r\n", at) + 4;
        return new String(Base64.getMimeDecoder().decode(text.substring(body, text.indexOf("\r\n--", body))), StandardCharsets.UTF_8);
    }

    /** Puts the scheduler's message on the fan-out queue and waits until the queue has nothing left in flight. */
    private static void scheduledRun(String frequency, Instant at) throws InterruptedException {
        String queue = stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName());
        var sqs = stack.clients().sqs();
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(MessageCodec.encode(DigestRun.of(frequency, at.toString()))));
        drain();
    }

    private static void drain() throws InterruptedException {
        String queue = stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName());
        var sqs = stack.clients().sqs();
        ApiClient.await(() -> {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            return attributes.values().stream().allMatch("0"::equals);
        });
    }

    @Test
    void theDigestMailsEachOptedInUserWithUnreadNotificationsOnceAndItsLinkUnsubscribes() throws Exception {
        String ann = api.newUser("dgann");     // daily, two new followers
        String bob = api.newUser("dgbob");     // daily, nothing unread
        String cat = api.newUser("dgcat");     // never opted in, a new follower
        String dan = api.newUser("dgdan");     // weekly, a new follower
        String eve = api.newUser("dgeve");     // daily, a new follower she has read
        String fay = api.newUser("dgfay");     // daily, then off, a new follower
        optIn(ann, ann + "@example.com", "daily");
        optIn(bob, bob + "@example.com", "daily");
        optIn(dan, dan + "@example.com", "weekly");
        optIn(eve, eve + "@example.com", "daily");
        optIn(fay, fay + "@example.com", "daily");
        assertEquals("off", api.json("PUT", fay, "/v1/me/preferences", Map.of("emailDigest", "off")).json().path("emailDigest").asText());
        follow(bob, ann);
        follow(cat, ann);
        follow(ann, cat);
        follow(bob, dan);
        follow(bob, eve);
        follow(bob, fay);
        ApiClient.await(() -> unread(ann) == 2 && unread(cat) == 1 && unread(dan) == 1 && unread(eve) == 1 && unread(fay) == 1);
        assertEquals(204, api.json("POST", eve, "/v1/notifications/read", Map.of("upTo", Instant.now().plusSeconds(1).toString())).status());
        ApiClient.await(() -> unread(eve) == 0);
        drain(); // the follows' back-fill messages are done before the digest's own requests are counted

        FANOUT_REQUESTS.reset();
        Instant now = Instant.now();
        scheduledRun("daily", now);
        scheduledRun("weekly", now);
        Map<String, Long> requests = FANOUT_REQUESTS.snapshot();

        List<Path> first = mails();
        assertEquals(2, first.size(), "ann's daily and dan's weekly digest only: " + first);
        Map<String, Path> byRecipient = new LinkedHashMap<>();
        for (Path mail : first) {
            byRecipient.put(headers(mail).get("To"), mail);
        }
        assertEquals(List.of("<" + ann + "@example.com>", "<" + dan + "@example.com>").stream().sorted().toList(),
                byRecipient.keySet().stream().sorted().toList());

        // The same period again: nothing twice.
        scheduledRun("daily", now.plusSeconds(60));
        scheduledRun("weekly", now.plusSeconds(60));
        assertEquals(first, mails(), "a second run of the period sends nothing");

        Path annMail = byRecipient.get("<" + ann + "@example.com>");
        Map<String, String> headers = headers(annMail);
        assertEquals("List-Unsubscribe=One-Click", headers.get("List-Unsubscribe-Post"));
        assertTrue(headers.get("Content-Type").startsWith("multipart/alternative"), headers.toString());
        assertEquals("Your Glint digest: 2 new followers", headers.get("Subject"));
        assertTrue(part(annMail, "text/plain").contains("2 new followers from @"), part(annMail, "text/plain"));
        assertTrue(part(annMail, "text/html").contains("<strong>2 new followers</strong>"));

        String link = headers.get("List-Unsubscribe").replaceAll("^<|>$", "");
        URI unsubscribe = URI.create(link);
        assertEquals(stack.apiEndpoint().getPort(), unsubscribe.getPort(), "the link leads to this stack's API");
        String pathAndQuery = unsubscribe.getRawPath() + "?" + unsubscribe.getRawQuery();

        Reply page = api.send("GET", pathAndQuery, null, null, null);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.raw().headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<form method=\"post\" action=\"/v1/unsubscribe?token="), page.body());
        String csp = page.raw().headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("form-action http://localhost:" + stack.apiEndpoint().getPort()
                + "/v1/unsubscribe;") || csp.contains("form-action http://127.0.0.1:" + stack.apiEndpoint().getPort() + "/v1/unsubscribe;"), csp);
        assertEquals("daily", api.get(ann, "/v1/me/preferences").json().path("emailDigest").asText(), "the page changes nothing");

        Reply oneClick = api.send("POST", pathAndQuery, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertEquals(200, oneClick.status(), oneClick.body());
        assertTrue(oneClick.body().contains("no more Glint email digests"), oneClick.body());
        Reply after = api.get(ann, "/v1/me/preferences");
        assertEquals("off", after.json().path("emailDigest").asText());
        assertFalse(after.json().hasNonNull("email"), "nothing kept once off");
        assertEquals(200, api.send("POST", pathAndQuery, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded").status(),
                "a second click changes nothing more");

        Reply forged = api.send("GET", "/v1/unsubscribe?token=" + unsubscribe.getRawQuery().substring("token=".length()).replace('A', 'B')
                .replace('a', 'b') + "x", null, null, null);
        assertEquals(400, forged.status(), forged.body());
        assertTrue(forged.body().contains("not valid"), forged.body());

        long dynamo = requests.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDb.")).mapToLong(Map.Entry::getValue).sum();
        long ses = requests.entrySet().stream().filter(e -> e.getKey().toLowerCase().startsWith("sesv2.")).mapToLong(Map.Entry::getValue).sum();
        // ann, bob and eve are opted in daily, dan weekly (fay left): 4 users looked at, 2 digests sent.
        System.out.printf("digest requests of the fan-out worker, 2 runs (daily, weekly), 4 opted-in users, 2 sent: %s%n", requests);
        Files.writeString(Path.of("target", "digest-requests.txt"), requests + System.lineSeparator());
        assertEquals(2, ses, "one SendEmail per digest: " + requests);
        assertTrue(dynamo > 0, requests.toString());
    }

    @Test
    void aDigestCannotBeTurnedOnWithoutAVerifiedEmail() {
        String user = api.newUser("dgnomail");
        Reply refused = api.json("PUT", user, "/v1/me/preferences", Map.of("emailDigest", "weekly"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("email_not_verified", refused.errorCode());
        assertTrue(refused.json().path("error").path("message").asText().contains("verify"), refused.body());
        assertEquals("off", api.get(user, "/v1/me/preferences").json().path("emailDigest").asText());
        assertEquals(400, api.json("PUT", user, "/v1/me/preferences", Map.of("emailDigest", "hourly")).status());
    }

    @Test
    void aForgedOrMissingUnsubscribeTokenIsAClearClientError() {
        Reply forged = api.send("POST", "/v1/unsubscribe?token=dTEueC4xOTk5OTk5OTk5.AAAA", null, "List-Unsubscribe=One-Click",
                "application/x-www-form-urlencoded");
        assertEquals(400, forged.status());
        assertTrue(forged.body().contains("not valid"), forged.body());
        Reply json = api.getWith(null, "/v1/unsubscribe?token=nope", Map.of("accept", "application/json"));
        assertEquals(400, json.status());
        assertEquals("invalid_unsubscribe_link", json.errorCode());
    }
}
