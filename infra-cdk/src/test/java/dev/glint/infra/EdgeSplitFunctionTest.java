package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.shared.split.VersionSplit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split's CloudFront Function ({@code api-split.js}) run by node as CloudFront runs it, with a stand-in
 * for the {@code cloudfront} module (its key-value store and {@code updateRequestOrigin}): it sends exactly
 * the users {@link VersionSplit} puts in the higher version's range to the staged API, stickily, and
 * everyone it cannot place to the live API.
 */
class EdgeSplitFunctionTest {

    private static final String STAGED = "staged.execute-api.example";
    private static final String HEADER = "import cf from 'cloudfront';\nimport crypto from 'crypto';\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: what the store holds under {@code api} (null: no key; "!error": the read fails), headers, cookies. */
    private record Case(String share, Map<String, String> headers, Map<String, String> cookies) {
    }

    private static String token(String payloadJson) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return "Bearer " + url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private static Case bearer(String share, String sub) {
        return new Case(share, Map.of("authorization", token("{\"sub\":\"" + sub + "\",\"token_use\":\"access\",\"client_id\":\"c\"}")), Map.of());
    }

    private static Case cookie(String share, String id) {
        return new Case(share, Map.of(), Map.of("glint-split", id));
    }

    /** Runs the function over the cases; per case "live", or "staged" when it moved the request to the staged API. */
    private static List<String> run(List<Case> cases) throws Exception {
        String code = GlintEdge.resource(GlintEdge.API_SPLIT_FUNCTION);
        // The runtime's modules: node's crypto is the same SHA-256; the cloudfront module is stood in for below.
        assertTrue(code.startsWith(HEADER), "the function starts with its two imports");
        assertTrue(code.contains("'" + GlintEdge.STAGED_DOMAIN_PLACEHOLDER + "'"), "the staged domain is written in at synth");
        assertTrue(code.contains("kvs.get('" + GlintEdge.SPLIT_KEY + "')"), "the function reads the key ./glint split --stage writes");
        String script = """
                const crypto = require('crypto');
                let store = {};
                let origin = null;
                const cf = {
                  kvs: () => ({
                    get: async (key) => {
                      if (store === '!error') throw new Error('store unreachable');
                      if (!(key in store)) throw new Error('key not found');
                      return store[key];
                    }
                  }),
                  updateRequestOrigin: (params) => {
                    if (JSON.stringify(Object.keys(params)) !== '["domainName"]') throw new Error('unexpected ' + JSON.stringify(params));
                    origin = params.domainName;
                  }
                };
                """
                + code.substring(HEADER.length()).replace(GlintEdge.STAGED_DOMAIN_PLACEHOLDER, STAGED)
                + """

                (async () => {
                  let input = '';
                  for await (const chunk of process.stdin) input += chunk;
                  const out = [];
                  for (const c of JSON.parse(input)) {
                    store = c.share === '!error' ? '!error' : (c.share === null ? {} : { api: c.share });
                    origin = null;
                    const headers = {};
                    for (const [k, v] of Object.entries(c.headers)) headers[k] = { value: v };
                    const cookies = {};
                    for (const [k, v] of Object.entries(c.cookies)) cookies[k] = { value: v };
                    const request = { method: 'GET', uri: '/v1/me/feed', querystring: {}, headers, cookies };
                    const result = await handler({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' }, request });
                    if (result !== request) throw new Error('the request was not passed on');
                    out.push(origin === null ? 'live' : origin === '<staged>' ? 'staged' : 'elsewhere:' + origin);
                  }
                  process.stdout.write(JSON.stringify(out));
                })().catch((e) => { process.stderr.write(String(e.stack)); process.exit(3); });
                """.replace("<staged>", STAGED);
        ArrayNode input = JSON.createArrayNode();
        for (Case c : cases) {
            ObjectNode node = input.addObject();
            node.put("share", c.share());
            node.set("headers", JSON.valueToTree(c.headers()));
            node.set("cookies", JSON.valueToTree(c.cookies()));
        }
        Process node;
        try {
            node = new ProcessBuilder("node", "-e", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            Assumptions.abort("no node on this machine to run the CloudFront Function: " + e.getMessage());
            return List.of();
        }
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), output);
        List<String> answers = new ArrayList<>();
        for (JsonNode answer : JSON.readTree(output)) {
            answers.add(answer.asText());
        }
        assertEquals(cases.size(), answers.size());
        return answers;
    }

    /** What VersionSplit gives a user for live = version 1 and staged = version 2 at this staged share. */
    private static String expected(int stagedShare, String user) {
        VersionSplit split = new VersionSplit("api", List.of(new VersionSplit.Share(1, 100 - stagedShare),
                new VersionSplit.Share(2, stagedShare)));
        return split.versionFor(user) == 2 ? "staged" : "live";
    }

    private static List<String> subs(int count) {
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subs.add(UUID.nameUUIDFromBytes(("user-" + i).getBytes(StandardCharsets.UTF_8)).toString());
        }
        return subs;
    }

    @Test
    void theEdgeSendsExactlyTheUsersVersionSplitPutsInTheStagedRange() throws Exception {
        List<String> subs = subs(3000);
        int[] shares = {0, 1, 10, 30, 50, 99, 100};
        List<Case> cases = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int share : shares) {
            for (String sub : subs) {
                cases.add(bearer(Integer.toString(share), sub));
                expected.add(expected(share, sub));
            }
        }
        List<String> actual = run(cases);
        assertEquals(expected, actual);
        // Not all one way: at 10 % about 300 of the 3,000 users are staged (binomial 99.9 % bounds about 250-350).
        long stagedAt10 = actual.subList(2 * subs.size(), 3 * subs.size()).stream().filter("staged"::equals).count();
        assertTrue(stagedAt10 > 250 && stagedAt10 < 350, stagedAt10 + " of 3,000 staged at 10 %");
    }

    @Test
    void signedOutBrowsersAreSplitByTheirCookieAsTheLocalGatewaySplitsThem() throws Exception {
        List<Case> cases = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String id = UUID.nameUUIDFromBytes(("browser-" + i).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
            cases.add(cookie("30", id));
            expected.add(expected(30, id));
        }
        assertEquals(expected, run(cases));
    }

    @Test
    void aWeightChangeMovesOnlyTheUsersBetweenTheOldAndNewBoundaries() throws Exception {
        List<String> subs = subs(3000);
        List<Case> cases = new ArrayList<>();
        for (String share : List.of("10", "30")) {
            subs.forEach(sub -> cases.add(bearer(share, sub)));
        }
        List<String> actual = run(cases);
        Set<String> before = new HashSet<>();
        Set<String> after = new HashSet<>();
        for (int i = 0; i < subs.size(); i++) {
            if (actual.get(i).equals("staged")) {
                before.add(subs.get(i));
            }
            if (actual.get(subs.size() + i).equals("staged")) {
                after.add(subs.get(i));
            }
        }
        assertTrue(after.containsAll(before), "nobody staged at 10 % goes back to live at 30 %");
        VersionSplit any = new VersionSplit("api", List.of(new VersionSplit.Share(1, 100)));
        for (String moved : after) {
            if (!before.contains(moved)) {
                int bucket = any.bucket(moved);
                assertTrue(bucket >= 7000 && bucket < 9000, moved + " moved from bucket " + bucket);
            }
        }
        assertFalse(after.size() == before.size(), "20 % of the users move");
    }

    @Test
    void aTokensSubDecidesBeforeTheCookie() throws Exception {
        List<String> subs = subs(400);
        List<Case> cases = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        String cookie = "0123456789abcdef0123456789abcdef";
        for (String sub : subs) {
            Case withToken = bearer("50", sub);
            cases.add(new Case("50", withToken.headers(), Map.of("glint-split", cookie)));
            expected.add(expected(50, sub));
        }
        assertEquals(expected, run(cases));
        assertTrue(expected.contains("live") && expected.contains("staged"), "both kinds of user among them");
    }

    @Test
    void whoCannotBePlacedGoesLiveWithoutAnError() throws Exception {
        String sub = subs(1).get(0);
        List<Case> cases = List.of(
                // At 100 % everyone the function can place is staged: each of these must still go live.
                new Case("100", Map.of(), Map.of()),
                new Case("100", Map.of("authorization", "Bearer not-a-jwt"), Map.of()),
                new Case("100", Map.of("authorization", "Bearer a.%%%.c"), Map.of()),
                new Case("100", Map.of("authorization", "Bearer eyJhbGciOiJub25lIn0.bm90IGpzb24.c2ln"), Map.of()),
                new Case("100", Map.of("authorization", token("null")), Map.of()),
                new Case("100", Map.of("authorization", token("{\"token_use\":\"access\"}")), Map.of()),
                new Case("100", Map.of("authorization", token("{\"sub\":42}")), Map.of()),
                new Case("100", Map.of("authorization", token("{\"sub\":\"\"}")), Map.of()),
                new Case("100", Map.of("authorization", "Basic dXNlcjpwYXNz"), Map.of()),
                new Case("100", Map.of(), Map.of("glint-split", "0123456789ABCDEF0123456789ABCDEF")),
                new Case("100", Map.of(), Map.of("glint-split", "0123456789abcdef0123456789abcde")),
                new Case("100", Map.of(), Map.of("glint-split", "0123456789abcdef0123456789abcdef; x")),
                // No split, or none the function can read: a user who would be staged at 100 % stays live.
                bearer(null, sub),
                bearer("!error", sub),
                bearer("0", sub),
                bearer("", sub),
                bearer("101", sub),
                bearer("-5", sub),
                bearer("ten", sub),
                bearer("10.5", sub));
        List<String> actual = run(cases);
        for (int i = 0; i < cases.size(); i++) {
            assertEquals("live", actual.get(i), cases.get(i).toString());
        }
        // The same user with a readable split is staged: the cases above fail for their own reason.
        assertEquals(List.of("staged", "staged"), run(List.of(bearer("100", sub),
                new Case("100", Map.of("authorization", "Bearer not-a-jwt"), Map.of("glint-split", "0123456789abcdef0123456789abcdef")))));
    }
}
