package dev.glint.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.lambda.VersionMetrics;
import dev.glint.shared.account.AccountDeletion;
import dev.glint.shared.experiments.RequestGuardrails;
import dev.glint.shared.social.SocialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code api} function: every HTTP route of the HTTP API (payload format 2.0). It decodes the
 * event, dispatches one route, and maps the result or the error back; routes never see Lambda types.
 * The routes come in groups, one per feature, over the use cases of an {@link ApiComposition}.
 *
 * <p>Every response carries {@code x-request-id} (API Gateway's request id, also in every log
 * line), {@code x-glint-version} (the function version that served it) and
 * {@code x-content-type-options: nosniff}.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** The log field Powertools gives the correlation id. */
    static final String CORRELATION_ID = "correlation_id";
    private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST", "PATCH", "DELETE");

    private final Router router = new Router();
    private final RateLimiter writeLimiter;
    private final RateLimiter readLimiter;
    private final AccountDeletion accountDeletion;
    private final VersionMetrics metrics = new VersionMetrics();
    private final Idempotency idempotency;
    private final RequestGuardrails guardrails;

    /** Used by Lambda: configuration and clients from the environment. */
    public ApiHandler() {
        this(ApiComposition.fromEnvironment());
    }

    /** The routes over a composition's use cases (the local stack's, or a test's). */
    public ApiHandler(ApiComposition composition) {
        this.writeLimiter = composition.writeLimiter();
        this.readLimiter = composition.readLimiter();
        this.accountDeletion = composition.accountDeletion();
        this.idempotency = new Idempotency(composition.idempotency(), java.time.Clock.systemUTC());
        this.guardrails = composition.guardrails();
        Views views = new Views(composition.profiles(), composition.mediaUrls(),
                (viewer, postIds, consistent) -> composition.engagement().likedBy(viewer, postIds, consistent));
        RouteSupport support = new RouteSupport(composition.cursors());
        List.of(new PublicRoutes(composition.probes(), composition.webOrigins(), composition.web()),
                new ProfileRoutes(composition.accounts(), composition.follows(), composition.publishing(), views, support,
                        composition.safety(), composition.privacy(), composition.accountDeletion()::erased),
                new PrivacyRoutes(composition.privacy(), views, support),
                new SearchRoutes(composition.accounts(), support, composition.safety()),
                new PostRoutes(composition.publishing(), views),
                new EngagementRoutes(composition.engagement(), views, support),
                new FeedRoutes(composition.feeds(), views, support),
                new NotificationRoutes(composition.accounts(), composition.notifications(), composition.tags(), views, support,
                        composition.safety(), composition.exports()),
                new SafetyRoutes(composition.safety(), views, support),
                new ReportRoutes(composition.reports()),
                new ModerationRoutes(composition.moderation(), views, support),
                new ExperimentRoutes(composition.experiments(), composition.experimentAdmin(), composition.profiles()),
                new DigestRoutes(composition.digests()),
                new AccountRoutes(composition.accountDeletion()),
                new ExportRoutes(composition.exports()))
                .forEach(group -> group.register(router));
    }

    /** The routes this handler serves, as {@code "METHOD /pattern"}. */
    public List<String> routeKeys() {
        return router.routeKeys();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        // The correlation id (API Gateway's request id) is read here rather than through Powertools'
        // CorrelationIdPaths: its JMESPath engine loads ~280 classes into every cold start for one field.
        return PowertoolsLogging.withLogging(context, () -> {
            MDC.put(CORRELATION_ID, requestId(event));
            long started = System.nanoTime();
            try {
                APIGatewayV2HTTPResponse response = handle(event, context == null ? null : context.getFunctionVersion());
                double millis = (System.nanoTime() - started) / 1e6;
                // This version's own 5xx answers and latency: what its canary's rollback alarms watch.
                metrics.request(context, response.getStatusCode(), millis);
                // And the caller's experiment variants': what the experiments' guardrails watch. A flush
                // that is due happens after this request is measured, so it is not counted in it.
                guardrails.record(subjectOf(event), response.getStatusCode(), millis);
                guardrails.flushIfDue();
                return response;
            } finally {
                MDC.remove(CORRELATION_ID);
            }
        });
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, String functionVersion) {
        String requestId = requestId(event);
        HttpResponse response;
        HttpRequest request = null;
        try {
            request = toRequest(event, requestId);
            limit(request);
            HttpRequest read = request;
            response = idempotency.apply(read, () -> answer(read, requestId));
        } catch (RuntimeException e) {
            response = mapped(e, requestId);
        }
        if (request != null) {
            response = HttpCaching.apply(request, response);
            if ("HEAD".equals(request.method())) {
                // The GET's status and headers (its ETag included), no body.
                response = new HttpResponse(response.status(), response.headers(), "");
            }
        }
        // nosniff on every answer, errors and 304 included: a browser never reads a body as another type.
        response = response.withHeader("x-request-id", requestId)
                .withHeader("x-glint-version", functionVersion == null ? "unknown" : functionVersion)
                .withHeader("x-content-type-options", "nosniff");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /** The route's answer, an error included. */
    private HttpResponse answer(HttpRequest request, String requestId) {
        try {
            return router.dispatch(request);
        } catch (RuntimeException e) {
            return mapped(e, requestId);
        }
    }

    /** The answer to a failure: the use case's or the API's own error, else a 500 that names the request. */
    private static HttpResponse mapped(RuntimeException failure, String requestId) {
        try {
            throw failure;
        } catch (SocialException e) {
            HttpResponse response = HttpResponse.json(switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
                case LIMITED -> 429;
                case UNSUPPORTED_MEDIA -> 415;
            }, errorBody(e.code(), e.getMessage()));
            return e.kind() == SocialException.Kind.LIMITED
                    ? response.withHeader("retry-after", Long.toString(e.retryAfterSeconds())) : response;
        } catch (RateLimited e) {
            return error(e).withHeader("retry-after", Long.toString(e.retryAfterSeconds()));
        } catch (Idempotency.InProgress e) {
            return error(e).withHeader("retry-after", "1");
        } catch (Router.MethodNotAllowed e) {
            return error(e).withHeader("allow", e.allow());
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException e) {
            LOG.error("unhandled error serving request {}", requestId, e);
            return HttpResponse.json(500, errorBody("internal",
                    "Something went wrong on our side. Quote request id " + requestId + " if you report it."));
        }
    }

    /**
     * Takes a token from the caller's write or read bucket before the request reaches a use case, so
     * a refused request reads and changes nothing. Anonymous requests carry no user to limit: the
     * authorizer refuses them on every route but the public ones, and the API's stage throttle bounds them.
     */
    private void limit(HttpRequest request) {
        String sub = request.claims().get("sub");
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            return;
        }
        boolean write = WRITE_METHODS.contains(request.method());
        (write ? writeLimiter : readLimiter).acquire(sub).ifPresent(seconds -> {
            throw new RateLimited(write ? "writes" : "reads", seconds);
        });
        // A deleted account's token changes nothing (one strongly consistent read a write); asking again to
        // delete it answers as the first time did.
        if (write && !(request.method().equals("DELETE") && request.path().equals("/v1/me"))
                && accountDeletion.erased(sub)) {
            throw new ApiException(401, "account_deleted",
                    "This account was deleted and its data is being erased: sign in with another account.");
        }
    }

    /** The caller's token subject, as the authorizer passed it; null for an anonymous request. */
    private static String subjectOf(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        var authorizer = context == null ? null : context.getAuthorizer();
        if (authorizer == null || authorizer.getJwt() == null || authorizer.getJwt().getClaims() == null) {
            return null;
        }
        String sub = authorizer.getJwt().getClaims().get("sub");
        return sub == null || sub.length() > 128 ? null : sub;
    }

    /** 429: the caller's writes or reads exceed their rate; {@code Retry-After} says when the next one may go. */
    static final class RateLimited extends ApiException {
        private final long retryAfterSeconds;

        RateLimited(String what, long retryAfterSeconds) {
            super(429, "rate_limited", "Too many " + what + ": slow down and retry after " + retryAfterSeconds
                    + " second" + (retryAfterSeconds == 1 ? "" : "s") + ".");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private static HttpResponse error(ApiException e) {
        return HttpResponse.json(e.status(), errorBody(e.code(), e.getMessage()));
    }

    /** {@code {"error":{"code":"...","message":"..."}}}. */
    record ErrorView(Error error) {
        record Error(String code, String message) {
        }
    }

    static ErrorView errorBody(String code, String message) {
        return new ErrorView(new ErrorView.Error(code, message));
    }

    private static String requestId(APIGatewayV2HTTPEvent event) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return "none";
    }

    private static HttpRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                || event.getRawPath() == null) {
            throw new ApiException(400, "bad_request", "The request could not be read.");
        }
        byte[] body;
        if (event.getBody() == null) {
            body = new byte[0];
        } else if (event.getIsBase64Encoded()) {
            try {
                body = Base64.getDecoder().decode(event.getBody());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad_request", "The request body is not valid base64.");
            }
        } else {
            body = event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> claims = Map.of();
        var authorizer = event.getRequestContext().getAuthorizer();
        if (authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            claims = Map.copyOf(authorizer.getJwt().getClaims());
        }
        return new HttpRequest(
                event.getRequestContext().getHttp().getMethod(),
                event.getRawPath(),
                Map.of(),
                event.getQueryStringParameters() == null ? Map.of() : Map.copyOf(event.getQueryStringParameters()),
                event.getHeaders() == null ? Map.of() : Map.copyOf(event.getHeaders()),
                body,
                claims,
                requestId);
    }
}
