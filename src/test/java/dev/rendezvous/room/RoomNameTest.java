package dev.rendezvous.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
