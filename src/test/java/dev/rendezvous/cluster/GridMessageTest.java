package dev.rendezvous.cluster;

import dev.rendezvous.room.Removal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                GridMessage.remove("room", "bob", Removal.ROOM_CLOSED),
                GridMessage.handOver("room", "bob", -42, 7),
                GridMessage.handOver("room", "bob", 42, -1),
                GridMessage.handed("room", "bob", List.of("one", "two", "")),
                GridMessage.handed("room", "bob", List.of()),
                GridMessage.handed("room", "bob", null),
                GridMessage.moved("room", "bob", "node-a", 9, Set.of("node-c")),
                GridMessage.moved("room", "bob", null, 9, Set.of()),
                GridMessage.switched("room", "bob", null),
                GridMessage.switched("room", "bob", ""),
                GridMessage.switched("room", "bob", "node-a"),
                GridMessage.forwarded("room", "bob", "to bob")}) {
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
    void aHandOverCarriesWhatWasMissedAfterTheSixFieldsEveryVersionReads() {
        assertArrayEquals(new String[] {"h", "room", "bob", null, "-42", "7"}, GridMessage.handOver("room", "bob", -42, 7).fields());
        assertArrayEquals(new String[] {"g", "room", "bob", null, "0", "handed", "one", "two"},
                GridMessage.handed("room", "bob", List.of("one", "two")).fields());
        GridMessage refused = GridMessage.of(new String[] {"g", "room", "bob", null, "0", "refused"});
        assertFalse(refused.handedOver());
        assertEquals(List.of(), refused.carried());
        GridMessage handed = GridMessage.of(GridMessage.handed("room", "bob", List.of("one")).fields());
        assertTrue(handed.handedOver());
        assertEquals(List.of("one"), handed.carried());
        assertEquals(7, GridMessage.of(GridMessage.handOver("room", "bob", 1, 7).fields()).received());
        assertArrayEquals(new String[] {"m", "room", "bob", "node-a", "9", "node-c"},
                GridMessage.moved("room", "bob", "node-a", 9, Set.of("node-c")).fields());
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
