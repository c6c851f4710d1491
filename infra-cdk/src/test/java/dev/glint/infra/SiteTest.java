package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.PublicRoute;
import dev.glint.shared.web.WebPolicy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The site of beta and prod: one CloudFront distribution, the stage's public URL, serving the web client's
 * build from a private bucket (origin access control, its pages mapped by a CloudFront Function, the pages'
 * security headers and content security policy) and the API's paths from the live API, uncached; and the
 * configuration the api hands the page in every stage.
 */
class SiteTest {

    /** CloudFront's managed policies. */
    private static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    private static final String CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    private static final String ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    private static String webBucket(Template template) {
        return only(template, "AWS::S3::Bucket", "EdgeWebBucket");
    }

    private static String site(Template template) {
        return Templates.logicalId(template, "AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultCacheBehavior", Match.objectLike(Map.of("FunctionAssociations", Match.anyValue()))))));
    }

    /** The one resource of the type whose logical id starts with the prefix (CDK appends a hash). */
    private static String only(Template template, String type, String prefix) {
        List<String> ids = template.findResources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertEquals(1, ids.size(), type + " " + prefix + "*: " + ids);
        return ids.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theWebBucketIsPrivateAndOnlyTheSiteDistributionMayReadIt(String stage) {
        Template template = template(stage);
        String bucket = webBucket(template);
        String accessLogs = only(template, "AWS::S3::Bucket", "DataAccessLogsBucket");
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                "BucketEncryption", Match.objectLike(Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))),
                "LoggingConfiguration", Map.of("DestinationBucketName", Map.of("Ref", accessLogs), "LogFilePrefix", "web/")));
        // Beta and prod keep their data when the stack goes: the web bucket follows the same policy.
        assertEquals("Retain", Templates.resource(template, bucket).get("DeletionPolicy"));

        String site = site(template);
        template.hasResourceProperties("AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "Origins", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "DomainName", Map.of("Fn::GetAtt", List.of(bucket, "RegionalDomainName")),
                        "OriginAccessControlId", Map.of("Fn::GetAtt", List.of(only(template,
                                "AWS::CloudFront::OriginAccessControl", "EdgeWebOriginAccess"), "Id"))))))))));
        template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", Map.of("OriginAccessControlConfig", Match.objectLike(Map.of(
                "Description", Match.stringLikeRegexp(".*web bucket.*"),
                "OriginAccessControlOriginType", "s3", "SigningBehavior", "always", "SigningProtocol", "sigv4"))));

        List<Map<String, Object>> statements = bucketPolicyStatements(template, bucket);
        List<Map<String, Object>> allows = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertEquals(1, allows.size(), "the web bucket lets one principal in: " + allows);
        Map<String, Object> allow = allows.get(0);
        assertEquals(Map.of("Service", "cloudfront.amazonaws.com"), allow.get("Principal"));
        assertEquals("s3:GetObject", allow.get("Action"));
        assertEquals(Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(bucket, "Arn")), "/*"))), allow.get("Resource"));
        // Prod's region is known at synth, and with it the partition.
        String partition = stage.equals("prod") ? "aws" : "{Ref AWS::Partition}";
        assertEquals("arn:" + partition + ":cloudfront::{Ref AWS::AccountId}:distribution/{Ref " + site + "}",
                render(((Map<?, ?>) ((Map<?, ?>) allow.get("Condition")).get("StringEquals")).get("AWS:SourceArn")));
        // And TLS only.
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && String.valueOf(s.get("Condition")).contains("aws:SecureTransport=false")), String.valueOf(statements));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theBuildIsDeployedHashedFilesImmutableAndKeptPagesNoCacheAndPruned(String stage) throws IOException {
        Template template = template(stage);
        String bucket = webBucket(template);
        String assets = Templates.logicalId(template, "Custom::CDKBucketDeployment", Map.of(
                "DestinationBucketName", Map.of("Ref", bucket),
                "DestinationBucketKeyPrefix", "assets/",
                "Prune", false,
                "SystemMetadata", Map.of("cache-control", GlintEdge.ASSETS_CACHE_CONTROL)));
        assertEquals("public, max-age=31536000, immutable", GlintEdge.ASSETS_CACHE_CONTROL);
        String pages = Templates.logicalId(template, "Custom::CDKBucketDeployment", Map.of(
                "DestinationBucketName", Map.of("Ref", bucket),
                "Prune", true,
                "Exclude", List.of("assets/*"),
                "SystemMetadata", Map.of("cache-control", "no-cache")));
        assertFalse(((Map<?, ?>) Templates.resource(template, pages).get("Properties")).containsKey("DestinationBucketKeyPrefix"));
        assertTrue(Templates.list(Templates.resource(template, pages).get("DependsOn")).contains(assets),
                "the pages wait for the files they name");

        // What each deployment uploads: the staged asset folders of the synthesized assembly.
        assertEquals(List.of("main-Bq3x9Z1a.js", "main-C0ffee42.css"), stagedFiles(stage, template, assets));
        assertEquals(List.of("console.html", "index.html"), stagedFiles(stage, template, pages));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theDeploymentsHandlerHasItsOwnRoleAndLogGroup(String stage) {
        Template template = template(stage);
        String role = only(template, "AWS::IAM::Role", "EdgeWebDeploymentRole");
        String logs = only(template, "AWS::Logs::LogGroup", "EdgeWebDeploymentLogs");
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Role", Map.of("Fn::GetAtt", List.of(role, "Arn")),
                "LoggingConfig", Map.of("LogGroup", Map.of("Ref", logs))));
        assertFalse(((Map<?, ?>) Templates.resource(template, role).get("Properties")).containsKey("ManagedPolicyArns"));
        // Kept as long as the functions' logs.
        Object apiRetention = ((Map<?, ?>) Templates.resource(template, only(template, "AWS::Logs::LogGroup", "FunctionsApiLogs"))
                .get("Properties")).get("RetentionInDays");
        assertEquals(apiRetention, ((Map<?, ?>) Templates.resource(template, logs).get("Properties")).get("RetentionInDays"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theApisPathsGoToTheLiveApiUncachedAndEverythingElseToTheWebBucket(String stage) {
        Template template = template(stage);
        String live = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*live alias.*")));
        Map<String, Object> config = distributionConfig(template, site(template));
        Map<String, String> originIds = new LinkedHashMap<>();
        for (Object o : (List<?>) config.get("Origins")) {
            Map<?, ?> origin = (Map<?, ?>) o;
            String domain = render(origin.get("DomainName"));
            originIds.put(domain.contains(live) ? "api" : domain.contains(webBucket(template)) ? "web" : domain, origin.get("Id").toString());
            if (domain.contains(live)) {
                assertEquals(Map.of("OriginProtocolPolicy", "https-only", "OriginSSLProtocols", List.of("TLSv1.2")),
                        origin.get("CustomOriginConfig"));
            }
        }
        assertEquals(List.of("web", "api"), List.copyOf(originIds.keySet()));

        Map<?, ?> fallback = (Map<?, ?>) config.get("DefaultCacheBehavior");
        assertEquals(originIds.get("web"), fallback.get("TargetOriginId"));
        assertEquals(List.of("GET", "HEAD"), fallback.get("AllowedMethods"));
        assertEquals(CACHING_OPTIMIZED, fallback.get("CachePolicyId"));
        assertEquals(true, fallback.get("Compress"));
        assertEquals("redirect-to-https", fallback.get("ViewerProtocolPolicy"));
        assertEquals(Map.of("Ref", only(template, "AWS::CloudFront::ResponseHeadersPolicy", "EdgeWebHeaders")),
                fallback.get("ResponseHeadersPolicyId"));
        assertEquals(List.of(Map.of("EventType", "viewer-request", "FunctionARN",
                Map.of("Fn::GetAtt", List.of(only(template, "AWS::CloudFront::Function", "EdgeSiteRequest"), "FunctionARN")))),
                fallback.get("FunctionAssociations"));

        List<String> patterns = new ArrayList<>();
        for (Object b : (List<?>) config.get("CacheBehaviors")) {
            Map<?, ?> behavior = (Map<?, ?>) b;
            patterns.add(behavior.get("PathPattern").toString());
            assertEquals(originIds.get("api"), behavior.get("TargetOriginId"), behavior.toString());
            assertEquals(CACHING_DISABLED, behavior.get("CachePolicyId"));
            assertEquals(ALL_VIEWER_EXCEPT_HOST, behavior.get("OriginRequestPolicyId"));
            assertEquals(List.of("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"), behavior.get("AllowedMethods"));
            assertFalse(behavior.containsKey("ResponseHeadersPolicyId"), "the api sets its own headers");
        }
        assertEquals(List.of("/v1/*", "/config.json", "/health", "/openapi.yaml"), patterns);

        // Every public route reaches what serves it: the pages and their files the bucket, the rest the API.
        for (PublicRoute route : GlintResources.PUBLIC_ROUTES) {
            String path = route.path().replace("{file}", "main-Bq3x9Z1a.js");
            Optional<String> matched = patterns.stream().filter(pattern -> matches(pattern, path)).findFirst();
            assertEquals(GlintEdge.WEB_ROUTES.contains(route.path()), matched.isEmpty(), route + " went to " + matched);
        }
        assertTrue(matches(patterns.get(0), "/v1/me/feed") && !matches(patterns.get(0), "/v1"), "every API path under /v1/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void thePagesCarryTheWebPolicysHeadersWithTheStagesOrigins(String stage) {
        Template template = template(stage);
        Map<?, ?> config = (Map<?, ?>) ((Map<?, ?>) Templates.resource(template,
                only(template, "AWS::CloudFront::ResponseHeadersPolicy", "EdgeWebHeaders")).get("Properties")).get("ResponseHeadersPolicyConfig");
        Map<?, ?> security = (Map<?, ?>) config.get("SecurityHeadersConfig");

        String media = Templates.logicalId(template, "AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultCacheBehavior", Match.objectLike(Map.of("TrustedKeyGroups", Match.anyValue()))))));
        String uploads = only(template, "AWS::S3::Bucket", "DataUploadsBucket");
        String socket = only(template, "AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi");
        String region = region(stage);
        String s3Host;
        if (stage.equals("prod")) {
            // Prod's region is known at synth: the presigner's regional host, written out.
            s3Host = "s3." + SynthesizedStages.PROD_REGION + ".{Ref AWS::URLSuffix}";
        } else {
            // Beta's is not: the template chooses, as the presigner does (the global host in us-east-1).
            String condition = ((Map<?, ?>) template.toJSON().get("Conditions")).keySet().stream().map(Object::toString)
                    .filter(id -> id.startsWith("EdgeInUsEast1")).findFirst().orElseThrow();
            assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "AWS::Region"), "us-east-1")),
                    ((Map<?, ?>) template.toJSON().get("Conditions")).get(condition));
            s3Host = "{If " + condition + " s3.amazonaws.com | s3.{Ref AWS::Region}.{Ref AWS::URLSuffix}}";
        }
        WebPolicy expected = new WebPolicy(
                "https://{" + media + ".DomainName}",
                "https://{Ref " + uploads + "}." + s3Host,
                "https://glint-" + stage + "-{Ref AWS::AccountId}.auth." + region + ".amazoncognito.com",
                "wss://{Ref " + socket + "}.execute-api." + region + ".{Ref AWS::URLSuffix}");
        Map<?, ?> csp = (Map<?, ?>) security.get("ContentSecurityPolicy");
        assertEquals(true, csp.get("Override"));
        List<String> directives = Arrays.asList(render(csp.get("ContentSecurityPolicy")).split("; "));
        assertEquals(List.of(
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' https://{" + media + ".DomainName}",
                "connect-src 'self' https://{Ref " + uploads + "}." + s3Host
                        + " https://glint-" + stage + "-{Ref AWS::AccountId}.auth." + region + ".amazoncognito.com"
                        + " wss://{Ref " + socket + "}.execute-api." + region + ".{Ref AWS::URLSuffix}",
                "form-action 'none'",
                "frame-ancestors 'none'",
                "base-uri 'none'"), directives);
        assertEquals(expected.contentSecurityPolicy(), String.join("; ", directives));

        assertEquals(Map.of("AccessControlMaxAgeSec", 63072000, "IncludeSubdomains", true, "Preload", false, "Override", true),
                security.get("StrictTransportSecurity"));
        assertEquals(Map.of("Override", true), security.get("ContentTypeOptions"));
        assertEquals(Map.of("ReferrerPolicy", WebPolicy.REFERRER_POLICY, "Override", true), security.get("ReferrerPolicy"));
        assertEquals(Map.of("FrameOption", "DENY", "Override", true), security.get("FrameOptions"));
        assertEquals(List.of(
                Map.of("Header", "permissions-policy", "Value", WebPolicy.PERMISSIONS_POLICY, "Override", true),
                Map.of("Header", "cross-origin-opener-policy", "Value", WebPolicy.CROSS_ORIGIN_OPENER_POLICY, "Override", true)),
                ((Map<?, ?>) config.get("CustomHeadersConfig")).get("Items"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theSitesFunctionIsTheTestedScript(String stage) {
        template(stage).hasResourceProperties("AWS::CloudFront::Function", Map.of(
                "FunctionCode", GlintEdge.resource(GlintEdge.SITE_REQUEST_FUNCTION),
                "FunctionConfig", Match.objectLike(Map.of("Runtime", "cloudfront-js-2.0")),
                "AutoPublish", true));
    }

    /** The function run by node as CloudFront runs it: handler(event) with the viewer's request. */
    @Test
    void theSitesFunctionMapsThePagesPassesTheHashedFilesAndRefusesTheRest() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/", "/index.html");
        expected.put("/console", "/console.html");
        expected.put("/assets/main-Bq3x9Z1a.js", "/assets/main-Bq3x9Z1a.js");
        expected.put("/assets/main-C0ffee42.css", "/assets/main-C0ffee42.css");
        for (String refused : List.of("/index.html", "/console.html", "/console/", "/assets/", "/assets/a/b.js",
                "/assets/..", "/assets/../index.html", "/assets.txt", "/favicon.ico", "/v2/x", "//")) {
            expected.put(refused, "404");
        }
        String script = GlintEdge.resource(GlintEdge.SITE_REQUEST_FUNCTION)
                + "\nconst uris = JSON.parse(process.argv[1]);"
                + "\nconst out = {};"
                + "\nfor (const uri of uris) {"
                + "\n  const result = handler({ version: '1.0', request: { method: 'GET', uri, querystring: { code: { value: 'c' } }, headers: {}, cookies: {} } });"
                + "\n  out[uri] = result.statusCode ? String(result.statusCode) : result.uri;"
                + "\n  if (!result.statusCode && result.querystring.code.value !== 'c') throw new Error('query string lost');"
                + "\n}"
                + "\nprocess.stdout.write(JSON.stringify(out));";
        ObjectMapper json = new ObjectMapper();
        Process node;
        try {
            node = new ProcessBuilder("node", "-e", script, json.writeValueAsString(List.copyOf(expected.keySet())))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no node on this machine to run the CloudFront Function: " + e.getMessage());
            return;
        }
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), output);
        JsonNode answers = json.readTree(output);
        Map<String, String> actual = new LinkedHashMap<>();
        answers.fields().forEachRemaining(field -> actual.put(field.getKey(), field.getValue().asText()));
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "sandbox-alice", "beta", "prod", "localstack"})
    void theApiTellsThePageHowToSignInAndWhereTheRealtimeSocketIs(String stage) {
        Template template = stage.equals("localstack") ? SynthesizedStages.localStack("dev").template() : template(stage);
        String name = stage.equals("localstack") ? "dev" : stage;
        Map<?, ?> variables = variables(template, GlintResources.API_FUNCTION);
        String client = only(template, "AWS::Cognito::UserPoolClient", "DataUsersWebClient");
        String socket = only(template, "AWS::ApiGatewayV2::Api", "RealtimeWebSocketApi");
        String region = region(stage);
        String signIn = "https://glint-" + name + "-{Ref AWS::AccountId}.auth." + region + ".amazoncognito.com";
        assertEquals(signIn, render(variables.get(GlintResources.ENV_WEB_SIGN_IN_URL)));
        // The URL of the stage's managed login domain: https://<its Domain>.auth.<region>.amazoncognito.com.
        String domain = only(template, "AWS::Cognito::UserPoolDomain", "DataUsersSignInDomain");
        assertEquals(signIn, "https://" + render(((Map<?, ?>) Templates.resource(template, domain).get("Properties")).get("Domain"))
                + ".auth." + region + ".amazoncognito.com");
        assertEquals(Map.of("Ref", client), variables.get(GlintResources.ENV_WEB_CLIENT_ID));
        assertEquals("wss://{Ref " + socket + "}.execute-api." + region + ".{Ref AWS::URLSuffix}/" + GlintRealtime.STAGE,
                render(variables.get(GlintResources.ENV_WEB_REALTIME_URL)));
        assertFalse(variables.containsKey(GlintResources.ENV_WEB_DEV_SIGN_IN), "a deployed stage offers no dev sign-in");
        for (var spec : GlintResources.FUNCTIONS) {
            if (!spec.equals(GlintResources.API_FUNCTION)) {
                Map<?, ?> other = variables(template, spec);
                assertTrue(Stream.of(GlintResources.ENV_WEB_SIGN_IN_URL, GlintResources.ENV_WEB_CLIENT_ID,
                        GlintResources.ENV_WEB_REALTIME_URL).noneMatch(other::containsKey), spec.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theSitesUrlIsAnOutputToNameAsTheSignInCallback(String stage) {
        Template template = template(stage);
        template.hasOutput("SiteUrl", Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
                "https://", Map.of("Fn::GetAtt", List.of(site(template), "DomainName")), "/")))));
        assertTrue(template.findOutputs("EdgeApiUrl").isEmpty(), "the site replaced the API's own distribution");
    }

    @Test
    void signInReturnsToTheSitesRootAndToItsCustomDomainWhenItHasOneAndTheSiteMayUpload() {
        StageSettings beta = SynthesizedStages.settings("beta");
        for (String callback : List.of("https://beta.glint.photos", "https://beta.glint.photos/callback", "https://beta.glint.photos/?x=1")) {
            var error = assertThrows(IllegalArgumentException.class, () -> beta.withSignIn(new StageSettings.SignIn(
                    List.of(callback), List.of(SynthesizedStages.BETA_WEB), Optional.empty(), Optional.empty())).checkedSignIn());
            assertTrue(error.getMessage().contains("https://<host>/") && error.getMessage().contains("SiteUrl")
                    && error.getMessage().contains(callback), error.getMessage());
        }
        String certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000";
        StageSettings withDomain = beta.withEdge(new StageSettings.Edge(Optional.of("www.glint.photos"), Optional.of(certificate),
                Optional.empty(), Optional.of(SynthesizedStages.mediaKey())));
        var error = assertThrows(IllegalArgumentException.class, withDomain::checkedSignIn);
        assertTrue(error.getMessage().contains("-c callbackUrls=https://www.glint.photos/"), error.getMessage());
        // Both the custom domain and the distribution's own name may be listed, each a web origin (uploads' CORS).
        StageSettings.SignIn both = new StageSettings.SignIn(List.of("https://www.glint.photos/", "https://d111111abcdef8.cloudfront.net/"),
                List.of("https://www.glint.photos/"), Optional.empty(), Optional.empty());
        var cors = assertThrows(IllegalArgumentException.class, () -> withDomain.withSignIn(both)
                .withWebOrigins(List.of("https://www.glint.photos")).checkedSignIn());
        assertTrue(cors.getMessage().contains("-c webOrigins=https://d111111abcdef8.cloudfront.net"), cors.getMessage());
        withDomain.withSignIn(both).withWebOrigins(List.of("https://www.glint.photos", "https://d111111abcdef8.cloudfront.net"))
                .checkedSignIn();
    }

    @Test
    void withoutWebOriginsFromTheContextBetaAndProdAllowTheirCallbackSites() {
        StageSettings beta = GlintApp.settings(new App(AppProps.builder().context(Map.of("stage", "beta",
                "callbackUrls", "https://beta.glint.photos/,https://d111111abcdef8.cloudfront.net/",
                "logoutUrls", "https://beta.glint.photos/")).build()).getNode());
        assertEquals(List.of("https://beta.glint.photos", "https://d111111abcdef8.cloudfront.net"), beta.webOrigins());
        beta.checkedSignIn();
        StageSettings given = GlintApp.settings(new App(AppProps.builder().context(Map.of("stage", "beta",
                "callbackUrls", "https://beta.glint.photos/", "logoutUrls", "https://beta.glint.photos/",
                "webOrigins", "https://other.glint.photos")).build()).getNode());
        assertEquals(List.of("https://other.glint.photos"), given.webOrigins());
        assertThrows(IllegalArgumentException.class, given::checkedSignIn);
        // Dev's pages run on localhost, whatever its callback URLs.
        StageSettings dev = GlintApp.settings(new App(AppProps.builder().context(Map.of("stage", "dev",
                "callbackUrls", "https://dev.glint.photos/")).build()).getNode());
        assertEquals(StageSettings.forStage("dev").webOrigins(), dev.webOrigins());
    }

    @Test
    void aSynthWithoutTheWebClientBuildNamesItAndTheBuildCommand(@TempDir Path empty) {
        App app = new App(AppProps.builder().context(SynthesizedStages.cdkJsonContext()).build());
        var error = assertThrows(IllegalStateException.class, () -> GlintApp.build(app, SynthesizedStages.settings("beta"),
                FunctionCode.same(SynthesizedStages.placeholder(), empty)));
        assertTrue(error.getMessage().contains(empty.resolve("index.html").toString())
                && error.getMessage().contains(empty.resolve("assets").toString())
                && error.getMessage().contains("./mvnw -DskipTests package"), error.getMessage());
    }


    /**
     * CloudFormation refuses a template whose resources depend on each other in a circle; CDK does not look.
     * The api's environment names the WebSocket API and the web client, the pages' policy names the media
     * distribution, the buckets, the sign-in domain and the socket: none of them may lead back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "localstack"})
    void noStageHasADependencyCycle(String stage) {
        Template template = stage.equals("localstack") ? SynthesizedStages.localStack("dev").template() : template(stage);
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, java.util.Set<String>> edges = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            java.util.Set<String> targets = new java.util.TreeSet<>();
            references(resource, targets);
            targets.retainAll(resources.keySet());
            edges.put(id, targets);
        });
        Map<String, Integer> state = new LinkedHashMap<>();
        for (String id : edges.keySet()) {
            List<String> cycle = cycleFrom(id, edges, state, new ArrayList<>());
            assertEquals(List.of(), cycle, "a dependency cycle in " + stage);
        }
    }

    /** Depth first: 1 on the path, 2 done; the path from where it closes when a cycle is found. */
    private static List<String> cycleFrom(String id, Map<String, java.util.Set<String>> edges, Map<String, Integer> state,
                                          List<String> path) {
        Integer seen = state.get(id);
        if (seen != null) {
            return seen == 1 ? new ArrayList<>(path.subList(path.indexOf(id), path.size())) : List.of();
        }
        state.put(id, 1);
        path.add(id);
        for (String next : edges.get(id)) {
            List<String> cycle = cycleFrom(next, edges, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
        return List.of();
    }

    /** Every logical id a value names: Ref, Fn::GetAtt, ${...} of Fn::Sub, DependsOn. */
    private static void references(Object value, java.util.Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> {
                switch (key.toString()) {
                    case "Ref" -> out.add(inner.toString());
                    case "Fn::GetAtt" -> out.add(((List<?>) inner).get(0).toString());
                    case "DependsOn" -> Templates.list(inner).forEach(d -> out.add(d.toString()));
                    case "Fn::Sub" -> {
                        String text = inner instanceof List<?> list ? list.get(0).toString() : inner.toString();
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)").matcher(text);
                        while (m.find()) {
                            out.add(m.group(1));
                        }
                    }
                    default -> { }
                }
                references(inner, out);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(item -> references(item, out));
        }
    }

    // ---- helpers ----

    /** How the stage's region appears in its template: written out where it is known at synth (prod in these tests). */
    private static String region(String stage) {
        return stage.equals("prod") ? SynthesizedStages.PROD_REGION : "{Ref AWS::Region}";
    }

    /**
     * A template value as text, with CloudFormation's functions written out: {@code {Ref X}},
     * {@code {X.Attribute}}, {@code {If condition a | b}}; joins joined.
     */
    static String render(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        Map<?, ?> function = (Map<?, ?>) value;
        assertEquals(1, function.size(), String.valueOf(value));
        var entry = function.entrySet().iterator().next();
        List<?> arguments = entry.getValue() instanceof List<?> list ? list : List.of();
        return switch (entry.getKey().toString()) {
            case "Ref" -> "{Ref " + entry.getValue() + "}";
            case "Fn::GetAtt" -> "{" + arguments.get(0) + "." + arguments.get(1) + "}";
            case "Fn::Join" -> ((List<?>) arguments.get(1)).stream().map(SiteTest::render)
                    .collect(Collectors.joining(arguments.get(0).toString()));
            case "Fn::Select" -> "{Select " + arguments.get(0) + " " + render(arguments.get(1)) + "}";
            case "Fn::Split" -> "{Split " + arguments.get(0) + " " + render(arguments.get(1)) + "}";
            case "Fn::If" -> "{If " + arguments.get(0) + " " + render(arguments.get(1)) + " | " + render(arguments.get(2)) + "}";
            default -> throw new AssertionError("cannot render " + value);
        };
    }

    /** CloudFront's path patterns: {@code *} matches any characters, {@code ?} one; case-sensitive. */
    private static boolean matches(String pattern, String path) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> java.util.regex.Pattern.quote(String.valueOf(c));
            });
        }
        return path.matches(regex.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> distributionConfig(Template template, String distribution) {
        return (Map<String, Object>) ((Map<String, Object>) Templates.resource(template, distribution).get("Properties")).get("DistributionConfig");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> bucketPolicyStatements(Template template, String bucket) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::S3::BucketPolicy", Map.of("Properties", Match.objectLike(Map.of("Bucket", Map.of("Ref", bucket)))))
                .values().forEach(policy -> statements.addAll((List<Map<String, Object>>) ((Map<String, Object>)
                        ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument")).get("Statement")));
        return statements;
    }

    private static Map<?, ?> variables(Template template, GlintResources.FunctionSpec spec) {
        Map<?, ?> properties = (Map<?, ?>) Templates.resource(template, Templates.functionId(template, spec)).get("Properties");
        return (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
    }

    /** The files of the asset a bucket deployment uploads, as the synth staged them. */
    private static List<String> stagedFiles(String stage, Template template, String deployment) throws IOException {
        Map<?, ?> properties = (Map<?, ?>) Templates.resource(template, deployment).get("Properties");
        String key = ((List<?>) properties.get("SourceObjectKeys")).get(0).toString();
        String hash = key.substring(0, key.length() - ".zip".length());
        Stage root = (Stage) SynthesizedStages.stage(stage).stack().getNode().getRoot();
        CloudAssembly assembly = root.synth();
        try (Stream<Path> found = Files.walk(Path.of(assembly.getDirectory()))) {
            Path staged = found.filter(path -> path.getFileName().toString().equals("asset." + hash) && Files.isDirectory(path))
                    .findFirst().orElseThrow(() -> new AssertionError("asset." + hash + " is not staged in " + assembly.getDirectory()));
            try (Stream<Path> files = Files.walk(staged)) {
                return files.filter(Files::isRegularFile).map(path -> staged.relativize(path).toString()).sorted().toList();
            }
        }
    }
}
