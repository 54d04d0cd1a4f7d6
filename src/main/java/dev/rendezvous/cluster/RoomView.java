package dev.rendezvous.cluster;

import dev.rendezvous.room.Member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one node knows of one room while it holds members of it: its own members (with the roster
 * version each joined at), which node every other member is on, and the members moving to or from
 * this node ({@link Arrival}, {@link Forwarding}). Every delivery to a member here names the node it
 * came from, so that a member arriving from another node gets each sender's messages in order. Not
 * thread-safe: whoever changes or reads it holds its monitor (the relay, the grid inbox, the
 * departed-node handling).
 *
 * <p>Over the usual length: the room's members here, the routes to the others and the moves in
 * both directions change under one monitor, and splitting them would split that lock.
 */
final class RoomView {

    /** A member another node holds, that this node routed to {@code from} and now routes to {@code to}. */
    record Switch(String id, String from, String to) {
    }

    private record Here(Member member, long joinedAt) {
    }

    private final String room;
    private final LinkedHashMap<String, Here> here = new LinkedHashMap<>();
    private final HashMap<String, String> elsewhere = new HashMap<>();
    /** The distinct nodes of {@link #elsewhere}, kept for fan-out without a walk over every member. */
    private Set<String> nodes = Set.of();
    private final HashMap<String, Arrival> arrivals = new HashMap<>();
    private final HashMap<String, Forwarding> forwards = new HashMap<>();
    /** Set when the last member here left; a retired view is out of {@link RoomViews} and takes no one. */
    boolean retired;

    RoomView(String room) {
        this.room = room;
    }

    String room() {
        return room;
    }

    /** Nothing here, nobody arriving, nothing to pass on: the view may go. */
    boolean isEmpty() {
        return here.isEmpty() && arrivals.isEmpty() && forwards.isEmpty();
    }

    int size() {
        return here.size();
    }

    /** A member here from now on; one that moved away from here a moment ago and came back is no longer passed on. */
    void add(Member member, long joinedAt) {
        here.put(member.id(), new Here(member, joinedAt));
        forwards.remove(member.id());
        if (elsewhere.remove(member.id()) != null) {
            recount();
        }
    }

    /** The roster version a member here counts as having joined at; its place in join order stays. */
    void joinedAt(Member member, long version) {
        here.put(member.id(), new Here(member, version));
    }

