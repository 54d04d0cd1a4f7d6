package dev.rendezvous.cluster;

import dev.rendezvous.room.Peer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * One room's members cluster-wide, in join order, as the grid stores it: a version that every
 * change raises, then id, node and name of each member, flat in one {@code ArrayList<String>} so
 * that any node can read it with no class of ours. Immutable.
 */
final class Roster {

    private static final int FIELDS = 3;

    private final ArrayList<String> value;

    private Roster(ArrayList<String> value) {
        this.value = value;
    }

    /** The roster the grid holds, or a fresh empty one when it holds none, versioned from {@code clock}. */
    static Roster of(ArrayList<String> stored, Clock clock) {
        if (stored != null) {
            return new Roster(stored);
        }
        // A room that empties and fills again must not reuse versions a late message may carry.
        ArrayList<String> empty = new ArrayList<>(1);
        empty.add(Long.toString(clock.millis() * 1000));
        return new Roster(empty);
    }

    /** What to store: the same list the roster was read from, for compare-and-set. */
    ArrayList<String> value() {
        return value;
    }

    long version() {
        return Long.parseLong(value.get(0));
    }

    int size() {
        return (value.size() - 1) / FIELDS;
    }

    boolean isEmpty() {
        return value.size() == 1;
    }

    String id(int i) {
        return value.get(1 + i * FIELDS);
    }

    String node(int i) {
        return value.get(2 + i * FIELDS);
    }

    String name(int i) {
        return value.get(3 + i * FIELDS);
    }

    boolean contains(String id) {
        return indexOf(id) >= 0;
    }

    /** Where the member with this id stands in join order; -1 when it is not here. */
    int indexOf(String id) {
        for (int i = 0; i < size(); i++) {
            if (id(i).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    List<Peer> peers() {
        List<Peer> peers = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            peers.add(new Peer(id(i), name(i)));
        }
        return peers;
    }

    /** The nodes other than {@code self} that hold members, each once. */
    Set<String> nodesBut(String self) {
        Set<String> nodes = new LinkedHashSet<>();
        for (int i = 0; i < size(); i++) {
            if (!node(i).equals(self)) {
                nodes.add(node(i));
            }
        }
        return nodes;
    }

    Roster with(String id, String node, String name) {
        ArrayList<String> next = new ArrayList<>(value.size() + FIELDS);
        next.add(Long.toString(version() + 1));
        next.addAll(value.subList(1, value.size()));
        next.add(id);
        next.add(node);
        next.add(name);
        return new Roster(next);
    }

    /** Without that member; {@code null} when it is not here. */
    Roster without(String id) {
        int index = indexOf(id);
        return index < 0 ? null : keeping(i -> i != index);
    }

    /** Without every member of those nodes; {@code null} when they have none here. */
    Roster withoutNodes(Set<String> nodes) {
        for (int i = 0; i < size(); i++) {
            if (nodes.contains(node(i))) {
                return keeping(j -> !nodes.contains(node(j)));
            }
        }
        return null;
    }

    /** The member at {@code index} on {@code node} instead, in the same place in join order. */
    Roster movedTo(int index, String node) {
        ArrayList<String> next = new ArrayList<>(value);
        next.set(0, Long.toString(version() + 1));
        next.set(2 + index * FIELDS, node);
        return new Roster(next);
    }

    private Roster keeping(IntPredicate kept) {
        ArrayList<String> next = new ArrayList<>(value.size());
        next.add(Long.toString(version() + 1));
        for (int i = 0; i < size(); i++) {
            if (kept.test(i)) {
                next.add(id(i));
                next.add(node(i));
                next.add(name(i));
            }
        }
        return new Roster(next);
    }
}
