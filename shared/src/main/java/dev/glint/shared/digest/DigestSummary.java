package dev.glint.shared.digest;

import dev.glint.shared.social.Notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A user's unread notifications grouped by kind, the way a digest tells them: "3 new likes" with the
 * handles of who did it, newest first.
 *
 * @param groups likes, comments, followers, then any other kind, each only if it has notifications
 */
public record DigestSummary(List<Group> groups) {

    /** How many actors a group names before "and N more". */
    public static final int NAMED_ACTORS = 3;

    /**
     * @param count   the notifications of this kind
     * @param actors  distinct handles, newest first, at most {@link #NAMED_ACTORS}
     * @param others  distinct actors beyond those named
     */
    public record Group(String kind, int count, List<String> actors, int others) {

        /** "3 new likes", "1 new follower"; what moderators did is said as theirs. */
        public String headline() {
            String noun = switch (kind) {
                case Notification.LIKE -> count == 1 ? "like" : "likes";
                case Notification.COMMENT -> count == 1 ? "comment" : "comments";
                case Notification.FOLLOW -> count == 1 ? "follower" : "followers";
                case Notification.FOLLOW_REQUEST -> count == 1 ? "follow request" : "follow requests";
                case Notification.FOLLOW_APPROVED -> count == 1 ? "approved follow request" : "approved follow requests";
                case Notification.POST_REMOVED -> count == 1 ? "post taken down by moderators" : "posts taken down by moderators";
                case Notification.COMMENT_REMOVED -> count == 1 ? "comment taken down by moderators" : "comments taken down by moderators";
                case Notification.ACCOUNT_SUSPENDED, Notification.EXPORT_READY -> null;
                default -> count == 1 ? "notification" : "notifications";
            };
            if (noun == null) {
                return Notification.EXPORT_READY.equals(kind)
                        ? (count == 1 ? "Your data export is ready" : count + " data exports are ready")
                        + " (the link is in your notifications)"
                        : "Moderators suspended your account";
            }
            return count + " " + (fromModerators() ? "" : "new ") + noun;
        }

        /** Whether moderators, not people, did these: no one is named. */
        public boolean fromModerators() {
            return Notification.POST_REMOVED.equals(kind) || Notification.COMMENT_REMOVED.equals(kind)
                    || Notification.ACCOUNT_SUSPENDED.equals(kind);
        }

        /** "from @ann, @bob and 2 more" (handles as given; the HTML escapes them). */
        public String from() {
            List<String> named = actors.stream().map(h -> "@" + h).toList();
            String list = String.join(", ", named);
            return "from " + (others > 0 ? list + " and " + others + " more" : joinLastWithAnd(named));
        }

        private static String joinLastWithAnd(List<String> named) {
            if (named.size() < 2) {
                return String.join("", named);
            }
            return String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1);
        }
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public int total() {
        return groups.stream().mapToInt(Group::count).sum();
    }

    /**
     * @param notifications newest first
     * @param handles       an actor's handle by user id; actors without a profile are named by nobody
     */
    public static DigestSummary of(List<Notification> notifications, Function<String, String> handles) {
        Map<String, List<Notification>> byKind = new LinkedHashMap<>();
        for (String kind : List.of(Notification.LIKE, Notification.COMMENT, Notification.FOLLOW)) {
            byKind.put(kind, new ArrayList<>());
        }
        for (Notification n : notifications) {
            byKind.computeIfAbsent(n.kind(), k -> new ArrayList<>()).add(n);
        }
        List<Group> groups = new ArrayList<>();
        byKind.forEach((kind, list) -> {
            if (list.isEmpty()) {
                return;
            }
            LinkedHashSet<String> actors = new LinkedHashSet<>();
            list.stream().filter(n -> !Notification.MODERATORS.equals(n.actorId()) && !Notification.GLINT.equals(n.actorId()))
                    .forEach(n -> actors.add(n.actorId()));
            List<String> named = new ArrayList<>();
            for (String actor : actors) {
                String handle = handles.apply(actor);
                if (handle != null && named.size() < NAMED_ACTORS) {
                    named.add(handle);
                }
            }
            groups.add(new Group(kind, list.size(), List.copyOf(named), actors.size() - named.size()));
        });
        return new DigestSummary(List.copyOf(groups));
    }
}
