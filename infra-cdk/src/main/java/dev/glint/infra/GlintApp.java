package dev.glint.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.StageProps;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CDK app: {@code cdk synth -c stage=dev} (or beta, prod, {@code sandbox-<name>}, or
 * {@code sandbox} for the caller's own sandbox) builds that stage. Stages share nothing and fix no
 * physical name, so any number of them deploy side by side in one account.
 *
 * <p>Context: {@code stage}; {@code webOrigins} (comma-separated, overrides the stage's default, which in beta and
 * prod is the sites of the callback URLs);
 * {@code alarmEmail}; sign-in: {@code callbackUrls}, {@code logoutUrls} (required in beta and prod),
 * {@code sesFromEmail} (required in prod), {@code sesRegion}; edge: {@code domainName} with
 * {@code certificateArn}, {@code region}, {@code mediaPublicKey} (required in beta and prod); email digests:
 * {@code digestFromEmail} and {@code appUrl} (required in beta and prod); {@code target=localstack} with an optional {@code localstackEndpoint} (what
 * functions use to reach LocalStack, default {@value #LOCALSTACK_ENDPOINT}). cdk-nag's AwsSolutions
 * rules run on every synth: an unexplained finding fails it.
 */
public final class GlintApp {

    /** How Lambda containers started by LocalStack reach LocalStack (its DNS answers this name). */
    static final String LOCALSTACK_ENDPOINT = "http://localhost.localstack.cloud:4566";
    /** The one stack of a stage is named {@code <stage>-Glint}. */
    static final String STACK_ID = "Glint";
    /** The us-east-1 stack of a stage whose edge needs one: {@code <stage>-GlintEdgeAcl}. */
    static final String EDGE_ACL_STACK_ID = "GlintEdgeAcl";

    private GlintApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        StageSettings settings = settings(app.getNode());
        build(app, settings, FunctionCode.fromBuiltJars(repositoryRoot()));
        app.synth();
    }

    /**
     * Adds one stage, with cdk-nag watching it, and returns its stack. A stage with an edge whose
     * region is known and is not us-east-1 gets a second, small stack there for the CloudFront web
     * ACL ({@code <stage>-GlintEdgeAcl}); the main stack reads its ARN by a cross-region reference.
     */
    public static GlintResourcesStack build(App app, StageSettings settings, FunctionCode code) {
        Stage stage = new Stage(app, settings.name(), StageProps.builder().build());
        StackProps.Builder props = StackProps.builder()
                .description("Glint " + settings.name() + ": data, functions, APIs, canary deployments, alarms, dashboard")
                .terminationProtection(settings.terminationProtection());
        Stack aclStack = null;
        Optional<String> region = settings.edge().region();
        if (settings.hasEdge() && region.isPresent() && !region.get().equals(StageSettings.EDGE_REGION)) {
            Optional<String> account = Optional.ofNullable(System.getenv("CDK_DEFAULT_ACCOUNT")).filter(a -> !a.isBlank());
            props.env(environment(account, region.get())).crossRegionReferences(true);
            aclStack = new Stack(stage, EDGE_ACL_STACK_ID, StackProps.builder()
                    .description("Glint " + settings.name() + ": the WAF web ACL of its CloudFront distributions (us-east-1 only)")
                    .env(environment(account, StageSettings.EDGE_REGION))
                    .crossRegionReferences(true)
                    .terminationProtection(settings.terminationProtection())
                    .build());
        }
        GlintResourcesStack stack = new GlintResourcesStack(stage, STACK_ID, props.build(), settings, code, Optional.ofNullable(aclStack));
        Aspects.of(stage).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    private static Environment environment(Optional<String> account, String region) {
        Environment.Builder environment = Environment.builder().region(region);
        account.ifPresent(environment::account);
        return environment.build();
    }

    /** The stage's settings from the context (-c key=value). */
    static StageSettings settings(Node context) {
        String stage = string(context, "stage", "dev");
        if (stage.equals("sandbox")) {
            stage = StageSettings.sandboxFor(System.getProperty("user.name"));
        }
        StageSettings settings = StageSettings.forStage(stage);
        String origins = string(context, "webOrigins", "");
        if (!origins.isBlank()) {
            settings = settings.withWebOrigins(Arrays.stream(origins.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList());
        }
        String email = string(context, "alarmEmail", "");
        if (!email.isBlank()) {
            settings = settings.withAlarmEmail(email.trim());
        }
        settings = settings.withSignIn(new StageSettings.SignIn(
                list(context, "callbackUrls").orElse(settings.signIn().callbackUrls()),
                list(context, "logoutUrls").orElse(settings.signIn().logoutUrls()),
                optional(context, "sesFromEmail"),
                optional(context, "sesRegion")));
        if (origins.isBlank()) {
            // Beta and prod: the page that signs in at a callback URL uploads from that site, so by default
            // the sites of the callback URLs are the web origins (the uploads bucket's CORS).
            settings = settings.withCallbackSitesAsWebOrigins();
        }
        settings = settings.withDigests(new StageSettings.Digests(optional(context, "digestFromEmail"), optional(context, "appUrl")));
        Optional<String> region = optional(context, "region").or(() -> Optional.ofNullable(System.getenv("CDK_DEFAULT_REGION")));
        settings = settings.withEdge(new StageSettings.Edge(optional(context, "domainName"), optional(context, "certificateArn"),
                region.filter(r -> !r.isBlank()), optional(context, "mediaPublicKey").map(GlintApp::pem)));
        String target = string(context, "target", "aws");
        switch (target) {
            case "aws" -> { }
            case "localstack" -> settings = settings.forLocalStack(string(context, "localstackEndpoint", LOCALSTACK_ENDPOINT));
            default -> throw new IllegalArgumentException("target must be aws or localstack, not '" + target + "'");
        }
        return settings;
    }

    /** A PEM given inline, or the file that holds it. */
    static String pem(String value) {
        if (value.startsWith("-----BEGIN")) {
            return value;
        }
        try {
            return Files.readString(Path.of(value)).trim();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the PEM file " + value + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> optional(Node context, String key) {
        return Optional.of(string(context, key, "").trim()).filter(value -> !value.isEmpty());
    }

    private static Optional<List<String>> list(Node context, String key) {
        return optional(context, key).map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList());
    }

    private static String string(Node context, String key, String fallback) {
        Object value = context.tryGetContext(key);
        return value == null ? fallback : value.toString();
    }

    /**
     * The repository root, where the function jars are: {@code -Dglint.root}, else the first folder
     * upwards from here that holds both {@code functions/} and {@code infra-cdk/}.
     */
    static Path repositoryRoot() {
        String configured = System.getProperty("glint.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isDirectory(dir.resolve("infra-cdk"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Glint repository above " + here + "; pass -Dglint.root=<repository>");
    }
}
