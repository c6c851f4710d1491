package dev.glint.shared.social;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How people are found by what they are called: the terms a profile is indexed under and the words
 * of a query, both made by one normalisation, so that "José Álvarez" is found by "jose" and "ALV".
 *
 * <p>A text is decomposed (NFKD: "é" becomes "e" and a combining accent, "ﬁ" becomes "fi"), its
 * combining marks dropped, lower-cased (root locale) and split into words at every character that is
 * neither a letter nor a digit ({@code _}, {@code @}, spaces, punctuation). A profile's terms are the
 * words of its display name, the words of its handle and its handle with the underscores left out,
 * each at most {@value #MAX_TERM} characters; words shorter than {@value #MIN_QUERY} are not indexed,
 * since no query that short is answered.
 */
public final class SearchTerms {

    /** Letters or digits a query's longest word needs: one character would match a great part of everyone. */
    public static final int MIN_QUERY = 2;
    /** Characters of a term kept (and of a query word compared): longer words are cut, alike on both sides. */
    public static final int MAX_TERM = 40;
    /**
     * The most terms one profile has: a 50-character display name has at most 17 words of two letters,
     * a 30-character handle at most 10 plus itself. Bounded so that a rename's transaction (the old
     * terms deleted, the new ones put, the handle claims and the profile) stays under DynamoDB's 100 items.
     */
    public static final int MAX_TERMS = 32;
    /** Characters of a query, before normalisation. */
    public static final int MAX_QUERY = 100;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private SearchTerms() {
    }

    /** The normalised words of a text, in order, duplicates kept; none for a blank text. */
    public static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String word : SEPARATORS.split(folded)) {
            if (!word.isEmpty()) {
                words.add(cut(word));
            }
        }
        return words;
    }

    /** The terms a profile is found by, sorted, without duplicates (a handle equal to a name word is one term). */
    public static SortedSet<String> of(String handle, String displayName) {
        List<String> candidates = new ArrayList<>();
        List<String> handleWords = words(handle);
        candidates.add(cut(String.join("", handleWords)));
        candidates.addAll(handleWords);
        candidates.addAll(words(displayName));
        SortedSet<String> terms = new TreeSet<>();
        for (String term : candidates) {
            if (length(term) >= MIN_QUERY && terms.size() < MAX_TERMS) {
                terms.add(term);
            }
        }
        return terms;
    }

    /**
     * A query: at most {@value #MAX_QUERY} characters, with a word of at least {@value #MIN_QUERY}
     * letters or digits. A leading {@code @} is a separator like any other, so "@jo" is "jo".
     *
     * @throws SocialException INVALID {@code invalid_query} or {@code query_too_short}, saying what to type
     */
    public static Query query(String raw) {
        if (raw == null || raw.isBlank()) {
            throw SocialException.invalid("query_required",
                    "q is required: type at least " + MIN_QUERY + " letters or digits of a handle or a name.");
        }
        if (raw.length() > MAX_QUERY) {
            throw SocialException.invalid("invalid_query", "q may be at most " + MAX_QUERY + " characters.");
        }
        List<String> words = words(raw);
        Optional<String> longest = words.stream().reduce((a, b) -> length(b) > length(a) ? b : a);
        if (longest.isEmpty() || length(longest.get()) < MIN_QUERY) {
            throw SocialException.invalid("query_too_short",
                    "Type at least " + MIN_QUERY + " letters or digits of a handle or a name to search people.");
        }
        return new Query(longest.get(), List.copyOf(new TreeSet<>(words)));
    }

    /**
     * A normalised query.
     *
     * @param key   its longest word: the index is read by this prefix
     * @param words all its words: a profile matches when each is the beginning of one of its terms
     */
    public record Query(String key, List<String> words) {

        /** What the query is, once normalised: two spellings with the same meaning are the same list. */
        public String normalised() {
            return String.join(" ", words);
        }

        /** Whether a profile with these terms answers the query. */
        public boolean matches(Collection<String> terms) {
            return words.stream().allMatch(word -> terms.stream().anyMatch(term -> term.startsWith(word)));
        }

        /**
         * The term a profile is listed by: the first of its terms (in index order) that begins with the
         * key. A profile found by several terms (handle "jojo", name "Jo Jones") is listed once, at this one.
         */
        public Optional<String> listedBy(SortedSet<String> terms) {
            return terms.tailSet(key).stream().filter(term -> term.startsWith(key)).findFirst();
        }
    }

    private static String cut(String word) {
        return length(word) <= MAX_TERM ? word : word.substring(0, word.offsetByCodePoints(0, MAX_TERM));
    }

    private static int length(String word) {
        return word.codePointCount(0, word.length());
    }
}
