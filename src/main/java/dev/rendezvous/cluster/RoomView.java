package dev.rendezvous.cluster;

import dev.rendezvous.room.Member;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one node knows of one room while it holds members of it: its own members (with the roster
 * version each joined at) and which node every other member is on. Not thread-safe: whoever
 * changes or reads it holds its monitor (the relay, the grid inbox, the departed-node handling).
 */
final class RoomView {

    private record Here(Member member, long joinedAt) {
    }

    private final LinkedHashMap<String, Here> here = new LinkedHashMap<>();
    private final HashMap<String, String> elsewhere = new HashMap<>();
    /** The distinct nodes of {@link #elsewhere}, kept for fan-out without a walk over every member. */
    private Set<String> nodes = Set.of();
    /** Set when the last member here left; a retired view is out of {@link RoomViews} and takes no one. */
    boolean retired;

    boolean isEmpty() {
        return here.isEmpty();
    }

    int size() {
        return here.size();
    }

    void add(Member member, long joinedAt) {
        here.put(member.id(), new Here(member, joinedAt));
    }

    /** Removes that very member; false if it is not here (already left, or another with its id). */
    boolean remove(Member member) {
        Here entry = here.get(member.id());
        if (entry == null || entry.member() != member) {
            return false;
        }
        here.remove(member.id());
        return true;
    }

    Member local(String id) {
        Here entry = here.get(id);
        return entry == null ? null : entry.member();
    }

    String nodeOf(String id) {
        return elsewhere.get(id);
    }

    Set<String> nodes() {
        return nodes;
    }

    /** Learns where members of other nodes are; false if it already knew that one. */
    boolean learn(String id, String node) {
        boolean fresh = elsewhere.put(id, node) == null;
        if (fresh) {
            recount();
        }
        return fresh;
    }

    /** Learns the members of other nodes a roster lists. */
    void learnAll(Roster roster, String self) {
        for (int i = 0; i < roster.size(); i++) {
            if (!roster.node(i).equals(self)) {
                elsewhere.put(roster.id(i), roster.node(i));
            }
        }
        recount();
    }

    /** Forgets a member of another node; false if it was not known. */
    boolean forget(String id) {
        boolean known = elsewhere.remove(id) != null;
        if (known) {
            recount();
        }
        return known;
    }

    /** Forgets every member of that node and returns their ids. */
    List<String> forgetNode(String node) {
        List<String> gone = new ArrayList<>();
        elsewhere.entrySet().removeIf(entry -> entry.getValue().equals(node) && gone.add(entry.getKey()));
        if (!gone.isEmpty()) {
            recount();
        }
        return gone;
    }

    /** Sends to every member here but {@code except} (may be null). */
    void deliver(String message, Member except) {
        for (Here entry : here.values()) {
            if (entry.member() != except) {
                entry.member().mailbox().send(message);
            }
        }
    }

    /**
     * Sends to the members here that joined before roster version {@code version}: those who
     * joined later already had the news in their welcome (or never knew the member concerned).
     */
    void deliverToEarlier(String message, long version) {
        for (Here entry : here.values()) {
            if (entry.joinedAt() < version) {
                entry.member().mailbox().send(message);
            }
        }
    }

    private void recount() {
        nodes = elsewhere.isEmpty() ? Set.of() : Set.copyOf(elsewhere.values());
    }
}
