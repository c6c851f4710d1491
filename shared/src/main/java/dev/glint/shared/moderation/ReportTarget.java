package dev.glint.shared.moderation;

import dev.glint.shared.ids.Ids;

import java.util.Optional;

/**
 * What a report is about: a post, a comment (on its post) or an account. Every report of one thing
 * is one report, so its id is made from the thing: {@code p.<postId>}, {@code c.<postId>.<commentId>},
 * {@code u.<userId>}.
 */
public record ReportTarget(Kind kind, String postId, String commentId, String userId) {

    /** The kinds of things people report. */
    public enum Kind { POST, COMMENT, ACCOUNT }

    public static ReportTarget post(String postId) {
        return new ReportTarget(Kind.POST, postId, null, null);
    }

    public static ReportTarget comment(String postId, String commentId) {
        return new ReportTarget(Kind.COMMENT, postId, commentId, null);
    }

    public static ReportTarget account(String userId) {
        return new ReportTarget(Kind.ACCOUNT, null, null, userId);
    }

    /** The report's id: the same for every report of this thing. */
    public String reportId() {
        return switch (kind) {
            case POST -> "p." + postId;
            case COMMENT -> "c." + postId + "." + commentId;
            case ACCOUNT -> "u." + userId;
        };
    }

    /** The target a report id names, if it is one (ids of posts and comments are Glint's ids; a user id has no dot rules of its own). */
    public static Optional<ReportTarget> ofReportId(String id) {
        if (id == null || id.length() < 3 || id.charAt(1) != '.') {
            return Optional.empty();
        }
        String rest = id.substring(2);
        switch (id.charAt(0)) {
            case 'p':
                return Ids.valid(rest) ? Optional.of(post(rest)) : Optional.empty();
            case 'c': {
                int dot = rest.indexOf('.');
                if (dot < 0) {
                    return Optional.empty();
                }
                String postId = rest.substring(0, dot);
                String commentId = rest.substring(dot + 1);
                return Ids.valid(postId) && Ids.valid(commentId) ? Optional.of(comment(postId, commentId)) : Optional.empty();
            }
            case 'u':
                return rest.matches("[A-Za-z0-9_.:\\-]{1,128}") ? Optional.of(account(rest)) : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
