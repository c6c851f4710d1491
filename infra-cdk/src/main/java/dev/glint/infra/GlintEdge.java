package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnRule;
import software.amazon.awscdk.CfnRuleAssertion;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CachePolicyProps;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.KeyGroup;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.OriginSslPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.PublicKey;
import software.amazon.awscdk.services.cloudfront.SecurityPolicyProtocol;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.cloudfront.OriginProps;
import software.amazon.awscdk.services.cloudfront.S3OriginAccessControl;
import software.amazon.awscdk.services.cloudfront.Signing;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The edge of beta and prod: a CloudFront distribution in front of the live HTTP API, another in
 * front of the media bucket (origin access control, signed URLs only), both behind one AWS WAF web
 * ACL with AWS's common rule set and a per-IP rate rule.
 *
 * <p>A web ACL for CloudFront ({@code CLOUDFRONT} scope) exists in us-east-1 only. A stage whose
 * region is known at synth and is another gets the ACL in a small us-east-1 stack of its own, read
 * here by a cross-region reference ({@link GlintApp#build}); otherwise the ACL is built here and the
 * template carries a rule that refuses to deploy outside us-east-1.
 */
public final class GlintEdge extends Construct {

    /** Rendition URLs are signed for two hours (the api's window): the edge keeps a copy at most one hour. */
    static final Duration MEDIA_MAX_TTL = Duration.hours(1);
    static final String COMMON_RULES = "AWSManagedRulesCommonRuleSet";
    static final String RATE_RULE = "PerIpRateLimit";

    private final CfnWebACL webAcl;
    private final Distribution api;
    private final Distribution media;
    private final KeyGroup mediaKeys;
    private final PublicKey mediaSigningKey;
    private final Secret mediaSigningKeySecret;

    /**
     * @param aclStack a us-east-1 stack for the web ACL when this stack deploys elsewhere; empty, the
     *                 ACL is built here and the stack must deploy to us-east-1
     */
    public GlintEdge(Construct scope, String id, StageSettings settings, DataResources data, GlintApis apis,
                     Optional<Stack> aclStack) {
        super(scope, id);
        StageSettings.Edge edge = settings.checkedEdge();
        Construct aclScope = aclStack.<Construct>map(stack -> stack).orElse(this);
        if (aclStack.isEmpty()) {
            // The region may be unknown at synth: CloudFormation checks it before it creates anything.
            CfnRule.Builder.create(this, "DeployInUsEast1")
                    .assertions(List.of(CfnRuleAssertion.builder()
                            .assertValue(Fn.conditionEquals(Aws.REGION, StageSettings.EDGE_REGION))
                            .assertDescription("Glint " + settings.name() + " deploys to " + StageSettings.EDGE_REGION
                                    + ": its CloudFront WAF web ACL can only be created there")
                            .build()))
                    .build();
        }

        webAcl = CfnWebACL.Builder.create(aclScope, "WebAcl")
                .scope("CLOUDFRONT")
                .description("Glint " + settings.name() + ": AWS common rules and a per-IP rate limit in front of the API and media")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility("GlintWebAcl"))
                .rules(List.of(
                        CfnWebACL.RuleProperty.builder()
                                .name(COMMON_RULES)
                                .priority(0)
                                .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(java.util.Map.of()).build())
                                .statement(CfnWebACL.StatementProperty.builder()
                                        .managedRuleGroupStatement(CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                                                .vendorName("AWS").name(COMMON_RULES).build())
                                        .build())
                                .visibilityConfig(visibility(COMMON_RULES))
                                .build(),
                        CfnWebACL.RuleProperty.builder()
                                .name(RATE_RULE)
                                .priority(1)
                                .action(CfnWebACL.RuleActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder().build()).build())
                                .statement(CfnWebACL.StatementProperty.builder()
                                        .rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
                                                .aggregateKeyType("IP")
                                                .limit(settings.wafRequestsPerIpPer5Minutes())
                                                .evaluationWindowSec(300)
                                                .build())
                                        .build())
                                .visibilityConfig(visibility(RATE_RULE))
                                .build()))
                .build();

        // The API: nothing cached (every answer is per user), every header but Host passed on, so the
        // authorizer sees the bearer token and the api its If-None-Match.
        String apiDomain = Fn.select(2, Fn.split("/", apis.live().getApiEndpoint()));
        var apiOrigin = HttpOrigin.Builder.create(apiDomain)
                .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                .originSslProtocols(List.of(OriginSslPolicy.TLS_V1_2))
                .build();
        var apiBehavior = BehaviorOptions.builder()
                .origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .build();
        var apiDistribution = Distribution.Builder.create(this, "ApiDistribution")
                .comment("Glint " + settings.name() + " API")
                .defaultBehavior(apiBehavior)
                // The web client's files: named by their content's hash, the same for every user, served
                // with a year's max-age; cached at the edge (and compressed) by the origin's Cache-Control.
                .additionalBehaviors(java.util.Map.of("/assets/*", BehaviorOptions.builder()
                        .origin(apiOrigin)
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .compress(true)
                        .build()))
                .webAclId(webAcl.getAttrArn())
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100);
        edge.domainName().ifPresent(domain -> apiDistribution
                .domainNames(List.of(domain))
                .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
                .certificate(Certificate.fromCertificateArn(this, "ApiCertificate", edge.certificateArn().orElseThrow())));
        api = apiDistribution.build();

        // Media: signed URLs only (the key group), read from the bucket through origin access control.
        // Cached by path alone: a signature is checked at the edge before a cached copy is served.
        mediaSigningKey = PublicKey.Builder.create(this, "MediaSigningKey")
                .encodedKey(edge.mediaPublicKey().orElseThrow())
                .comment("Checks the signature of Glint " + settings.name() + " media URLs")
                .build();
        mediaKeys = KeyGroup.Builder.create(this, "MediaKeyGroup").items(List.of(mediaSigningKey)).build();
        // The private half, for the api to sign with. The template cannot carry it: the stack creates the
        // secret with a placeholder (not a secret, and never changed, so an update never resets the key)
        // and an operator puts the PEM in with put-secret-value (infra-cdk/README.md, the edge).
        mediaSigningKeySecret = Secret.Builder.create(this, "MediaSigningKeySecret")
                .description("Glint " + settings.name() + ": the PEM private key the api signs media URLs with (its public "
                        + "half is the CloudFront key MediaSigningKey); put it in with aws secretsmanager put-secret-value")
                .secretStringValue(SecretValue.unsafePlainText(GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER))
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(mediaSigningKeySecret, List.of(Nag.rule("AwsSolutions-SMG4",
                "Rotating the media signing key means a new CloudFront public key in the key group beside the old one "
                        + "(-c mediaPublicKey=), then the new private key here: a deliberate operator step, not a "
                        + "rotation Lambda.")));
        CachePolicy mediaCache = new CachePolicy(this, "MediaCachePolicy", CachePolicyProps.builder()
                .comment("Renditions are immutable; a deleted post's copies leave the edge within the maximum TTL")
                .defaultTtl(MEDIA_MAX_TTL)
                .maxTtl(MEDIA_MAX_TTL)
                .minTtl(Duration.seconds(0))
                .queryStringBehavior(CacheQueryStringBehavior.none())
                .enableAcceptEncodingGzip(false)
                .enableAcceptEncodingBrotli(false)
                .build());
        // Origin access control, with the bucket policy written here rather than by the origin (which
        // would grant the whole bucket): the distribution may read renditions under media/ and nothing else.
        Bucket mediaBucket = data.bucket(GlintResources.MEDIA_BUCKET.logicalName());
        S3OriginAccessControl originAccess = S3OriginAccessControl.Builder.create(this, "MediaOriginAccess")
                .description("Glint " + settings.name() + ": CloudFront signs its requests to the media bucket")
                .signing(Signing.SIGV4_ALWAYS)
                .build();
        media = Distribution.Builder.create(this, "MediaDistribution")
                .comment("Glint " + settings.name() + " media (signed URLs)")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withBucketDefaults(mediaBucket, OriginProps.builder()
                                .originAccessControlId(originAccess.getOriginAccessControlId()).build()))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                        .cachePolicy(mediaCache)
                        .trustedKeyGroups(List.of(mediaKeys))
                        .build())
                .webAclId(webAcl.getAttrArn())
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .build();
        mediaBucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("cloudfront.amazonaws.com")))
                .actions(List.of("s3:GetObject"))
                .resources(List.of(mediaBucket.arnForObjects(DataResources.MEDIA_OBJECTS)))
                .conditions(java.util.Map.of("StringEquals", java.util.Map.of("AWS:SourceArn", Stack.of(this).formatArn(
                        ArnComponents.builder().service("cloudfront").region("").resource("distribution")
                                .resourceName(media.getDistributionId()).build()))))
                .build());

        List<NagPackSuppression> suppressions = new ArrayList<>(List.of(
                Nag.rule("AwsSolutions-CFR1", "Glint serves every country; no geo restriction."),
                Nag.rule("AwsSolutions-CFR3", "Requests that reach the API are in its access logs and the WAF keeps "
                        + "sampled requests and metrics per rule; CloudFront standard logs need an ACL-enabled bucket, "
                        + "which the stage's buckets refuse (bucket owner enforced).")));
        NagSuppressions.addResourceSuppressions(media, suppressions, true);
        List<NagPackSuppression> apiSuppressions = new ArrayList<>(suppressions);
        if (edge.domainName().isEmpty()) {
            apiSuppressions.add(Nag.rule("AwsSolutions-CFR4", "Without a custom domain the distribution uses CloudFront's "
                    + "default certificate, which cannot set a minimum TLS version; -c domainName= with a certificate "
                    + "enforces TLS 1.2."));
        }
        NagSuppressions.addResourceSuppressions(api, apiSuppressions, true);
        NagSuppressions.addResourceSuppressions(media, List.of(Nag.rule("AwsSolutions-CFR4",
                "The media distribution uses CloudFront's default certificate (signed URLs name its domain), which "
                        + "cannot set a minimum TLS version.")), true);
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .cloudWatchMetricsEnabled(true)
                .metricName(metric)
                .sampledRequestsEnabled(true)
                .build();
    }

    public CfnWebACL webAcl() {
        return webAcl;
    }

    public Distribution api() {
        return api;
    }

    public Distribution media() {
        return media;
    }

    public KeyGroup mediaKeys() {
        return mediaKeys;
    }

    /** The CloudFront public key media URLs are signed for: its id is their {@code Key-Pair-Id}. */
    public PublicKey mediaSigningKey() {
        return mediaSigningKey;
    }

    /** Holds the private key the api signs media URLs with (a placeholder until an operator puts it in). */
    public Secret mediaSigningKeySecret() {
        return mediaSigningKeySecret;
    }
}
