package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Every room's {@link Roster}, one entry each of a grid map, as this node sees them: read without the
 * members of nodes that left the grid, and changed only by atomic compare-and-set.
 */
final class Rosters {

    private static final String MAP = "rendezvous-rooms";

    private final IMap<String, ArrayList<String>> map;
    /** Where a fresh roster's version starts. */
    private final Clock clock = Clock.systemUTC();
    /**
     * Nodes that left the grid (member UUIDs are never reused). Their members count for nothing
     * from the moment this node hears of it, even on rosters the sweep has not reached yet.
     */
    private final Set<String> departed = ConcurrentHashMap.newKeySet();

    Rosters(HazelcastInstance grid) {
        this.map = grid.getMap(MAP);
    }

    /** A change's outcome: the roster it saw, and the one it wrote (null when it wrote none). */
    record Change(Roster before, Roster after) {
    }

    /** The room's roster now; empty when the room has no members. */
    Roster get(String room) {
        return live(Roster.of(map.get(room), clock));
    }

    /** Every room with members and how many, by name. */
    SortedMap<String, Integer> sizes() {
        SortedMap<String, Integer> sizes = new TreeMap<>();
        for (Map.Entry<String, ArrayList<String>> entry : map.entrySet()) {
            Roster roster = live(Roster.of(entry.getValue(), clock));
            if (!roster.isEmpty()) {
                sizes.put(entry.getKey(), roster.size());
            }
        }
        return sizes;
    }

    /** Node {@code node} left the grid: its members are gone from every roster read from now on. */
    void departed(String node) {
        departed.add(node);
    }

    /** Writes every roster without the members of departed nodes (the others' joins and leaves would, but only for their rooms). */
    void sweep() {
        for (String room : map.keySet()) {
            update(room, roster -> null);
        }
    }

    /**
     * Applies {@code change} to the room's roster as one atomic compare-and-set: {@code putIfAbsent},
     * {@code replace(key, expected, update)} and {@code remove(key, expected)} each run on the
     * partition that owns the key, one operation at a time, and succeed only if the stored value
     * is still the one read. So a capacity check and the add it allows cannot interleave with
     * another node's, and a lost race is simply read and tried again. A change that returns
     * {@code null} (refused, or nothing to do) leaves the roster as it is. The change sees the roster
     * without members of departed nodes, and an update writes that clean-up too.
     */
    Change update(String room, UnaryOperator<Roster> change) {
        while (true) {
            ArrayList<String> stored = map.get(room);
            Roster read = Roster.of(stored, clock);
            Roster before = live(read);
            Roster after = change.apply(before);
            Roster write = after != null ? after : before != read ? before : null;
            if (write == null) {
                return new Change(before, null);
            }
            boolean done;
            if (stored == null) {
                done = map.putIfAbsent(room, write.value()) == null;
            } else if (write.isEmpty()) {
                done = map.remove(room, stored);
            } else {
                done = map.replace(room, stored, write.value());
            }
            if (done) {
                return new Change(before, after);
            }
        }
    }

    /** The roster without members of departed nodes; the change is written with the next update. */
    private Roster live(Roster roster) {
        for (String node : departed) {
            Roster without = roster.withoutNode(node);
            if (without != null) {
                roster = without;
            }
        }
        return roster;
    }
}
