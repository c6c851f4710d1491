package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/search/users} end to end: profiles made through the API, found through the local
 * gateway by the beginnings of their handles and name words, every exchange checked against openapi.yaml.
 */
class PeopleSearchApiIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static ApiClient api;

    /** Letters no other test's people have, so each test sees only its own. */
    private static String word() {
        StringBuilder word = new StringBuilder("k");
        ThreadLocalRandom.current().ints(6, 'a', 'z' + 1).forEach(c -> word.append((char) c));
        return word.toString();
    }

    private static void profile(String user, String handle, String displayName) {
        Reply reply = api.json("PUT", user, "/v1/me", Map.of("handle", handle, "displayName", displayName));
        assertEquals(200, reply.status(), reply.body());
    }

    private static Reply search(String viewer, String query, String more) {
        return api.get(viewer, "/v1/search/users?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + more);
    }

    private static List<String> handles(String viewer, String query) {
        Reply reply = search(viewer, query, "");
        assertEquals(200, reply.status(), reply.body());
        List<String> handles = new ArrayList<>();
        reply.json().path("items").forEach(item -> handles.add(item.path("handle").asText()));
        return handles;
    }

    @Test
    void aPersonIsFoundByTheBeginningOfTheirHandleOrOfAnyNameWordWhateverTheAccentsAndCase() {
        String w = word();
        String viewer = "viewer_" + w;
        api.signUp(viewer, viewer);
        profile("jose_" + w, "jalv_" + w, "José Álvarez " + w);
        profile("joanna_" + w, "joanna_" + w, "Joanna " + w);

        assertEquals(List.of("jalv_" + w), handles(viewer, "JOSE " + w));
        assertEquals(List.of("jalv_" + w), handles(viewer, "álv " + w));
        assertEquals(List.of("jalv_" + w), handles(viewer, "alv " + w.substring(0, 4)));
        assertEquals(Set.of("joanna_" + w, "jalv_" + w), Set.copyOf(handles(viewer, "@Jo " + w)));
        assertEquals(2, handles(viewer, "jo " + w).size(), "each once, though joanna matches by handle and by name");
        assertEquals(List.of("joanna_" + w, "jalv_" + w), handles(viewer, "jo").stream().filter(h -> h.endsWith(w)).toList(),
                "by the word each is found by: joanna before jose");
        assertEquals(List.of("joanna_" + w), handles(viewer, "@joanna_" + w));

        JsonNode first = search(viewer, "jose " + w, "").json().path("items").get(0);
        assertEquals("José Álvarez " + w, first.path("displayName").asText());
        assertTrue(first.has("followers") && first.has("createdAt"), "the profile view: " + first);
    }

    @Test
    void aRenamedPersonIsFoundByTheNewNameAtOnceAndNoLongerByTheOld() {
        String w = word();
        String user = "ren_" + w;
        profile(user, "ren_" + w, "Oldname " + w);
        assertEquals(List.of("ren_" + w), handles(user, "oldn " + w));

        profile(user, "new_" + w, "Newname " + w);

        assertEquals(List.of(), handles(user, "oldname " + w));
        assertEquals(List.of(), handles(user, "ren" + w));
        assertEquals(List.of("new_" + w), handles(user, "newna " + w));
        assertEquals(List.of("new_" + w), handles(user, "@new_" + w));
    }

    @Test
    void resultsArePagedWithACursorBoundToTheQuery() {
        String w = word();
        String viewer = "pager_" + word();
        api.signUp(viewer, viewer);
        for (int i = 0; i < 5; i++) {
            profile("page" + i + "_" + w, w + "_" + i, "Page " + i);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = search(viewer, w, "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            assertTrue(page.json().path("items").size() <= 2, page.body());
            page.json().path("items").forEach(item -> seen.add(item.path("handle").asText()));
            cursor = page.json().path("next").asText(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(5, seen.size(), "everyone once: " + seen);
        assertEquals(Set.of(w + "_0", w + "_1", w + "_2", w + "_3", w + "_4"), Set.copyOf(seen));

        String next = search(viewer, w, "&limit=2").json().path("next").asText();
        Reply sameQuerySpeltOtherwise = search(viewer, "@" + w.toUpperCase(), "&limit=2&cursor=" + next);
        assertEquals(200, sameQuerySpeltOtherwise.status(), sameQuerySpeltOtherwise.body());
        assertEquals(seen.get(2), sameQuerySpeltOtherwise.json().path("items").get(0).path("handle").asText());
        Reply otherQuery = search(viewer, w.substring(0, 5), "&limit=2&cursor=" + next);
        assertEquals(400, otherQuery.status(), otherQuery.body());
        assertEquals("invalid_cursor", otherQuery.errorCode());
    }

    @Test
    void aBadQueryIsA400ThatSaysWhatToType() {
        String viewer = "bad_" + word();
        api.signUp(viewer, viewer);

        Reply oneLetter = search(viewer, "j", "");
        assertEquals(400, oneLetter.status());
        assertEquals("query_too_short", oneLetter.errorCode());
        assertTrue(oneLetter.json().path("error").path("message").asText().contains("at least 2"), oneLetter.body());

        Reply noQuery = api.get(viewer, "/v1/search/users");
        assertEquals(400, noQuery.status());
        assertEquals("query_required", noQuery.errorCode());

        assertEquals("query_too_short", search(viewer, "@ _ !", "").errorCode());
        assertEquals("invalid_query", search(viewer, "a".repeat(101), "").errorCode());
        Reply overLimit = search(viewer, "jo", "&limit=51");
        assertEquals(400, overLimit.status());
        assertEquals("invalid_limit", overLimit.errorCode());
        assertFalse(overLimit.body().contains("Exception"), overLimit.body());

        assertEquals(401, api.send("GET", "/v1/search/users?q=jo", null, null, null).status());
    }
}
