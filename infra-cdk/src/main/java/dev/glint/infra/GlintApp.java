package dev.glint.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.StageProps;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CDK app: {@code cdk synth -c stage=dev} (or beta, prod, or a sandbox name such as
 * {@code sandbox-alice}) builds that stage. Stages share nothing, so several deploy side by side.
 */
public final class GlintApp {

    static final Set<String> SHARED_STAGES = Set.of("dev", "beta", "prod");
    private static final Pattern SANDBOX = Pattern.compile("sandbox-[a-z0-9]{1,20}");

    private GlintApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Object requested = app.getNode().tryGetContext("stage");
        String stage = requested == null ? "dev" : requested.toString();
        if (!SHARED_STAGES.contains(stage) && !SANDBOX.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage must be dev, beta, prod or sandbox-<name>, not " + stage);
        }
        Stage deployment = new Stage(app, stage, StageProps.builder().build());
        new GlintResourcesStack(deployment, "Resources", null);
        app.synth();
    }
}
