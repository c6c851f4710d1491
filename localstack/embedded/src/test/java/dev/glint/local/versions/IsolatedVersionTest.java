package dev.glint.local.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsolatedVersionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }

    private static Map<String, String> env() {
        // Endpoints nobody answers on: the test's requests make no AWS call.
        var none = java.net.URI.create("http://127.0.0.1:9");
        GlintConfig config = new GlintConfig("us-east-1", "t", "uploads", "media", "http://127.0.0.1:9/q/media",
                "http://127.0.0.1:9/q/fanout", new GlintConfig.Endpoints(Optional.of(none), Optional.of(none), Optional.of(none)),
                GlintConfig.DEFAULT_CELEBRITY_THRESHOLD, ExperimentConfig.shipped());
        Map<String, String> env = new LinkedHashMap<>(config.toEnv());
        env.put(GlintResources.ENV_CURSOR_SECRET, "x".repeat(40));
        env.put(dev.glint.shared.config.DigestSettings.ENV_UNSUBSCRIBE_SECRET, "u".repeat(40));
        return env;
    }

    private static IsolatedVersion load(VersionStore store, int expected) throws Exception {
        VersionStore.Version v = store.list("api").get(expected - 1);
        return new IsolatedVersion(v, "glint-local-api", env(), "k", "s", 0, new java.util.Random(1), 30_000);
    }

    @Test
    void twoVersionsShareNoClassWithEachOtherOrTheStack(@TempDir Path data) throws Exception {
        Path jar = root().resolve(GlintResources.API_FUNCTION.jarPath());
        VersionStore store = new VersionStore(data);
        store.publish("api", jar, GlintResources.API_FUNCTION.handlerClass(), "first");
        // A second, different build: the same jar with one more entry.
        Path changed = data.resolve("api-changed.jar");
        try (var in = new java.util.zip.ZipFile(jar.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(changed))) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                in.getInputStream(entry).transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("build-note.txt"));
            out.write("second".getBytes());
            out.closeEntry();
        }
        assertEquals(2, store.publish("api", changed, GlintResources.API_FUNCTION.handlerClass(), "second").number());
        assertEquals(2, store.publish("api", changed, GlintResources.API_FUNCTION.handlerClass(), "again").number(),
                "an unchanged build publishes nothing new");

        try (IsolatedVersion one = load(store, 1); IsolatedVersion two = load(store, 2)) {
            Class<?> first = one.classLoader().loadClass(IsolatedVersion.HANDLER);
            Class<?> second = two.classLoader().loadClass(IsolatedVersion.HANDLER);
            assertNotSame(first, second);
            assertNotSame(dev.glint.api.ApiHandler.class, first);
            assertSame(ClassLoader.getPlatformClassLoader(), one.classLoader().getParent());
            // The SDK and the shared domain come from the version's jar, not the stack's classpath.
            assertSame(one.classLoader(), one.classLoader().loadClass("dev.glint.shared.config.GlintConfig").getClassLoader());
            assertSame(one.classLoader(), one.classLoader().loadClass("software.amazon.awssdk.core.SdkBytes").getClassLoader());
            assertThrows(ClassNotFoundException.class, () -> one.classLoader().loadClass("dev.glint.local.EmbeddedStack"));
            assertTrue(one.classLoader().getResource("build-note.txt") == null);
            assertTrue(two.classLoader().getResource("build-note.txt") != null);

            byte[] event = Files.readAllBytes(root().resolve("events/api/unknown-route.json"));
            List<String> lines = new ArrayList<>();
            JsonNode fromOne = JSON.readTree(one.invoke(event, lines::add));
            JsonNode fromTwo = JSON.readTree(two.invoke(event, lines::add));
            assertEquals("1", fromOne.path("headers").path("x-glint-version").asText());
            assertEquals("2", fromTwo.path("headers").path("x-glint-version").asText());
            // Each version's metric line names it, as the alarms' FunctionVersion dimension wants.
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"_aws\"") && l.contains("\"FunctionVersion\":\"1\"")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"_aws\"") && l.contains("\"FunctionVersion\":\"2\"")), lines.toString());
        }
    }

    @Test
    void publishedVersionsAreListedInOrderWithTheirDigest(@TempDir Path data) throws Exception {
        Path jar = root().resolve(GlintResources.API_FUNCTION.jarPath());
        VersionStore store = new VersionStore(data);
        assertEquals(List.of(), store.list("api"));
        VersionStore.Version v = store.publish("api", jar, GlintResources.API_FUNCTION.handlerClass(), "d");
        assertEquals(1, v.number());
        assertTrue(Files.isRegularFile(data.resolve("versions/api/1.jar")));
        assertTrue(Files.isRegularFile(data.resolve("versions/api/manifest.json")));
        assertEquals(v.sha256(), store.list("api").get(0).sha256());
        assertTrue(store.list("api").get(0).published().isBefore(Instant.now().plusSeconds(1)));
    }
}
