package dev.glint.local;

import dev.glint.local.versions.SplitHandler;
import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.split.VersionSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sticky version splits on a running stack ({@code ./glint split}): 200 users over a 70/30 split of
 * two published api versions each reach one version on all their requests, in shares within the
 * binomial 99.9 % bounds; moving to 50/50 moves only users from the first version to the second (about
 * 20 % of all users) and no one back; both changes take effect without a restart. A signed-out
 * browser is kept on its version by the cookie the gateway gives it.
 */
class SplitIT {

    private static final int USERS = 200;
    /** Two-sided 99.9 %: a correct split falls outside these bounds once in a thousand runs. */
    private static final double Z = 3.2905;

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    @Test
    void usersStayOnTheirVersionAndAWeightChangeMovesOnlyTheUsersBetweenTheBoundaries(@TempDir Path data) throws Exception {
        VersionStore store = new VersionStore(data);
        Path jar = root().resolve(GlintResources.API_FUNCTION.jarPath());
        store.publish("api", jar, GlintResources.API_FUNCTION.handlerClass(), "first");
        store.publish("api", jar, GlintResources.API_FUNCTION.handlerClass(), "second", true);
        try (VersionSplits splits = new VersionSplits(data);
             EmbeddedStack stack = STACKS.start(options -> options.withDataDir(data).withDecorator(splits.decorator()))) {
            splits.start(stack);
            ApiClient api = new ApiClient(stack.apiEndpoint());
            List<String> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add("split" + i);
            }
            // No split: the stack's own build serves.
            assertEquals("$LATEST", version(api.get(users.get(0), "/v1/me")));

            store.setSplit(VersionSplit.parse("api", List.of("1=70", "2=30")));
            awaitSplit(splits, "1=70 2=30");
            Map<String, String> before = versions(api, users);
            long first = before.values().stream().filter("1"::equals).count();
            double sd = Math.sqrt(USERS * 0.7 * 0.3);
            assertTrue(Math.abs(first - USERS * 0.7) <= Z * sd,
                    first + " of " + USERS + " users on version 1 under 70/30; 99.9 % bounds are " + USERS * 0.7 + " +- " + Z * sd);

            store.setSplit(VersionSplit.parse("api", List.of("1=50", "2=50")));
            awaitSplit(splits, "1=50 2=50");
            Map<String, String> after = versions(api, users);
            int moved = 0;
            for (String user : users) {
                if (!before.get(user).equals(after.get(user))) {
                    assertEquals("1", before.get(user), user + " moved from version 2 back to version 1");
                    moved++;
                }
            }
            double movedSd = Math.sqrt(USERS * 0.2 * 0.8);
            assertTrue(moved > 0 && Math.abs(moved - USERS * 0.2) <= Z * movedSd,
                    moved + " of " + USERS + " users moved from 70/30 to 50/50; about 20 % should (+- " + Z * movedSd + ")");

            // Results per version, from the versions' own metric lines: every request above is counted once.
            Map<String, Long> requests = new java.util.HashMap<>();
            splits.handler().results().forEach(r -> requests.put(r.version(), r.requests()));
            assertEquals(USERS * 3L * 2, requests.getOrDefault("1", 0L) + requests.getOrDefault("2", 0L),
                    "requests per version " + requests);
            assertEquals(before.values().stream().filter("2"::equals).count() * 3 + after.values().stream().filter("2"::equals).count() * 3,
                    requests.getOrDefault("2", 0L), "version 2's requests");

            // A signed-out browser: given a cookie on its first request, kept on one version by it.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Optional<String> cookie = page.headers().allValues("set-cookie").stream()
                    .filter(c -> c.startsWith(SplitHandler.COOKIE + "=")).findFirst();
            assertTrue(cookie.isPresent(), "a signed-out request gets the split cookie: " + page.headers().map());
            String pair = cookie.get().substring(0, cookie.get().indexOf(';'));
            String served = page.headers().firstValue("x-glint-version").orElseThrow();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> again = http.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/health"))
                        .header("cookie", pair).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(served, again.headers().firstValue("x-glint-version").orElseThrow());
                assertTrue(again.headers().allValues("set-cookie").isEmpty(), "a browser with the cookie is not given another");
            }

            // Off: the stack's own build serves everyone again.
            assertTrue(store.clearSplit("api"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (splits.handler().split().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("$LATEST", version(api.get(users.get(0), "/v1/me")));
        }
    }

    /** Each user's version, after three requests that must all agree. */
    private static Map<String, String> versions(ApiClient api, List<String> users) throws Exception {
        Map<String, String> out = new ConcurrentHashMap<>();
        ApiClient.forEachUser(users, 8, user -> {
            String first = version(api.get(user, "/v1/me"));
            for (String path : List.of("/v1/feed", "/v1/me/notifications")) {
                String next = version(api.get(user, path));
                assertEquals(first, next, user + " reached version " + first + " then " + next + " (" + path + ")");
            }
            out.put(user, first);
        });
        assertEquals(users.size(), out.size());
        return out;
    }

    private static String version(ApiClient.Reply reply) {
        String version = reply.raw().headers().firstValue("x-glint-version").orElse(null);
        assertNotNull(version, "no x-glint-version on " + reply.raw().uri() + " (" + reply.status() + ")");
        return version;
    }

    /** Loading a version is a class loader and an AWS client set: seconds, more on a loaded machine. */
    private static void awaitSplit(VersionSplits splits, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (splits.handler().split().map(VersionSplit::toString).orElse("").equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the running stack did not take the split " + expected + " within 60 s; it serves "
                + splits.handler().split().map(VersionSplit::toString).orElse("no split"));
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }
}
