package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import software.amazon.awscdk.services.lambda.Code;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each function's code, and the web client's files, come from. The app deploys what the build
 * made (the shaded jars, and the Vite build of {@code functions/web}); tests pass placeholders, so
 * synthesizing a stage never needs a build.
 */
public interface FunctionCode {

    /** Where {@code functions/web}'s Vite build writes the web client (vite.config.js {@code outDir}). */
    String WEB_BUILD = "functions/web/target/classes/web";
    /** What a web client build holds: its two pages and the folder of their hashed scripts and styles. */
    List<String> WEB_PAGES = List.of("index.html", "console.html");
    String WEB_ASSETS = "assets";

    Code forFunction(FunctionSpec function);

    /** The web client's build: a folder with {@link #WEB_PAGES} and {@link #WEB_ASSETS}{@code /}. */
    Path webClient();

    /**
     * The shaded jar of every function, {@code <root>/<module>/target/lambda/<name>.jar}, and the web
     * client's build in {@code <root>/}{@value #WEB_BUILD}. Checks all of them at once, so a missing
     * build is reported with everything it lacks.
     *
     * @throws IllegalStateException naming what is missing and the command that builds it
     */
    static FunctionCode fromBuiltJars(Path repositoryRoot) {
        Map<String, Path> jars = GlintResources.FUNCTIONS.stream().collect(Collectors.toMap(
                FunctionSpec::name, spec -> repositoryRoot.resolve(spec.jarPath()).toAbsolutePath().normalize()));
        List<String> missing = new ArrayList<>(jars.values().stream().filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString).sorted().toList());
        Path web = repositoryRoot.resolve(WEB_BUILD).toAbsolutePath().normalize();
        missing.addAll(missingWebFiles(web));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The build is missing: " + String.join(", ", missing)
                    + ". Build it first, from " + repositoryRoot.toAbsolutePath().normalize()
                    + ": ./mvnw -DskipTests package");
        }
        // A jar is uploaded as it is: Lambda reads a jar like a zip.
        Map<String, Code> codes = jars.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, entry -> Code.fromAsset(entry.getValue().toString())));
        return new FunctionCode() {
            @Override
            public Code forFunction(FunctionSpec function) {
                return codes.get(function.name());
            }

            @Override
            public Path webClient() {
                return web;
            }
        };
    }

    /** The pages and the assets folder a web client build lacks, as paths. */
    static List<String> missingWebFiles(Path web) {
        List<String> missing = new ArrayList<>();
        for (String page : WEB_PAGES) {
            if (!Files.isRegularFile(web.resolve(page))) {
                missing.add(web.resolve(page).toString());
            }
        }
        if (!Files.isDirectory(web.resolve(WEB_ASSETS))) {
            missing.add(web.resolve(WEB_ASSETS) + "/");
        }
        return missing;
    }

    /** The same code for every function, and the given web client files (tests). */
    static FunctionCode same(Code code, Path webClient) {
        return new FunctionCode() {
            @Override
            public Code forFunction(FunctionSpec function) {
                return code;
            }

            @Override
            public Path webClient() {
                return webClient;
            }
        };
    }
}
