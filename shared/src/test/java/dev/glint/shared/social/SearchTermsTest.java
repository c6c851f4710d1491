package dev.glint.shared.social;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one normalisation that makes a profile's terms and a query's words comparable. */
class SearchTermsTest {

    @Test
    void accentsAndCaseAreFoldedAndWordsSplitAtAnythingButLettersAndDigits() {
        assertEquals(List.of("jose", "alvarez"), SearchTerms.words("José Álvarez"));
        assertEquals(List.of("jean", "luc", "o", "neill"), SearchTerms.words("Jean-Luc O'Neill"));
        assertEquals(List.of("zoe", "osterreich"), SearchTerms.words("ZOË Österreich"));
        assertEquals(List.of("file"), SearchTerms.words("ﬁle"), "compatibility forms are decomposed");
        assertEquals(List.of("istanbul"), SearchTerms.words("İstanbul"));
        assertEquals(List.of("дмитрии"), SearchTerms.words("Дмитрий"), "other scripts keep their letters, marks go");
        assertEquals(List.of("王小明"), SearchTerms.words("王小明"));
        assertEquals(List.of(), SearchTerms.words("  🙂 — "));
    }

    @Test
    void aProfileIsIndexedByItsHandleItsHandlesPartsAndItsNameWordsOnce() {
        assertEquals(Set.of("josealv", "jose", "alv", "alvarez"),
                SearchTerms.of("jose_alv", "José Álvarez"));
        assertEquals(Set.of("joanna"), SearchTerms.of("joanna", "Joanna"), "a handle equal to a name word is one term");
        assertEquals(Set.of("pat"), SearchTerms.of("pat", "P A T"), "one-letter words are not indexed");
    }

    @Test
    void termsAreCutAndTheirNumberBoundedSoARenameFitsOneTransaction() {
        String longWord = "a".repeat(60);
        assertEquals(Set.of("abc", "a".repeat(SearchTerms.MAX_TERM)), SearchTerms.of("abc", longWord));
        String manyWords = "ab ac ad ae af ag ah ai aj ak al am an ao ap aq";
        String handle = "b1_b2_b3_b4_b5_b6_b7_b8_b9_b0";
        assertTrue(SearchTerms.of(handle, manyWords).size() <= SearchTerms.MAX_TERMS);
        assertTrue(2 * SearchTerms.MAX_TERMS + 3 <= 100, "lost terms + all terms + claim, old claim, profile");
    }

    @Test
    void aQueryIsReadByItsLongestWordAndAnAtSignIsNoPartOfIt() {
        SearchTerms.Query query = SearchTerms.query("@Jo");
        assertEquals("jo", query.key());
        SearchTerms.Query two = SearchTerms.query("José  ÁLV");
        assertEquals("jose", two.key());
        assertEquals("alv jose", two.normalised());
        assertEquals(SearchTerms.query("jose alv").normalised(), two.normalised(), "same meaning, same list");
    }

    @Test
    void aQueryNeedsTwoLettersOrDigitsAndAtMostAHundredCharacters() {
        assertEquals("query_too_short", assertThrows(SocialException.class, () -> SearchTerms.query("j")).code());
        assertEquals("query_too_short", assertThrows(SocialException.class, () -> SearchTerms.query("@ - !")).code());
        assertEquals("query_too_short", assertThrows(SocialException.class, () -> SearchTerms.query("a b")).code());
        assertEquals("query_required", assertThrows(SocialException.class, () -> SearchTerms.query(" ")).code());
        assertEquals("query_required", assertThrows(SocialException.class, () -> SearchTerms.query(null)).code());
        SocialException tooLong = assertThrows(SocialException.class, () -> SearchTerms.query("a".repeat(101)));
        assertEquals("invalid_query", tooLong.code());
        assertTrue(tooLong.getMessage().contains("100"));
    }

    @Test
    void everyWordMustBeginATermAndAProfileIsListedByItsFirstMatchingTerm() {
        var terms = SearchTerms.of("jojo", "Jo Jones");
        SearchTerms.Query jo = SearchTerms.query("jo");
        assertTrue(jo.matches(terms));
        assertEquals("jo", jo.listedBy(terms).orElseThrow());
        assertEquals("jones", SearchTerms.query("jon").listedBy(terms).orElseThrow());
        assertTrue(SearchTerms.query("jones jo").matches(terms));
        assertFalse(SearchTerms.query("jo smith").matches(terms));
        assertFalse(SearchTerms.query("ones").matches(terms), "a prefix, not a substring");
    }
}
