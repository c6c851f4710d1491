package dev.glint.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Synthesizes each stage once per test JVM (jsii start and synthesis cost seconds), with the
 * feature flags of {@code cdk.json} (so tests see what {@code cdk synth} produces) and a placeholder
 * zip instead of the function jars (so tests never need the functions built).
 */
final class SynthesizedStages {

    /**
     * One synthesized stage: its stack, template and cdk-nag annotations, and those of its us-east-1
     * web ACL stack when it has one.
     */
    record Synthesized(GlintResourcesStack stack, Template template, Annotations annotations,
                       Optional<Template> aclTemplate, Optional<Annotations> aclAnnotations) {
    }

    private static final Map<String, Synthesized> CACHE = new ConcurrentHashMap<>();
    private static Path placeholderZip;
    private static Path placeholderWeb;

    private SynthesizedStages() {
    }

    /** Where beta's and prod's sign-in returns in these tests (the context would name them). */
    static final String BETA_WEB = "https://beta.glint.photos/";
    static final String PROD_WEB = "https://glint.photos/";
    static final String SES_FROM = "no-reply@glint.photos";
    /** The digests' sender and app in these tests (the context would name them). */
    static final String DIGEST_FROM = "digest@glint.photos";
    /**
     * Prod's region is known at synth in these tests and is not us-east-1, so its web ACL gets a
     * us-east-1 stack of its own; beta's is not known (its template then asserts us-east-1).
     */
    static final String PROD_REGION = "eu-west-1";

    static Synthesized stage(String name) {
        return of(settings(name));
    }

    /**
     * A stage's defaults plus what its context must say: beta's and prod's sign-in URLs and their sites as web
     * origins, prod's SES sender and region.
     */
    static StageSettings settings(String name) {
        StageSettings settings = StageSettings.forStage(name);
        return switch (name) {
            case "beta" -> settings.withWebOrigins(List.of(origin(BETA_WEB))).withSignIn(new StageSettings.SignIn(List.of(BETA_WEB), List.of(BETA_WEB),
                    Optional.empty(), Optional.empty()))
                    .withEdge(new StageSettings.Edge(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(mediaKey())))
                    .withDigests(new StageSettings.Digests(Optional.of(DIGEST_FROM), Optional.of(BETA_WEB)));
            case "prod" -> settings.withWebOrigins(List.of(origin(PROD_WEB))).withSignIn(new StageSettings.SignIn(List.of(PROD_WEB), List.of(PROD_WEB),
                    Optional.of(SES_FROM), Optional.empty()))
                    .withEdge(new StageSettings.Edge(Optional.empty(), Optional.empty(), Optional.of(PROD_REGION),
                            Optional.of(mediaKey())))
                    .withDigests(new StageSettings.Digests(Optional.of(DIGEST_FROM), Optional.of(PROD_WEB)));
            default -> settings;
        };
    }

    /** A site's URL without its closing slash: how CORS names it. */
    static String origin(String siteUrl) {
        return siteUrl.substring(0, siteUrl.length() - 1);
    }

    /** A throwaway RSA public key standing in for a stage's media signing key. */
    static String mediaKey() {
        try (var in = SynthesizedStages.class.getResourceAsStream("media-test-public-key.pem")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Synthesized localStack(String name) {
        return of(settings(name).forLocalStack(GlintApp.LOCALSTACK_ENDPOINT));
    }

    static synchronized Synthesized of(StageSettings settings) {
        String key = settings.toString();
        Synthesized cached = CACHE.get(key);
        if (cached == null) {
            App app = new App(AppProps.builder().context(cdkJsonContext()).build());
            GlintResourcesStack stack = GlintApp.build(app, settings, code());
            // Annotations first: cdk-nag reports while the stage synthesizes.
            Annotations annotations = Annotations.fromStack(stack);
            Optional<Annotations> aclAnnotations = stack.aclStack().map(Annotations::fromStack);
            cached = new Synthesized(stack, Template.fromStack(stack), annotations,
                    stack.aclStack().map(Template::fromStack), aclAnnotations);
            CACHE.put(key, cached);
        }
        return cached;
    }

    /** The context of cdk.json (feature flags), as the CDK CLI hands it to the app. */
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) cdkJson.get("context");
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("tests run from infra-cdk/ and read its cdk.json", e);
        }
    }

    /** Placeholder code for every function and a placeholder web client build (a new Code per call). */
    static FunctionCode code() {
        return FunctionCode.same(placeholder(), placeholderWebClient());
    }

    /** The file names a web client build has: its two pages, and a hashed script and style under assets/. */
    static final List<String> PLACEHOLDER_WEB_FILES = List.of("index.html", "console.html",
            "assets/main-Bq3x9Z1a.js", "assets/main-C0ffee42.css", "assets.txt");

    /** A folder standing in for the Vite build of the web client, shaped like one. */
    static synchronized Path placeholderWebClient() {
        if (placeholderWeb == null) {
            try {
                Path web = Files.createTempDirectory("glint-placeholder-web-");
                for (String file : PLACEHOLDER_WEB_FILES) {
                    Path path = web.resolve(file);
                    Files.createDirectories(path.getParent());
                    Files.writeString(path, "not the web client: tests synthesize templates only\n");
                }
                placeholderWeb = web;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return placeholderWeb;
    }

    /** A tiny zip standing in for every function's jar (a new Code per stack: CDK binds an asset to one). */
    static synchronized Code placeholder() {
        if (placeholderZip == null) {
            try {
                Path zip = Files.createTempFile("glint-placeholder-", ".zip");
                zip.toFile().deleteOnExit();
                try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                    out.putNextEntry(new ZipEntry("placeholder.txt"));
                    out.write("not a function: tests synthesize templates only".getBytes());
                    out.closeEntry();
                }
                placeholderZip = zip;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Code.fromAsset(placeholderZip.toString());
    }
}
