package dev.glint.api;

import dev.glint.shared.export.DataExports;
import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Safety;
import dev.glint.shared.social.TagSearch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.limit;

/** What reaches me: my notifications, marking them read, and the posts under a hashtag. */
final class NotificationRoutes implements RouteGroup {

    private final Accounts accounts;
    private final Notifications notifications;
    private final TagSearch tags;
    private final Views views;
    private final RouteSupport support;
    private final Safety safety;
    private final DataExports exports;

    /**
     * @param safety blocks and mutes: notifications from people blocked either way or muted by the caller,
     *               and posts under a tag by people blocked either way, are left out (a page may be short)
     * @param exports a notice that my export is ready carries a fresh download link
     */
    NotificationRoutes(Accounts accounts, Notifications notifications, TagSearch tags, Views views, RouteSupport support,
                       Safety safety, DataExports exports) {
        this.safety = safety;
        this.exports = exports;
        this.accounts = accounts;
        this.notifications = notifications;
        this.tags = tags;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/notifications", this::notifications)
                .add("POST", "/v1/notifications/read", this::markRead)
                .add("GET", "/v1/tags/{tag}/posts", this::tagged);
    }

    private static String list(String caller) {
        return "notifications:" + caller;
    }

    private HttpResponse notifications(HttpRequest request) {
        String caller = caller(request);
        Page<Notifications.Seen> page = notifications.list(caller, limit(request), support.after(request, list(caller)));
        return support.page(views.notifications(safety.visible(caller, page.items(), s -> s.notification().actorId(), true),
                        n -> exports.noticeLink(caller, n.subjectId(), n.createdAt())),
                page.next(), list(caller));
    }

    private HttpResponse markRead(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("upTo"));
        String upTo = body.requiredString("upTo");
        // Marking read is a write: like every write, it needs a profile (a token alone writes nothing).
        accounts.me(caller);
        if (isCursor(upTo)) {
            // A cursor of the notifications list: everything down to where that page ended.
            notifications.markReadThrough(caller, support.cursor(upTo, list(caller)).orElseThrow());
        } else {
            notifications.markRead(caller, upTo);
        }
        return new HttpResponse(204, Map.of(), "");
    }

    /**
     * Whether {@code upTo} is a cursor of the notifications list rather than an id or a time. Both
     * cursors and times with fractions of a second ({@code 2026-11-22T10:00:00.5Z}) contain a dot.
     */
    static boolean isCursor(String upTo) {
        if (!upTo.contains(".")) {
            return false;
        }
        try {
            Instant.parse(upTo);
            return false;
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private HttpResponse tagged(HttpRequest request) {
        String caller = caller(request);
        String tag = request.pathParams().get("tag");
        String list = "tag:" + tag.toLowerCase(Locale.ROOT);
        Page<Post> page = tags.posts(tag, caller, limit(request), support.after(request, list));
        return support.page(views.posts(caller, safety.visible(caller, page.items(), Post::authorId, false)),
                page.next(), list);
    }
}
