package dev.rendezvous.room;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "a", "Room_1-x", "0123456789012345678901234567890123456789012345678901234567890123"})
    void validRoomNames(String name) {
        assertTrue(RoomName.isValid(name));
        assertEquals(name, RoomName.parse(name).orElseThrow().value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "ä", "room.1", "x%20",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void invalidRoomNames(String name) {
        assertFalse(RoomName.isValid(name));
        assertTrue(RoomName.parse(name).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new RoomName(name));
    }

    @Test
    void nullIsNoName() {
        assertFalse(RoomName.isValid(null));
        assertTrue(RoomName.parse(null).isEmpty());
    }

    /** The rule as it is worded: {@link RoomName#isValid} checks it with a loop, and must agree with it. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Property(tries = 2000)
    void theCheckAgreesWithTheRuleAsWorded(@ForAll("names") String name) {
        assertEquals(RULE.matcher(name).matches(), RoomName.isValid(name), name);
    }

    @Provide
    Arbitrary<String> names() {
        // Every allowed character, their neighbours in ASCII, and some far from them, around the length limit.
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("azAZ09_-/:@[`{.~ é\u0000\u0130\u212a\ud800").ofMinLength(0).ofMaxLength(66),
                Arbitraries.strings().withCharRange('0', 'z').withChars('_', '-').ofMinLength(60).ofMaxLength(66),
                Arbitraries.strings().ofMaxLength(70));
    }
}
