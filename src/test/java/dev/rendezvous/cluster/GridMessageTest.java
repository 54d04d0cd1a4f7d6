package dev.rendezvous.cluster;

import dev.rendezvous.room.Removal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The wire form nodes of two versions share: each kind round-trips, and what a node does not know it drops. */
class GridMessageTest {

    @Test
    void everyKindSurvivesTheWireUnchanged() {
        for (GridMessage message : new GridMessage[] {
                GridMessage.joined("room", "alice", 7, "+alice"),
                GridMessage.left("room", "alice", 8, "-alice"),
                GridMessage.signal("room", "alice", null, "to all"),
                GridMessage.signal("room", "alice", "bob", "to bob"),
                GridMessage.remove("room", "bob", Removal.KICKED),
                GridMessage.remove("room", "bob", Removal.ROOM_CLOSED)}) {
            assertEquals(message, GridMessage.of(message.fields()));
        }
    }

    @Test
    void theWireFormIsWhatNodesOfEarlierVersionsSendAndRead() {
        assertArrayEquals(new String[] {"j", "room", "alice", null, "7", "+alice"}, GridMessage.joined("room", "alice", 7, "+alice").fields());
        assertArrayEquals(new String[] {"l", "room", "alice", null, "8", "-alice"}, GridMessage.left("room", "alice", 8, "-alice").fields());
        assertArrayEquals(new String[] {"s", "room", "alice", "bob", "0", "hi"}, GridMessage.signal("room", "alice", "bob", "hi").fields());
        assertArrayEquals(new String[] {"r", "room", null, "bob", "0", "KICKED"}, GridMessage.remove("room", "bob", Removal.KICKED).fields());
    }

    @Test
    void aRemovalNamesItsReason() {
        assertEquals(Removal.ROOM_CLOSED, GridMessage.of(new String[] {"r", "room", null, "bob", "0", "ROOM_CLOSED"}).removal());
    }

    @Test
    void anUnknownKindIsDropped() {
        assertNull(GridMessage.of(new String[] {"x", "room", "alice", null, "0", "?"}));
    }

    @Test
    void anUnknownRemovalIsNone() {
        assertNull(GridMessage.of(new String[] {"r", "room", null, "bob", "0", "BANISHED"}).removal());
    }
}
