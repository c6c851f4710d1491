package dev.glint.shared.aws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeysTest {

    @Test
    void userProfileKey() {
        assertEquals(new Key("USER#u-1", "PROFILE"), Keys.userProfile("u-1"));
    }

    @Test
    void theLikesOfOnePostSpreadOverAllShardsAndEachLikerAlwaysLandsInTheSameOne() {
        java.util.Map<String, Long> perPartition = new java.util.TreeMap<>();
        for (int i = 0; i < 16_000; i++) {
            Key like = Keys.like("p1", "user-" + i);
            assertEquals(like, Keys.like("p1", "user-" + i));
            assertEquals("LIKE#user-" + i, like.sk());
            perPartition.merge(like.pk(), 1L, Long::sum);
        }
        assertEquals(Keys.LIKE_SHARDS, perPartition.size(), perPartition.toString());
        perPartition.values().forEach(n -> org.junit.jupiter.api.Assertions.assertTrue(n > 800 && n < 1200,
                "an even spread: " + perPartition));
        org.junit.jupiter.api.Assertions.assertNotEquals(Keys.like("p1", "user-1").pk().split("#")[1],
                Keys.like("p2", "user-1").pk().split("#")[1]);
    }

    @Test
    void identifiersThatCouldForgeAnotherKeyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile("a#PROFILE"));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile(""));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile(null));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile("x".repeat(201)));
    }

    @Test
    void aSearchEntryLivesInThePartitionOfItsFirstTwoCharactersSoEveryLongerPrefixIsOneQuery() {
        Key entry = Keys.searchEntry("joanna", "u-1");
        assertEquals(new Key("SEARCH#jo", "joanna#u-1"), entry);
        assertEquals(entry.pk(), Keys.searchPartition("jo"));
        assertEquals(entry.pk(), Keys.searchPartition("joan"));
        assertEquals("SEARCH#𠀀𠀁", Keys.searchPartition("𠀀𠀁𠀂"),
                "two characters, not two UTF-16 units");
    }

    @Test
    void aSearchTermThatCouldForgeAnotherKeyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Keys.searchEntry("jo#x", "u-1"));
        assertThrows(IllegalArgumentException.class, () -> Keys.searchEntry("j", "u-1"));
        assertThrows(IllegalArgumentException.class, () -> Keys.searchPartition("a b"));
        assertThrows(IllegalArgumentException.class, () -> Keys.searchEntry("jo", "u#1"));
    }

    @Test
    void everyTermAnyDisplayNameGivesIsAValidSearchKey() {
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder name = new StringBuilder();
            while (name.codePointCount(0, name.length()) < 1 + random.nextInt(50)) {
                int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x3_0000) : random.nextInt(0x3000);
                if (Character.isValidCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                    name.appendCodePoint(codePoint);
                }
            }
            for (String term : dev.glint.shared.social.SearchTerms.of("some_handle", name.toString())) {
                assertEquals("SEARCH", Keys.searchEntry(term, "u-1").pk().split("#")[0], term);
            }
        }
    }
}