    /** Removes that very member; false if it is not here (already left, or another with its id). */
    boolean remove(Member member) {
        Here entry = here.get(member.id());
        if (entry == null || entry.member() != member) {
            return false;
        }
        here.remove(member.id());
        Arrival arrival = arrivals.get(member.id());
        if (arrival != null && arrival.member() == member) {
            arrivals.remove(member.id());
        }
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

    /** The nodes to tell of a change to {@code roster}: those holding members, and those members moved to from here. */
    Set<String> audience(Roster roster, String self) {
        Set<String> audience = roster.nodesBut(self);
        if (forwards.isEmpty()) {
            return audience;
        }
        Set<String> all = new LinkedHashSet<>(audience);
        forwards.values().forEach(forwarding -> all.add(forwarding.to()));
        return all;
    }

    /** Learns where members of other nodes are; false if it already knew that one. */
    boolean learn(String id, String node) {
        boolean fresh = elsewhere.put(id, node) == null;
        if (fresh) {
            recount();
        }
        return fresh;
    }

    /**
     * Learns the members of other nodes a roster lists, and returns those it routed to another node
     * until now: the caller tells both nodes, in that order, before sending anything more.
     */
    List<Switch> learnAll(Roster roster, String self) {
        List<Switch> switches = new ArrayList<>();
        for (int i = 0; i < roster.size(); i++) {
            String id = roster.id(i);
            String node = roster.node(i);
            if (node.equals(self) || here.containsKey(id) || arrivals.containsKey(id)) {
                continue;
            }
            String before = elsewhere.put(id, node);
            if (before != null && !before.equals(node)) {
                switches.add(new Switch(id, before, node));
            }
        }
        recount();
        return switches;
    }

    /**
     * Learns that a member of another node is now on {@code node}; returns where it routed it until
     * now (null: nowhere). A member here or arriving here stays.
     */
    String relocate(String id, String node) {
        if (here.containsKey(id) || arrivals.containsKey(id)) {
            return node;
        }
        String before = elsewhere.put(id, node);
        recount();
        return before;
    }

    /** Forgets a member of another node; false if it was not known. */
    boolean forget(String id) {
        boolean known = elsewhere.remove(id) != null;
        if (known) {
            recount();
        }
        return known;
    }

    /** Sends what node {@code origin} sent to every member here but {@code except} (may be null). */
    void deliver(String message, Member except, String origin) {
        for (Here entry : here.values()) {
            if (entry.member() != except) {
                hand(entry.member(), message, origin, false);
            }
        }
    }

    /**
     * Sends presence from node {@code origin} to the members here that joined before roster version
     * {@code version}: those who joined later already had the news in their welcome (or never knew
     * the member concerned). A member arriving from another node gets it if its old node did not.
     */
    void deliverToEarlier(String message, long version, String origin) {
        for (Here entry : here.values()) {
            Arrival arrival = arrivals.get(entry.member().id());
            if (arrival != null) {
                arrival.offer(origin, message, false);
            } else if (entry.joinedAt() < version) {
                entry.member().mailbox().send(message);
            }
        }
    }

    /** Sends what node {@code origin} addressed to {@code member}, a member here. */
    void send(Member member, String message, String origin) {
        hand(member, message, origin, true);
    }

    private void hand(Member member, String message, String origin, boolean addressed) {
        Arrival arrival = arrivals.get(member.id());
        if (arrival != null) {
            arrival.offer(origin, message, addressed);
        } else {
            member.mailbox().send(message);
        }
    }

    /** A member resuming here, whose old node was asked to hand it over. */
    void await(Arrival arrival) {
        arrivals.put(arrival.id(), arrival);
    }

    Arrival arrival(String id) {
        return arrivals.get(id);
    }

    Collection<Arrival> arrivals() {
        return arrivals.values();
    }

    /** The member will not arrive after all, or has nothing left to order: a plain member from now on, if here. */
    void settle(Arrival arrival) {
        arrivals.remove(arrival.id(), arrival);
    }

    /**
     * A member here moved to {@code to}: what still reaches it here goes there, including what
     * {@code upstream} (null: no node), the node it came here from a moment ago, still passes on.
     */
    void release(Member member, String to, String upstream) {
        Here entry = here.remove(member.id());
        arrivals.remove(member.id());
        forwards.put(member.id(), new Forwarding(to, entry.joinedAt(), upstream));
        elsewhere.put(member.id(), to);
        recount();
    }

    Forwarding forwarding(String id) {
        return forwards.get(id);
    }

    Map<String, Forwarding> forwards() {
        return forwards;
    }

    /** Whether members are here or moving away: a stopping node waits for them to go. */
    boolean holds() {
        return !here.isEmpty() || !forwards.isEmpty();
    }

    /** Forgets members moving away that are settled or overdue; returns their ids and new nodes. */
    Map<String, String> endForwards(long now, Duration limit) {
        Map<String, String> ended = new LinkedHashMap<>();
        forwards.entrySet().removeIf(entry -> {
            boolean done = entry.getValue().settled() || entry.getValue().overdue(now, limit);
            if (done) {
                ended.put(entry.getKey(), entry.getValue().to());
            }
            return done;
        });
        return ended;
    }

    /** Ends arrivals that are settled, releasing overdue ones. */
    void endArrivals(long now, Duration limit) {
        arrivals.values().removeIf(arrival -> {
            if (arrival.outcome() == null) {
                return false; // its resuming thread decides
            }
            if (!arrival.settled() && arrival.overdue(now, limit)) {
                arrival.release();
            }
            return arrival.settled();
        });
    }

    private void recount() {
        nodes = elsewhere.isEmpty() ? Set.of() : Set.copyOf(elsewhere.values());
    }
}
