package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app deploys the jars the build made, and says how to build them when they are missing. */
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
    void builtJarsBecomeTheFunctionsCode(@TempDir Path root) throws Exception {
        for (var spec : GlintResources.FUNCTIONS) {
            Path jar = root.resolve(spec.jarPath());
            Files.createDirectories(jar.getParent());
            Files.write(jar, new byte[]{'P', 'K'});
        }
        FunctionCode code = FunctionCode.fromBuiltJars(root);
        for (var spec : GlintResources.FUNCTIONS) {
            assertNotNull(code.forFunction(spec), spec.name());
        }
    }
}
