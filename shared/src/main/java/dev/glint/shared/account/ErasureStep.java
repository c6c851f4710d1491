package dev.glint.shared.account;

import java.util.Optional;

/**
 * One kind of a user's data, erased a page at a time. Every page deletes what it finds, so running a
 * page again (a redelivered message, a crash before the next page was recorded) finds less or nothing
 * and deletes nothing twice. A new kind of item (follow requests, reports) is one more step.
 */
public interface ErasureStep {

    /** A stable name: erasure messages carry it, so it outlives the step's place in the list. */
    String name();

    /**
     * Erases one page of this kind of the user's data.
     *
     * @param cursor where the page starts (what the previous page returned); absent for the first
     * @return where the next page starts, or empty when nothing of this kind is left
     */
    Optional<String> erasePage(String userId, Optional<String> cursor);
}
