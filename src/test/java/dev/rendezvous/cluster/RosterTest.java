package dev.rendezvous.cluster;

import dev.rendezvous.room.Peer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RosterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void membersKeepJoinOrderAndEveryChangeRaisesTheVersion() {
        Roster empty = Roster.of(null, NOW);
        assertTrue(empty.isEmpty());
        Roster one = empty.with("a", "n1", "Ann");
        Roster two = one.with("b", "n2", "Bob");
        Roster three = two.with("c", "n1", "");
        assertEquals(List.of(new Peer("a", "Ann"), new Peer("b", "Bob"), new Peer("c", "")), three.peers());
        assertEquals(empty.version() + 3, three.version());
        assertEquals(List.of(new Peer("a", "Ann"), new Peer("c", "")), three.without("b").peers());
        assertEquals(three.version() + 1, three.without("b").version());
        assertNull(three.without("nobody"), "nothing to change");
        assertEquals(0, empty.size());
        assertEquals(3, three.size());
    }

    @Test
    void aNodesMembersGoTogetherAndOtherNodesAreListedOnce() {
        Roster roster = Roster.of(null, NOW).with("a", "n1", "A").with("b", "n2", "B").with("c", "n1", "C").with("d", "n3", "D");
        assertEquals(Set.of("n2", "n3"), roster.nodesBut("n1"));
        assertEquals(List.of(new Peer("b", "B"), new Peer("d", "D")), roster.withoutNodes(Set.of("n1")).peers());
        assertEquals(List.of(new Peer("d", "D")), roster.withoutNodes(Set.of("n1", "n2")).peers());
        assertNull(roster.withoutNodes(Set.of("n9")));
        assertTrue(roster.contains("c"));
        assertFalse(roster.withoutNodes(Set.of("n1")).contains("c"));
    }

    @Test
    void aMemberThatMovesKeepsItsPlaceIdAndName() {
        Roster roster = Roster.of(null, NOW).with("a", "n1", "A").with("b", "n2", "B").with("c", "n1", "C");
        Roster moved = roster.movedTo(roster.indexOf("b"), "n3");
        assertEquals(roster.peers(), moved.peers(), "same ids, names and join order");
        assertEquals("n3", moved.node(1));
        assertEquals(List.of("n1", "n1"), List.of(moved.node(0), moved.node(2)));
        assertEquals(roster.version() + 1, moved.version());
        assertEquals("n2", roster.node(1), "a roster never changes");
        assertEquals(-1, roster.indexOf("z"));
    }

    @Test
    void theStoredValueIsAPlainListThatReadsBackTheSame() {
        Roster roster = Roster.of(null, NOW).with("a", "n1", "Ann | with, separators");
        ArrayList<String> stored = new ArrayList<>(roster.value());
        assertEquals(roster.value(), stored, "compare-and-set compares values read back from the grid");
        assertEquals(roster.peers(), Roster.of(stored, NOW).peers());
        assertEquals(roster.version(), Roster.of(stored, NOW).version());
    }

    @Test
    void aRoomThatEmptiesAndFillsAgainStartsAboveTheVersionsItUsedBefore() {
        Roster first = Roster.of(null, NOW);
        for (int i = 0; i < 100; i++) {
            first = first.with("m" + i, "n1", "").without("m" + i);
        }
        Roster again = Roster.of(null, Clock.offset(NOW, Duration.ofMillis(1)));
        assertTrue(again.version() > first.version(), "a late message about the old room is recognisably older");
    }
}
