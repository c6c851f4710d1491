package dev.glint.shared.social;

/** How many times each user did what a user may do only so often a day (upload, post). */
public interface QuotaStore {

    /**
     * Takes one use of the user's quota for the day.
     *
     * @return false, changing nothing, if the user has used {@code limit} already
     */
    boolean take(String userId, String quota, String day, int limit);
}
