package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import software.amazon.awscdk.services.lambda.Code;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each function's code comes from. The app deploys the shaded jars the build made; tests pass
 * a placeholder, so synthesizing a stage never needs a build of the functions.
 */
@FunctionalInterface
public interface FunctionCode {

    Code forFunction(FunctionSpec function);

    /**
     * The shaded jar of every function, {@code <root>/<module>/target/lambda/<name>.jar}. Checks all
     * of them at once, so a missing build is reported with every jar it lacks.
     *
     * @throws IllegalStateException naming the missing jars and the command that builds them
     */
    static FunctionCode fromBuiltJars(Path repositoryRoot) {
        Map<String, Path> jars = GlintResources.FUNCTIONS.stream().collect(Collectors.toMap(
                FunctionSpec::name, spec -> repositoryRoot.resolve(spec.jarPath()).toAbsolutePath().normalize()));
        List<String> missing = jars.values().stream().filter(jar -> !Files.isRegularFile(jar)).map(Path::toString).sorted().toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Function jars are missing: " + String.join(", ", missing)
                    + ". Build them first, from " + repositoryRoot.toAbsolutePath().normalize()
                    + ": ./mvnw -DskipTests package");
        }
        // A jar is uploaded as it is: Lambda reads a jar like a zip.
        Map<String, Code> codes = jars.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, entry -> Code.fromAsset(entry.getValue().toString())));
        return spec -> codes.get(spec.name());
    }

    /** The same code for every function (tests). */
    static FunctionCode same(Code code) {
        return spec -> code;
    }
}
