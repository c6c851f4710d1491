package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import dev.glint.shared.resources.GlintResources.PublicRoute;
import dev.glint.shared.web.WebPolicy;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnRule;
import software.amazon.awscdk.CfnRuleAssertion;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CachePolicyProps;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeader;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.KeyGroup;
import software.amazon.awscdk.services.cloudfront.KeyValueStore;
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
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.CacheControl;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.constructs.Construct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge of beta and prod: the site distribution, the stage's public URL, serving the web client's
 * pages and files from a private bucket (origin access control, a CloudFront Function that maps the
 * pages' paths, the pages' security headers and content security policy) and the API's paths from the
 * live HTTP API, uncached, or from the staged API for the users in the split's share (a CloudFront Function
 * reading a key-value store); a distribution in front of the media bucket (origin access control, signed
 * URLs only); both behind one AWS WAF web ACL with AWS's common rule set and a per-IP rate rule.
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
    /** The hashed files: the same bytes for as long as the name exists. */
    static final String ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable";
    /** The pages: revalidated on every load, so a deploy reaches the next page load. */
    static final String PAGES_CACHE_CONTROL = "no-cache";
    /** The viewer request function of the site's default behavior (a resource beside this class). */
    static final String SITE_REQUEST_FUNCTION = "site-request.js";
    /** The viewer request function of the API's behaviors: the split between the live and staged APIs. */
    static final String API_SPLIT_FUNCTION = "api-split.js";
    /** Where {@link #API_SPLIT_FUNCTION} names the staged API's domain, replaced at synth. */
    static final String STAGED_DOMAIN_PLACEHOLDER = "__STAGED_API_DOMAIN__";
    /** The split store's key: the staged API's share of users in whole percent ({@code ./glint split --stage}). */
    static final String SPLIT_KEY = "api";
    /** Every API path but the public ones outside it goes to the API under this pattern. */
    static final String API_PATH_PATTERN = "/v1/*";
    /** The public routes that are the web client's pages and files: the web bucket serves them at the edge. */
    static final Set<String> WEB_ROUTES = Set.of("/", "/console", "/assets/{file}");
    private static final String GLOBAL_S3_HOST = "s3.amazonaws.com";
    private static final Pattern HSTS = Pattern.compile("max-age=([0-9]+)(; includeSubDomains)?(; preload)?");

    private final CfnWebACL webAcl;
    private final Distribution site;
    private final Bucket webBucket;
    private final Distribution media;
    private final KeyGroup mediaKeys;
    private final PublicKey mediaSigningKey;
    private final Secret mediaSigningKeySecret;
    private final KeyValueStore splitStore;
    private final software.amazon.awscdk.services.cloudfront.Function splitFunction;

    /**
     * @param aclStack a us-east-1 stack for the web ACL when this stack deploys elsewhere; empty, the
     *                 ACL is built here and the stack must deploy to us-east-1
     */
    public GlintEdge(Construct scope, String id, StageSettings settings, DataResources data, GlintApis apis,
                     GlintRealtime realtime, Path webClient, Optional<Stack> aclStack) {
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
                .description("Glint " + settings.name() + ": AWS common rules and a per-IP rate limit in front of the site and media")
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
                .conditions(Map.of("StringEquals", Map.of("AWS:SourceArn", distributionArn(media))))
                .build());

        // The web client's files: a private bucket that only the site distribution reads (origin access
        // control), filled by the deploy from the Vite build.
        webBucket = Bucket.Builder.create(this, "WebBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(data.accessLogs())
                .serverAccessLogsPrefix("web/")
                .removalPolicy(settings.dataRemovalPolicy())
                .autoDeleteObjects(!settings.retainData())
                .build();
        deployWebClient(settings, webClient);

        // The API: nothing cached (every answer is per user), every header but Host passed on, so the
        // authorizer sees the bearer token and the api its If-None-Match.
        String apiDomain = Fn.select(2, Fn.split("/", apis.live().getApiEndpoint()));
        var apiOrigin = HttpOrigin.Builder.create(apiDomain)
                .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                .originSslProtocols(List.of(OriginSslPolicy.TLS_V1_2))
                .build();
        // The split: a key-value store holds the staged API's share of users (key api, whole percent; empty
        // until ./glint split --stage sets it, so everyone is live), and a function on every API path sends
        // the users whose bucket is in that share to the staged API instead, by changing the request's origin
        // domain: the live origin's settings (HTTPS, TLS 1.2) stay. The pages are the same for everyone, so
        // their behavior does not run it.
        splitStore = KeyValueStore.Builder.create(this, "SplitStore")
                .comment("Glint " + settings.name() + ": the staged API's share of users (key " + SPLIT_KEY + ", whole percent)")
                .build();
        String stagedDomain = Fn.select(2, Fn.split("/", apis.staged().orElseThrow().getApiEndpoint()));
        splitFunction = software.amazon.awscdk.services.cloudfront.Function.Builder.create(this, "ApiSplit")
                .comment("Glint " + settings.name() + ": a sticky share of users to the staged API, by the split store")
                .runtime(FunctionRuntime.JS_2_0)
                .keyValueStore(splitStore)
                .code(software.amazon.awscdk.services.cloudfront.FunctionCode.fromInline(
                        resource(API_SPLIT_FUNCTION).replace(STAGED_DOMAIN_PLACEHOLDER, stagedDomain)))
                .build();
        var apiBehavior = BehaviorOptions.builder()
                .origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .functionAssociations(List.of(FunctionAssociation.builder()
                        .function(splitFunction).eventType(FunctionEventType.VIEWER_REQUEST).build()))
                .build();
        Map<String, BehaviorOptions> apiBehaviors = new LinkedHashMap<>();
        apiPathPatterns().forEach(pattern -> apiBehaviors.put(pattern, apiBehavior));

        S3OriginAccessControl webAccess = S3OriginAccessControl.Builder.create(this, "WebOriginAccess")
                .description("Glint " + settings.name() + ": CloudFront signs its requests to the web bucket")
                .signing(Signing.SIGV4_ALWAYS)
                .build();
        var siteRequest = software.amazon.awscdk.services.cloudfront.Function.Builder.create(this, "SiteRequest")
                .comment("Glint " + settings.name() + ": / and /console to their pages, /assets/<file> as it is, else 404")
                .runtime(FunctionRuntime.JS_2_0)
                .code(software.amazon.awscdk.services.cloudfront.FunctionCode.fromInline(resource(SITE_REQUEST_FUNCTION)))
                .build();
        // One origin for the page and its API, so the page's connect-src 'self' covers every API call and
        // the API needs no CORS for it. The pages are cached by their no-cache (CachingOptimized's minimum
        // of a second), the hashed files for a year, both compressed at the edge.
        // The construct id is the one of the distribution that fronted the API alone before the site had its
        // bucket: kept, so stages that had it update it in place (same domain, same alias) instead of replacing it.
        var siteBuilder = Distribution.Builder.create(this, "ApiDistribution")
                .comment("Glint " + settings.name() + " site: the web client and its API")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withBucketDefaults(webBucket, OriginProps.builder()
                                .originAccessControlId(webAccess.getOriginAccessControlId()).build()))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .compress(true)
                        .responseHeadersPolicy(webHeaders(settings, data, realtime))
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .function(siteRequest).eventType(FunctionEventType.VIEWER_REQUEST).build()))
                        .build())
                .additionalBehaviors(apiBehaviors)
                .webAclId(webAcl.getAttrArn())
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100);
        edge.domainName().ifPresent(domain -> siteBuilder
                .domainNames(List.of(domain))
                .minimumProtocolVersion(SecurityPolicyProtocol.TLS_V1_2_2021)
                .certificate(Certificate.fromCertificateArn(this, "ApiCertificate", edge.certificateArn().orElseThrow())));
        site = siteBuilder.build();
        // As for media: the bucket policy is written here, for this distribution alone.
        webBucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("cloudfront.amazonaws.com")))
                .actions(List.of("s3:GetObject"))
                .resources(List.of(webBucket.arnForObjects("*")))
                .conditions(Map.of("StringEquals", Map.of("AWS:SourceArn", distributionArn(site))))
                .build());


        List<NagPackSuppression> suppressions = new ArrayList<>(List.of(
                Nag.rule("AwsSolutions-CFR1", "Glint serves every country; no geo restriction."),
                Nag.rule("AwsSolutions-CFR3", "Requests that reach the API are in its access logs, the buckets log "
                        + "every request CloudFront makes to them (server access logs) and the WAF keeps sampled requests "
                        + "and metrics per rule; CloudFront standard logs need an ACL-enabled bucket, which the stage's "
                        + "buckets refuse (bucket owner enforced).")));
        NagSuppressions.addResourceSuppressions(media, suppressions, true);
        List<NagPackSuppression> siteSuppressions = new ArrayList<>(suppressions);
        if (edge.domainName().isEmpty()) {
            siteSuppressions.add(Nag.rule("AwsSolutions-CFR4", "Without a custom domain the distribution uses CloudFront's "
                    + "default certificate, which cannot set a minimum TLS version; -c domainName= with a certificate "
                    + "enforces TLS 1.2."));
        }
        NagSuppressions.addResourceSuppressions(site, siteSuppressions, true);
        NagSuppressions.addResourceSuppressions(media, List.of(Nag.rule("AwsSolutions-CFR4",
                "The media distribution uses CloudFront's default certificate (signed URLs name its domain), which "
                        + "cannot set a minimum TLS version.")), true);
    }

    /**
     * Uploads the web client's build in two deployments. The hashed files first, with a year's immutable
     * Cache-Control and no pruning: a page still open in a browser (or cached for its second) keeps finding
     * the files it names after the next deploy; the files are named by their content, so an old one is
     * never served for a new page. Then the pages, no-cache (the browser revalidates each load) and pruned,
     * so a page that left the build does not linger; the prune leaves assets/ alone.
     */
    private void deployWebClient(StageSettings settings, Path webClient) {
        List<String> missing = FunctionCode.missingWebFiles(webClient);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The web client build is missing: " + String.join(", ", missing)
                    + ". Build it first, from the repository root: ./mvnw -DskipTests package");
        }
        // The deployment's handler gets a role and a log group of its own, as the functions do: it may write
        // its log, read the deploy's asset and read and write the web bucket (the grants BucketDeployment adds).
        LogGroup logs = LogGroup.Builder.create(this, "WebDeploymentLogs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        Role role = Role.Builder.create(this, "WebDeploymentRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Copies the web client's build into the web bucket at deploy time")
                .build();
        logs.grantWrite(role);
        BucketDeployment assets = BucketDeployment.Builder.create(this, "WebAssets")
                .sources(List.of(Source.asset(webClient.resolve(FunctionCode.WEB_ASSETS).toString())))
                .destinationBucket(webBucket)
                .destinationKeyPrefix(FunctionCode.WEB_ASSETS + "/")
                .cacheControl(List.of(CacheControl.fromString(ASSETS_CACHE_CONTROL)))
                .prune(false)
                .outputObjectKeys(false)
                .role(role)
                .logGroup(logs)
                .build();
        BucketDeployment pages = BucketDeployment.Builder.create(this, "WebPages")
                .sources(List.of(Source.asset(webClient.toString(), AssetOptions.builder()
                        // Only the pages: not the hashed files (the deployment above), not assets.txt (the api's list).
                        .exclude(java.util.stream.Stream.concat(java.util.stream.Stream.of("*"),
                                FunctionCode.WEB_PAGES.stream().map(page -> "!" + page)).toList())
                        .build())))
                .destinationBucket(webBucket)
                .cacheControl(List.of(CacheControl.fromString(PAGES_CACHE_CONTROL)))
                .prune(true)
                // Matches on both sides of the sync: the hashed files are neither uploaded here nor pruned.
                .exclude(List.of(FunctionCode.WEB_ASSETS + "/*"))
                .outputObjectKeys(false)
                .role(role)
                .logGroup(logs)
                .build();
        // A new page goes live only once the files it names are there.
        pages.getNode().addDependency(assets);
        // The deployments' handler is a singleton function of the stack, written by CDK (Python and the AWS CLI layer).
        Stack.of(this).getNode().getChildren().stream()
                .filter(child -> child.getNode().getId().startsWith("Custom::CDKBucketDeployment"))
                .forEach(handler -> NagSuppressions.addResourceSuppressions(handler, List.of(Nag.rule("AwsSolutions-L1",
                        "BucketDeployment's handler: its runtime is chosen by the CDK library (with the AWS CLI layer it "
                                + "needs) and moves with CDK upgrades; it runs only while a deploy copies the web client.")), true));
        NagSuppressions.addResourceSuppressions(role, List.of(Nag.rule("AwsSolutions-IAM5",
                "BucketDeployment's own grants for the aws s3 sync its handler runs: read the deploy's asset objects in "
                        + "the CDK bootstrap bucket, and read, write and delete objects of the web bucket (wildcard actions "
                        + "such as s3:GetObject* and s3:DeleteObject* are CDK's grantRead/grantReadWrite; the resources are "
                        + "those two buckets and their objects only).",
                List.of("Action::s3:GetBucket*", "Action::s3:GetObject*", "Action::s3:List*", "Action::s3:DeleteObject*",
                        "Action::s3:Abort*",
                        Nag.regex("^Resource::arn:(<AWS::Partition>|aws[a-z-]*):s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-"
                                + "(<AWS::Region>|[a-z0-9-]+)/\\*$"),
                        Nag.regex("^Resource::<EdgeWebBucket[0-9A-F]{8}\\.Arn>/\\*$")))), true);
    }

    /**
     * The API's paths at the edge: {@code /v1/*}, and every public route that is neither a page nor an asset
     * ({@link GlintResources#PUBLIC_ROUTES}), each its own exact path.
     */
    static List<String> apiPathPatterns() {
        List<String> patterns = new ArrayList<>(List.of(API_PATH_PATTERN));
        for (PublicRoute route : GlintResources.PUBLIC_ROUTES) {
            String path = route.path();
            if (WEB_ROUTES.contains(path) || path.startsWith(API_PATH_PATTERN.substring(0, API_PATH_PATTERN.length() - 1))
                    || patterns.contains(path)) {
                continue;
            }
            if (path.contains("{")) {
                throw new IllegalStateException("the public route " + path + " has a path parameter: give it a path "
                        + "pattern in GlintEdge so CloudFront sends it to the API");
            }
            patterns.add(path);
        }
        return patterns;
    }

    /**
     * The page's response headers, the ones the api sends with its pages ({@link WebPolicy#headers()}), for
     * the stage's origins: renditions from the media distribution, the presigned PUT to the uploads bucket, the
     * managed login, the WebSocket API; and {@code X-Frame-Options: DENY} for browsers older than
     * {@code frame-ancestors}. Every header of the policy must map, or the synth stops.
     */
    private ResponseHeadersPolicy webHeaders(StageSettings settings, DataResources data, GlintRealtime realtime) {
        WebPolicy policy = new WebPolicy(
                "https://" + media.getDistributionDomainName(),
                uploadsOrigin(data.bucket(GlintResources.UPLOADS_BUCKET.logicalName())),
                data.signInUrl(),
                // The origin of the stage's URL (WebSocketStage.getUrl() builds it the same way).
                "wss://" + realtime.api().getApiId() + ".execute-api." + Stack.of(this).getRegion() + "." + Stack.of(this).getUrlSuffix());
        var security = ResponseSecurityHeadersBehavior.builder()
                .frameOptions(ResponseHeadersFrameOptions.builder().frameOption(HeadersFrameOption.DENY).override(true).build());
        List<ResponseCustomHeader> custom = new ArrayList<>();
        policy.headers().forEach((name, value) -> {
            switch (name) {
                case "content-security-policy" -> security.contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                        .contentSecurityPolicy(value).override(true).build());
                case "strict-transport-security" -> {
                    Matcher hsts = HSTS.matcher(value);
                    if (!hsts.matches()) {
                        throw new IllegalStateException("cannot express Strict-Transport-Security '" + value + "' at the edge");
                    }
                    security.strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                            .accessControlMaxAge(Duration.seconds(Long.parseLong(hsts.group(1))))
                            .includeSubdomains(hsts.group(2) != null)
                            .preload(hsts.group(3) != null)
                            .override(true).build());
                }
                case "x-content-type-options" -> {
                    if (!value.equals("nosniff")) {
                        throw new IllegalStateException("CloudFront sets X-Content-Type-Options to nosniff only, not " + value);
                    }
                    security.contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build());
                }
                case "referrer-policy" -> security.referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                        .referrerPolicy(HeadersReferrerPolicy.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')))
                        .override(true).build());
                case "x-frame-options", "x-xss-protection" -> throw new IllegalStateException(
                        "WebPolicy sets " + name + ": map it to its CloudFront security header here");
                default -> custom.add(ResponseCustomHeader.builder().header(name).value(value).override(true).build());
            }
        });
        return ResponseHeadersPolicy.Builder.create(this, "WebHeaders")
                .comment("Glint " + settings.name() + ": the web client's security headers and content security policy")
                .securityHeadersBehavior(security.build())
                .customHeadersBehavior(ResponseCustomHeadersBehavior.builder().customHeaders(custom).build())
                .build();
    }

    /**
     * The uploads bucket's origin as the api's S3 presigner signs it (WebOrigins): the global endpoint in
     * us-east-1, the regional one elsewhere. A stage whose region is unknown at synth decides at deploy time.
     */
    private String uploadsOrigin(Bucket uploads) {
        String region = Stack.of(this).getRegion();
        String regional = "s3." + region + "." + Stack.of(this).getUrlSuffix();
        String host;
        if (!Token.isUnresolved(region)) {
            host = region.equals(StageSettings.EDGE_REGION) ? GLOBAL_S3_HOST : regional;
        } else {
            CfnCondition inUsEast1 = CfnCondition.Builder.create(this, "InUsEast1")
                    .expression(Fn.conditionEquals(Aws.REGION, StageSettings.EDGE_REGION))
                    .build();
            host = Token.asString(Fn.conditionIf(inUsEast1.getLogicalId(), GLOBAL_S3_HOST, regional));
        }
        return "https://" + uploads.getBucketName() + "." + host;
    }

    /** What a bucket policy names a distribution by: {@code arn:aws:cloudfront::<account>:distribution/<id>}. */
    private String distributionArn(Distribution distribution) {
        return Stack.of(this).formatArn(ArnComponents.builder().service("cloudfront").region("").resource("distribution")
                .resourceName(distribution.getDistributionId()).build());
    }

    static String resource(String name) {
        try (InputStream in = GlintEdge.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + GlintEdge.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The stage's public URL: the web client's pages and files from the web bucket, the API's paths from the live API. */
    public Distribution site() {
        return site;
    }

    /** Holds the web client's build, read by the site distribution only. */
    public Bucket webBucket() {
        return webBucket;
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

    /** Holds the staged API's share of users under {@link #SPLIT_KEY}; {@code ./glint split --stage} writes it. */
    public KeyValueStore splitStore() {
        return splitStore;
    }

    /** The API behaviors' viewer request function: live or staged API per user. */
    public software.amazon.awscdk.services.cloudfront.Function splitFunction() {
        return splitFunction;
    }

    /** Holds the private key the api signs media URLs with (a placeholder until an operator puts it in). */
    public Secret mediaSigningKeySecret() {
        return mediaSigningKeySecret;
    }
}
