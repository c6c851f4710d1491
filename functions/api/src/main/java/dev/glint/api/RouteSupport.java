package dev.glint.api;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.PageToken;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What every route group reads from a request the same way: the caller, the product group, a
 * page's limit and cursor, a post id; and how every list answers: {@code {"items":[...],"next":"<cursor>"}}.
 */
final class RouteSupport {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final Cursors cursors;

    RouteSupport(Cursors cursors) {
        this.cursors = cursors;
    }

    /** The caller's user id, from the claims the JWT authorizer verified. */
    static String caller(HttpRequest request) {
        String sub = request.claims().get("sub");
        if (sub == null || sub.isBlank() || !sub.matches("[A-Za-z0-9_.:\\-]{1,128}")) {
            throw new ApiException(401, "unauthorized", "Sign in: this route needs a valid bearer token.");
        }
        return sub;
    }

    /**
     * Product teams only: a signed-in caller in the {@code product} group ({@code cognito:groups}
     * claim, which API Gateway passes as {@code [a b]} and the local gateway as the same).
     */
    static void requireProduct(HttpRequest request, String what) {
        caller(request);
        if (!inGroup(request, "product")) {
            throw new ApiException(403, "forbidden", what + " are for product teams (the product group).");
        }
    }

    /** Moderators only: a signed-in caller in the {@code moderator} group. @return the caller */
    static String requireModerator(HttpRequest request) {
        String caller = caller(request);
        if (!inGroup(request, "moderator")) {
            throw new ApiException(403, "forbidden", "The moderation queue is for moderators (the moderator group).");
        }
        return caller;
    }

    private static boolean inGroup(HttpRequest request, String group) {
        String groups = request.claims().getOrDefault("cognito:groups", "");
        return Arrays.asList(groups.replace("[", "").replace("]", "").split("[ ,]+")).contains(group);
    }

    /** The post id of the path, shaped as Glint's ids are (anything else is no post). */
    static String postId(HttpRequest request) {
        String id = request.pathParams().get("id");
        if (!Ids.valid(id)) {
            throw new ApiException(404, "post_not_found", "No such post.");
        }
        return id;
    }

    /** The handle of the path ({@code /v1/users/{handle}/...}, {@code /v1/me/follow-requests/{handle}/...}). */
    static String handle(HttpRequest request) {
        return request.pathParams().get("handle");
    }

    static int limit(HttpRequest request) {
        return limit(request, MAX_LIMIT);
    }

    /** A page's limit for a list whose pages cost more than most (search): at most {@code max}. */
    static int limit(HttpRequest request, int max) {
        String raw = request.query().get("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        // ASCII digits only: Integer.parseInt also takes a sign and any script's digits ("+5", "５").
        if (raw.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        }
        throw new ApiException(400, "invalid_limit", "limit must be a whole number from 1 to " + max + ".");
    }

    /** Where the page starts: the request's {@code cursor}, which must be one this list returned. */
    Optional<PageToken> after(HttpRequest request, String list) {
        return cursors.decode(request.query().get("cursor"), list);
    }

    /** A value the caller passed that must be a cursor of this list. */
    Optional<PageToken> cursor(String value, String list) {
        return cursors.decode(value, list);
    }

    /** The next page of a list as a cursor bound to the list. */
    Optional<String> next(Optional<PageToken> next, String list) {
        return next.map(token -> cursors.encode(token, list));
    }

    /** One page of a list, its next page as a cursor bound to the list. */
    <T> HttpResponse page(List<T> items, Optional<PageToken> next, String list) {
        return HttpResponse.json(200, new Views.ListView<>(items, next.map(token -> cursors.encode(token, list))));
    }
}
