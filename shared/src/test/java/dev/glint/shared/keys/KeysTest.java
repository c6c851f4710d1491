package dev.glint.shared.keys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeysTest {

    @Test
    void userProfileKey() {
        assertEquals(new Key("USER#u-1", "PROFILE"), Keys.userProfile("u-1"));
    }

    @Test
    void identifiersThatCouldForgeAnotherKeyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile("a#PROFILE"));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile(""));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile(null));
        assertThrows(IllegalArgumentException.class, () -> Keys.userProfile("x".repeat(201)));
    }
}
