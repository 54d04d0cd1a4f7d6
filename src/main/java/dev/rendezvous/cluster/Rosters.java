package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Every room's {@link Roster}, one entry each of a grid map, changed only by atomic compare-and-set.
 * The members of a node that left the grid stay on until the resume grace has passed (they may
 * resume elsewhere meanwhile); {@link DepartedNodes} then takes off those that did not.
 */
final class Rosters {

    private static final String MAP = "rendezvous-rooms";

    private final IMap<String, ArrayList<String>> map;
    /** Where a fresh roster's version starts. */
    private final Clock clock = Clock.systemUTC();

    Rosters(HazelcastInstance grid) {
        this.map = grid.getMap(MAP);
    }

    /** A change's outcome: the roster it saw, and the one it wrote (null when it wrote none). */
    record Change(Roster before, Roster after) {
    }

    /** The room's roster now; empty when the room has no members. */
    Roster get(String room) {
        return Roster.of(map.get(room), clock);
    }

    /** Every room with members and how many, by name. */
    SortedMap<String, Integer> sizes() {
        SortedMap<String, Integer> sizes = new TreeMap<>();
        for (Map.Entry<String, ArrayList<String>> entry : map.entrySet()) {
            Roster roster = Roster.of(entry.getValue(), clock);
            if (!roster.isEmpty()) {
                sizes.put(entry.getKey(), roster.size());
            }
        }
        return sizes;
    }

    /** Every room the grid holds a roster of. */
    Set<String> rooms() {
        return map.keySet();
    }

    /**
     * Applies {@code change} to the room's roster as one atomic compare-and-set: {@code putIfAbsent},
     * {@code replace(key, expected, update)} and {@code remove(key, expected)} each run on the
     * partition that owns the key, one operation at a time, and succeed only if the stored value
     * is still the one read. So a capacity check and the add it allows cannot interleave with
     * another node's, and a lost race is simply read and tried again. A change that returns
     * {@code null} (refused, or nothing to do) leaves the roster as it is.
     */
    Change update(String room, UnaryOperator<Roster> change) {
        while (true) {
            ArrayList<String> stored = map.get(room);
            Roster before = Roster.of(stored, clock);
            Roster after = change.apply(before);
            if (after == null) {
                return new Change(before, null);
            }
            boolean done;
            if (stored == null) {
                done = map.putIfAbsent(room, after.value()) == null;
            } else if (after.isEmpty()) {
                done = map.remove(room, stored);
            } else {
                done = map.replace(room, stored, after.value());
            }
            if (done) {
                return new Change(before, after);
            }
        }
    }
}
