package dev.glint.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What differs between stages: how traffic shifts, how hard the API is throttled, how long logs
 * and data are kept, which web origins may call, and where alarms go. Everything else is the same
 * in every stage, so what beta proves is what prod runs.
 *
 * @param name               the stage name; also the CDK Stage id, so stack names are {@code <name>-Glint}
 * @param canary             shift 10 % of traffic for 5 minutes before the rest; otherwise all at once
 * @param apiRateLimit       steady requests per second across the live API's routes
 * @param apiBurstLimit      burst allowance of the live API
 * @param logRetention       how long function and access logs are kept
 * @param retainData         keep the table, buckets and user pool when the stack is deleted
 * @param terminationProtection refuse {@code cdk destroy} of the whole stack
 * @param webOrigins         origins of the web client (CORS on the API and the buckets)
 * @param api5xxRatePercent  the share of 5xx answers that stops a deployment and rolls it back
 * @param alarmEmail         optional address subscribed to the stage's alarm topic
 * @param localStackEndpoint set for the LocalStack target: functions talk to this endpoint, and
 *                           CodeDeploy (which LocalStack does not run) is left out
 * @param apiReservedConcurrency concurrency reserved for (and capping) the api function; 0 for none
 * @param signIn             the app clients' callback and sign-out URLs, and the pool's mail sender
 * @param edge               CloudFront and WAF in front of the site (web client and API) and the media (beta and prod)
 * @param digests            the email digests' sender identity and the app URL their links lead to
 */
