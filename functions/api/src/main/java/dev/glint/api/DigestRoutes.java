package dev.glint.api;

import dev.glint.shared.digest.DigestFrequency;
import dev.glint.shared.digest.DigestMail;
import dev.glint.shared.digest.DigestPreference;
import dev.glint.shared.digest.DigestPreferences;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;

/**
 * Email digests: my preference ({@code GET}/{@code PUT /v1/me/preferences}), and the unsubscribe link
 * of every digest, which works without sign-in ({@code GET} shows a page with one button, {@code POST}
 * is the RFC 8058 one-click unsubscribe, and the button's post).
 */
final class DigestRoutes implements RouteGroup {

    static final String UNSUBSCRIBE = "/v1/unsubscribe";

    private final DigestPreferences preferences;

    DigestRoutes(DigestPreferences preferences) {
        this.preferences = preferences;
    }

    /** My digest settings as the API shows them. */
    record PreferencesView(String emailDigest, String email) {
        static PreferencesView of(DigestPreference preference) {
            return new PreferencesView(preference.frequency().wire(), preference.email().orElse(null));
        }
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/me/preferences", r -> HttpResponse.json(200, PreferencesView.of(preferences.get(caller(r)))))
                .add("PUT", "/v1/me/preferences", this::put)
                .add("GET", UNSUBSCRIBE, this::confirmPage)
                .add("POST", UNSUBSCRIBE, this::unsubscribe);
    }

    private HttpResponse put(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("emailDigest"));
        String raw = body.requiredString("emailDigest");
        DigestFrequency frequency = DigestFrequency.parse(raw).orElseThrow(() -> new ApiException(400, "invalid_email_digest",
                "emailDigest must be daily, weekly or off."));
        DigestPreference saved = preferences.set(caller, frequency, DigestPreferences.VerifiedEmail.of(
                request.claims().get("email"), request.claims().get("email_verified")));
        return HttpResponse.json(200, PreferencesView.of(saved));
    }

    private HttpResponse confirmPage(HttpRequest request) {
        String token = request.query().get("token");
        DigestPreferences.Unsubscribed checked = preferences.check(token);
        if (!(checked instanceof DigestPreferences.Done)) {
            return refused(request, checked);
        }
        // The form posts back to this very URL (token included): the one thing the page's CSP lets it do.
        return page(request, 200, "Unsubscribe from Glint digests",
                "<p>Stop getting Glint email digests? You can turn them on again in the app.</p>\n"
                        + "<form method=\"post\" action=\"" + DigestMail.escape(UNSUBSCRIBE + "?token=" + token) + "\">"
                        + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                        + "<button type=\"submit\">Unsubscribe</button></form>\n");
    }

    private HttpResponse unsubscribe(HttpRequest request) {
        DigestPreferences.Unsubscribed done = preferences.unsubscribe(request.query().get("token"));
        if (!(done instanceof DigestPreferences.Done)) {
            return refused(request, done);
        }
        if (wantsJson(request)) {
            return HttpResponse.json(200, new PreferencesView(DigestFrequency.OFF.wire(), null))
                    .withHeader("cache-control", "no-store");
        }
        return page(request, 200, "Unsubscribed", "<p>You will get no more Glint email digests. You can turn them on "
                + "again in the app.</p>\n");
    }

    private HttpResponse refused(HttpRequest request, DigestPreferences.Unsubscribed outcome) {
        boolean expired = outcome instanceof DigestPreferences.LinkExpired;
        String code = expired ? "unsubscribe_link_expired" : "invalid_unsubscribe_link";
        String message = expired
                ? "This unsubscribe link has expired. Use the link in a newer digest, or turn digests off in the app's settings."
                : "This unsubscribe link is not valid: copy the whole link from the email, or turn digests off in the app's settings.";
        if (wantsJson(request)) {
            return HttpResponse.json(expired ? 410 : 400, Map.of("error", Map.of("code", code, "message", message)))
                    .withHeader("cache-control", "no-store");
        }
        return page(request, expired ? 410 : 400, expired ? "Link expired" : "Link not valid",
                "<p>" + DigestMail.escape(message) + "</p>\n");
    }

    /** JSON for API clients that ask for it; a page for people (and mail providers, which read neither). */
    private static boolean wantsJson(HttpRequest request) {
        String accept = request.headers().getOrDefault("accept", "");
        return accept.toLowerCase(Locale.ROOT).contains("application/json");
    }

    private static HttpResponse page(HttpRequest request, int status, String title, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", "no-store");
        headers.put("referrer-policy", "no-referrer");
        headers.put("content-security-policy", "default-src 'none'; form-action " + formTarget(request)
                + "; base-uri 'none'; frame-ancestors 'none'");
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                + DigestMail.escape(title) + "</title></head>\n<body>\n<h1>" + DigestMail.escape(title) + "</h1>\n" + body
                + "</body></html>\n";
        return new HttpResponse(status, headers, html);
    }

    /**
     * The unsubscribe URL on this API's own origin, the only place the page's form may post. CSP
     * matches a source with a path exactly (query aside); without a usable Host, nowhere.
     */
    static String formTarget(HttpRequest request) {
        String host = request.headers().getOrDefault("host", "").trim().toLowerCase(Locale.ROOT);
        if (!host.matches("[a-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9a-f:]+\\](:[0-9]{1,5})?")) {
            return "'none'";
        }
        String proto = request.headers().get("x-forwarded-proto");
        if (proto == null || !(proto.equals("http") || proto.equals("https"))) {
            proto = host.startsWith("localhost") || host.startsWith("127.0.0.1") || host.startsWith("[::1]") ? "http" : "https";
        }
        return proto + "://" + host + UNSUBSCRIBE;
    }
}
