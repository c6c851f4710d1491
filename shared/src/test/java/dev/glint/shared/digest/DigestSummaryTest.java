package dev.glint.shared.digest;

import dev.glint.shared.social.Notification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestSummaryTest {

    private static Notification n(String kind, String actor, String subject) {
        return new Notification("id-" + kind + actor + subject, kind, actor, subject, Instant.parse("2026-11-30T06:00:00Z"));
    }

    @Test
    void notificationsAreGroupedByKindLikesCommentsThenFollowers() {
        DigestSummary summary = DigestSummary.of(List.of(n("follow", "d", null), n("like", "a", "p1"), n("comment", "b", "p1"),
                n("like", "b", "p2"), n("like", "a", "p2")), id -> id);
        assertEquals(List.of("3 new likes", "1 new comment", "1 new follower"),
                summary.groups().stream().map(DigestSummary.Group::headline).toList());
        assertEquals("from @a and @b", summary.groups().get(0).from(), "each actor once, newest first");
        assertEquals(5, summary.total());
    }

    @Test
    void aGroupNamesThreeActorsThenCountsTheOthers() {
        DigestSummary summary = DigestSummary.of(List.of(n("follow", "a", null), n("follow", "b", null), n("follow", "c", null),
                n("follow", "d", null), n("follow", "e", null)), id -> id.equals("b") ? null : id);
        DigestSummary.Group followers = summary.groups().get(0);
        assertEquals("5 new followers", followers.headline());
        assertEquals(List.of("a", "c", "d"), followers.actors(), "an actor without a profile is not named");
        assertEquals("from @a, @c, @d and 2 more", followers.from());
    }

    @Test
    void requestsAndWhatModeratorsDidAreSaidAsSuchAndNameNoModerator() {
        // The moderators' actor resolves to a handle here, as a profile named like it would: it is never named.
        DigestSummary summary = DigestSummary.of(List.of(n("follow_request", "a", "a"), n("follow_approved", "b", "b"),
                n("post_removed", Notification.MODERATORS, "p1"), n("post_removed", Notification.MODERATORS, "p2"),
                n("comment_removed", Notification.MODERATORS, "p3"), n("account_suspended", Notification.MODERATORS, "me")),
                id -> id);
        assertEquals(List.of("1 new follow request", "1 new approved follow request", "2 posts taken down by moderators",
                        "1 comment taken down by moderators", "Moderators suspended your account"),
                summary.groups().stream().map(DigestSummary.Group::headline).toList());
        assertEquals(List.of(List.of("a"), List.of("b"), List.of(), List.of(), List.of()),
                summary.groups().stream().map(DigestSummary.Group::actors).toList());
        assertEquals(0, summary.groups().get(2).others(), "moderators are not counted as others either");
    }

    @Test
    void aReadyExportIsSaidAsSuchAndNamesNobody() {
        // Glint's own actor resolves to a handle here, as a profile named like it would: it is never named.
        DigestSummary summary = DigestSummary.of(List.of(n("export_ready", Notification.GLINT, "e1")), id -> id);
        DigestSummary.Group ready = summary.groups().get(0);
        assertEquals("Your data export is ready (the link is in your notifications)", ready.headline());
        assertEquals(List.of(), ready.actors());
        assertEquals(0, ready.others());
    }

    @Test
    void nothingUnreadIsAnEmptySummary() {
        assertTrue(DigestSummary.of(List.of(), id -> id).isEmpty());
    }
}