public record StageSettings(String name,
                            boolean canary,
                            int apiRateLimit,
                            int apiBurstLimit,
                            RetentionDays logRetention,
                            boolean retainData,
                            boolean terminationProtection,
                            List<String> webOrigins,
                            double api5xxRatePercent,
                            Optional<String> alarmEmail,
                            Optional<String> localStackEndpoint,
                            int apiReservedConcurrency,
                            SignIn signIn,
                            Edge edge,
                            Digests digests) {

    /** The shared stages; any other stage is a personal sandbox. */
    public static final List<String> SHARED_STAGES = List.of("dev", "beta", "prod");

    private static final Pattern SANDBOX = Pattern.compile("sandbox-[a-z0-9]{1,20}");
    /** The web client served by {@code ./glint up} and by a local dev server. */
    private static final List<String> LOCAL_ORIGINS = List.of("http://localhost:8080", "http://localhost:5173");
    /** Where the hosted sign-in returns in dev and sandboxes when the context names nothing else. */
    private static final List<String> LOCAL_SIGN_IN = List.of("http://localhost:8080/", "http://localhost:5173/");

    public StageSettings {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("stage must be dev, beta, prod or sandbox-<name> (a-z, 0-9, at most 20), not '"
                    + name + "'");
        }
        webOrigins = List.copyOf(webOrigins);
        if (webOrigins.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + " needs at least one web origin");
        }
        if (apiReservedConcurrency < 0) {
            throw new IllegalArgumentException("reserved concurrency cannot be negative");
        }
    }

    /**
     * Where the hosted sign-in sends users back, and who sends the pool's mail.
     *
     * @param callbackUrls after sign-in (authorization code flow); from {@code -c callbackUrls=}
     * @param logoutUrls   after sign-out; from {@code -c logoutUrls=}
     * @param sesFromEmail the verified SES address the pool sends from ({@code -c sesFromEmail=}); prod needs one
     * @param sesRegion    the SES region of that identity ({@code -c sesRegion=}, else the deploy region)
     */
    public record SignIn(List<String> callbackUrls, List<String> logoutUrls, Optional<String> sesFromEmail,
                         Optional<String> sesRegion) {
        public SignIn {
            callbackUrls = List.copyOf(callbackUrls);
            logoutUrls = List.copyOf(logoutUrls);
        }

        static SignIn none() {
            return new SignIn(List.of(), List.of(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * The edge of beta and prod.
     *
     * @param domainName     optional custom domain of the site distribution ({@code -c domainName=}); the
     *                       callback URLs must then name {@code https://<domainName>/}
     * @param certificateArn its ACM certificate, which CloudFront requires in us-east-1 ({@code -c certificateArn=})
     * @param region         the region the stage deploys to, when known ({@code -c region=}, else
     *                       {@code CDK_DEFAULT_REGION}): a CLOUDFRONT-scoped WAF web ACL exists in
     *                       us-east-1 only, so outside it the ACL gets a us-east-1 stack of its own
     * @param mediaPublicKey the PEM public key CloudFront checks media URLs' signatures with
     *                       ({@code -c mediaPublicKey=}); beta and prod need one
     */
    public record Edge(Optional<String> domainName, Optional<String> certificateArn, Optional<String> region,
                       Optional<String> mediaPublicKey) {
        public Edge {
            if (domainName.isPresent() != certificateArn.isPresent()) {
                throw new IllegalArgumentException("a custom domain needs both -c domainName= and -c certificateArn= "
                        + "(an ACM certificate in us-east-1 that covers the name)");
            }
            certificateArn.ifPresent(arn -> {
                if (!arn.startsWith("arn:aws:acm:us-east-1:")) {
                    throw new IllegalArgumentException("CloudFront only uses ACM certificates of us-east-1, not " + arn);
                }
            });
        }

        static Edge none() {
            return new Edge(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * Email digests ({@code -c digestFromEmail=}, {@code -c appUrl=}; beta and prod need both, real).
     *
     * @param fromEmail the SES identity's address digests are sent from; the fan-out worker may send as it only
     * @param appUrl    where users reach the app and its API: digest links and unsubscribe links start with it
     */
    public record Digests(Optional<String> fromEmail, Optional<String> appUrl) {
        /** What dev and sandboxes use when the context says nothing: placeholders nobody receives mail from. */
        static final String DEFAULT_FROM = "digest@glint.example";
        static final String DEFAULT_APP_URL = "https://dev.glint.example";

        public static Digests none() {
            return new Digests(Optional.empty(), Optional.empty());
        }
    }

    /** The defaults of a stage: {@code dev}, {@code beta}, {@code prod} or {@code sandbox-<name>}. */
    public static StageSettings forStage(String name) {
        return switch (name) {
            // Reserved api concurrency: the stage's request rate times a generous 0.4 s per request.
            case "prod" -> new StageSettings(name, true, 500, 1000, RetentionDays.THREE_MONTHS, true, true,
                    List.of("https://glint.example"), 1.0, Optional.empty(), Optional.empty(), 200,
                    SignIn.none(), Edge.none(), Digests.none());
            case "beta" -> new StageSettings(name, true, 50, 100, RetentionDays.ONE_MONTH, true, false,
                    List.of("https://beta.glint.example"), 5.0, Optional.empty(), Optional.empty(), 20,
                    SignIn.none(), Edge.none(), Digests.none());
            // dev and sandboxes: change fast, keep little, clean up completely on destroy. No reserved
            // concurrency: new accounts start with a concurrency quota too small to reserve from.
            default -> new StageSettings(name, false, 25, 50, RetentionDays.ONE_WEEK, false, false,
                    LOCAL_ORIGINS, 5.0, Optional.empty(), Optional.empty(), 0,
                    new SignIn(LOCAL_SIGN_IN, LOCAL_SIGN_IN, Optional.empty(), Optional.empty()), Edge.none(), Digests.none());
        };
    }

    public static boolean isValidName(String name) {
        return name != null && (SHARED_STAGES.contains(name) || SANDBOX.matcher(name).matches());
    }

    /** {@code sandbox} alone means the caller's own sandbox: {@code sandbox-<user name>}. */
    public static String sandboxFor(String userName) {
        String cleaned = userName == null ? "" : userName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException("cannot derive a sandbox name from user '" + userName + "'; pass -c stage=sandbox-<name>");
        }
        return "sandbox-" + cleaned.substring(0, Math.min(20, cleaned.length()));
    }

    public StageSettings withWebOrigins(List<String> origins) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, origins, api5xxRatePercent, alarmEmail, localStackEndpoint,
                apiReservedConcurrency, signIn, edge, digests);
    }

    /**
     * Beta and prod: the sites of the callback URLs ({@code https://<host>/}) as the web origins, when there are
     * any; other stages keep theirs (their pages run on localhost).
     */
    public StageSettings withCallbackSitesAsWebOrigins() {
        List<String> sites = signIn.callbackUrls().stream().filter(url -> SITE_URL.matcher(url).matches())
                .map(url -> url.substring(0, url.length() - 1)).distinct().toList();
        return isShared() && !sites.isEmpty() ? withWebOrigins(sites) : this;
    }

    public StageSettings withAlarmEmail(String email) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, Optional.of(email), localStackEndpoint,
                apiReservedConcurrency, signIn, edge, digests);
    }

    /** The same stage, built for LocalStack: functions use {@code endpoint}, no CodeDeploy. */
    public StageSettings forLocalStack(String endpoint) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, alarmEmail, Optional.of(endpoint),
                apiReservedConcurrency, signIn, edge, digests);
    }

    public StageSettings withSignIn(SignIn value) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, alarmEmail, localStackEndpoint,
                apiReservedConcurrency, value, edge, digests);
    }

    public StageSettings withEdge(Edge value) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, alarmEmail, localStackEndpoint,
                apiReservedConcurrency, signIn, value, digests);
    }

    public StageSettings withDigests(Digests value) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, alarmEmail, localStackEndpoint,
                apiReservedConcurrency, signIn, edge, value);
    }

    /** dev and sandboxes may use local defaults; beta and prod must be told their real addresses. */
    public boolean isShared() {
        return name.equals("beta") || name.equals("prod");
    }

    /**
     * The sign-in URLs, checked: beta and prod need real https URLs from the context, never a
     * placeholder; prod also needs its SES sender.
     *
     * @throws IllegalArgumentException naming the context keys to pass
     */
    public SignIn checkedSignIn() {
        if (isShared()) {
            List<String> problems = new java.util.ArrayList<>();
            if (signIn.callbackUrls().isEmpty()) {
                problems.add("-c callbackUrls=https://<web client>/ (comma-separated; where sign-in returns)");
            }
            if (signIn.logoutUrls().isEmpty()) {
                problems.add("-c logoutUrls=https://<web client>/ (comma-separated; where sign-out returns)");
            }
            for (String url : concat(signIn.callbackUrls(), signIn.logoutUrls())) {
                if (!url.startsWith("https://") || PLACEHOLDER_HOST.matcher(url).find()) {
                    problems.add("a real https URL instead of the placeholder or local URL " + url);
                }
            }
            // The web page finishes the sign-in (?code=&state=) at its root: a callback is a site's URL.
            for (String url : signIn.callbackUrls()) {
                if (!SITE_URL.matcher(url).matches()) {
                    problems.add("the site's URL, https://<host>/ (the page finishes sign-in at /; after the first deploy "
                            + "the output SiteUrl), instead of the callback URL " + url);
                }
            }
            edge.domainName().map(domain -> "https://" + domain + "/").filter(site -> !signIn.callbackUrls().contains(site))
                    .ifPresent(site -> problems.add("-c callbackUrls=" + site + " (the site's custom domain, where its page signs in)"));
            // The page on that site PUTs photos straight to the uploads bucket, whose CORS names the web origins.
            for (String url : signIn.callbackUrls()) {
                String origin = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                if (SITE_URL.matcher(url).matches() && !webOrigins.contains(origin)) {
                    problems.add("-c webOrigins=" + origin + ",... (the site of the callback URL " + url
                            + ": its page uploads photos to the bucket, whose CORS allows the web origins only)");
                }
            }
            if (name.equals("prod") && signIn.sesFromEmail().isEmpty()) {
                problems.add("-c sesFromEmail=no-reply@<verified domain> (prod mails through SES)");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("stage " + name + " cannot be built without its sign-in settings; pass "
                        + String.join("; ", problems));
            }
        }
        return signIn;
    }

    /**
     * The digests' sender and app URL, checked: beta and prod need a real sender address and https app
     * URL from the context, never a placeholder; dev and sandboxes fall back to placeholders.
     *
     * @throws IllegalArgumentException naming the context keys to pass
     */
    public Digests checkedDigests() {
        String from = digests.fromEmail().orElse(Digests.DEFAULT_FROM);
        String app = digests.appUrl().orElse(Digests.DEFAULT_APP_URL);
        List<String> problems = new java.util.ArrayList<>();
        if (!from.matches("[^@\\s]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
            problems.add("-c digestFromEmail=<an address> (not " + from + ")");
        }
        if (!app.matches("https?://[^/\\s]+/?")) {
            problems.add("-c appUrl=https://<host> (an origin, not " + app + ")");
        }
        if (isShared()) {
            if (digests.fromEmail().isEmpty() || PLACEHOLDER_HOST.matcher("mailto://" + from.substring(from.indexOf('@') + 1)).find()) {
                problems.add("-c digestFromEmail=digest@<verified SES domain> (the digests' sender; not a placeholder)");
            }
            if (digests.appUrl().isEmpty() || !app.startsWith("https://") || PLACEHOLDER_HOST.matcher(app).find()) {
                problems.add("-c appUrl=https://<the app's host> (digest and unsubscribe links; not a placeholder)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + " cannot be built without its digest settings; pass "
                    + String.join("; ", problems));
        }
        String origin = app.endsWith("/") ? app.substring(0, app.length() - 1) : app;
        return new Digests(Optional.of(from), Optional.of(origin));
    }

    /** Threat protection: enforced in prod, audited in beta, off elsewhere (the Plus plan is priced per user). */
    public Optional<software.amazon.awscdk.services.cognito.StandardThreatProtectionMode> threatProtection() {
        return switch (name) {
            case "prod" -> Optional.of(software.amazon.awscdk.services.cognito.StandardThreatProtectionMode.FULL_FUNCTION);
            case "beta" -> Optional.of(software.amazon.awscdk.services.cognito.StandardThreatProtectionMode.AUDIT_ONLY);
            default -> Optional.empty();
        };
    }

    /** CloudFront and WAF in front of the API and the media: beta and prod. */
    public boolean hasEdge() {
        return isShared() && !isLocalStack();
    }

    /** The one region where AWS creates CLOUDFRONT-scoped web ACLs. */
    public static final String EDGE_REGION = "us-east-1";

    /**
     * The edge settings, checked: beta and prod need the media signing key.
     *
     * @throws IllegalArgumentException naming what to change
     */
    public Edge checkedEdge() {
        if (hasEdge()) {
            if (edge.mediaPublicKey().isEmpty()) {
                throw new IllegalArgumentException("stage " + name + " needs -c mediaPublicKey=<PEM public key, or a file "
                        + "holding it>: CloudFront checks the signature of every media URL with it");
            }
        }
        return edge;
    }

    /** Requests from one IP in 5 minutes before the WAF blocks it: ten times the per-user write burst a second. */
    public int wafRequestsPerIpPer5Minutes() {
        return name.equals("prod") ? 3000 : 1000;
    }

    /** A site's URL: an https origin and the root path, nothing after it. */
    private static final Pattern SITE_URL = Pattern.compile("https://[^/?#\\s]+/");
    private static final Pattern PLACEHOLDER_HOST = Pattern.compile("^[a-z]+://([^/]*\\.)?(example\\.(com|org|net)|[^/]*\\.example|localhost|127\\.0\\.0\\.1)([:/]|$)");

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public boolean isLocalStack() {
        return localStackEndpoint.isPresent();
    }

    public ILambdaDeploymentConfig deploymentConfig() {
        return canary ? LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES : LambdaDeploymentConfig.ALL_AT_ONCE;
    }

    public RemovalPolicy dataRemovalPolicy() {
        return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    /** Preview is for trying a version by hand, not for load: a small fraction of the live limits. */
    public int previewRateLimit() {
        return Math.max(5, apiRateLimit / 10);
    }

    public int previewBurstLimit() {
        return Math.max(10, apiBurstLimit / 10);
    }
}
