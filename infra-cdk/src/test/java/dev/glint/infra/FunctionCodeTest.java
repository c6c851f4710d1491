package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app deploys the jars and the web client the build made, and says how to build them when they are missing. */
class FunctionCodeTest {

    @Test
    void missingJarsAreAllNamedWithTheCommandThatBuildsThem(@TempDir Path root) throws Exception {
        Path api = root.resolve(GlintResources.API_FUNCTION.jarPath());
        Files.createDirectories(api.getParent());
        Files.write(api, new byte[]{'P', 'K'});

        var error = assertThrows(IllegalStateException.class, () -> FunctionCode.fromBuiltJars(root));

        assertTrue(error.getMessage().contains("./mvnw -DskipTests package"), error.getMessage());
        for (var spec : GlintResources.FUNCTIONS) {
            boolean named = error.getMessage().contains(root.resolve(spec.jarPath()).toString());
            assertTrue(spec == GlintResources.API_FUNCTION ? !named : named, spec.name() + ": " + error.getMessage());
        }
    }

    @Test
    void aMissingWebClientBuildIsNamedWithTheCommandThatBuildsIt(@TempDir Path root) throws Exception {
        jars(root);
        Path web = root.resolve(FunctionCode.WEB_BUILD);
        Files.createDirectories(web.resolve("assets"));
        Files.writeString(web.resolve("index.html"), "<!doctype html>");

        var error = assertThrows(IllegalStateException.class, () -> FunctionCode.fromBuiltJars(root));

        assertTrue(error.getMessage().contains(web.resolve("console.html").toString())
                && !error.getMessage().contains(web.resolve("index.html").toString())
                && !error.getMessage().contains(".jar")
                && error.getMessage().contains("./mvnw -DskipTests package"), error.getMessage());
    }

    @Test
    void builtJarsBecomeTheFunctionsCodeAndTheViteBuildTheWebClient(@TempDir Path root) throws Exception {
        jars(root);
        Path web = root.resolve(FunctionCode.WEB_BUILD);
        Files.createDirectories(web.resolve("assets"));
        Files.writeString(web.resolve("index.html"), "<!doctype html>");
        Files.writeString(web.resolve("console.html"), "<!doctype html>");
        FunctionCode code = FunctionCode.fromBuiltJars(root);
        for (var spec : GlintResources.FUNCTIONS) {
            assertNotNull(code.forFunction(spec), spec.name());
        }
        assertEquals(web.toAbsolutePath().normalize(), code.webClient());
    }

    private static void jars(Path root) throws Exception {
        for (var spec : GlintResources.FUNCTIONS) {
            Path jar = root.resolve(spec.jarPath());
            Files.createDirectories(jar.getParent());
            Files.write(jar, new byte[]{'P', 'K'});
        }
    }
}
