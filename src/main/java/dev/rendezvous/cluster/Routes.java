package dev.rendezvous.cluster;

import dev.rendezvous.room.Removal;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each sender's messages to a member that moves between nodes in order, and each delivered
 * once. Every node routes the member to the node its view names; when it learns the member moved
 * (a {@code MOVED}, or a roster read), it switches its route and says so on both ways
 * ({@code SWITCHED}): to the old node, after everything it sent there, and to the new one. The old
 * node passes on what still reaches it for the member, then each node's marker; the new node holds
 * back what a node sends it directly until the old node has passed on all that node sent there. The
 * old node is done, and says so, when every node the new one told has switched. A member that
 * moves on before that: the node in between passes on, in turn, what the first old node still
 * passes on to it, and is done only after that one.
 */
final class Routes {

    /** How long the nodes keep ordering the messages of a move; the markers take milliseconds. */
    static final Duration ORDER_LIMIT = Duration.ofSeconds(10);

    private final String self;
    private final RoomViews views;
    private final NodeTopics topics;

    Routes(String self, RoomViews views, NodeTopics topics) {
        this.self = self;
        this.views = views;
        this.topics = topics;
    }

    /** A member moved to node {@code to}: the route to it switches, and both its nodes hear so; on the grid event thread. */
    void moved(String room, RoomView view, GridMessage move, String to) {
        String id = move.from();
        String holder = move.to();
        Forwarding forwarding = view == null ? null : view.forwarding(id);
        if (forwarding != null && self.equals(holder)) {
            // The move away from here. Any later move (it moved on a moment after) is routed as from anywhere else.
            forwarding.expect(told(move));
            progress(view);
            return;
        }
        String before = view == null ? null : view.relocate(id, to);
        if (to.equals(before)) {
            return; // switched already, when a roster read showed where it is
        }
        if (before != null) {
            topics.publish(before, GridMessage.switched(room, id, null));
        }
        if (holder != null && !holder.equals(before)) {
            topics.publish(holder, GridMessage.switched(room, id, null));
        }
        topics.publish(to, GridMessage.switched(room, id, before == null ? "" : before));
    }

    /** A node's route to a member moving to or from here switched; on the grid event thread. */
    void switched(RoomView view, GridMessage marker, String from) {
        if (view == null) {
            return;
        }
        String id = marker.from();
        if (marker.to() == null) {
            Forwarding forwarding = view.forwarding(id);
            if (forwarding != null) {
                forwarding.switched(from);
                topics.publish(forwarding.to(), GridMessage.switched(view.room(), id, from));
            }
        } else {
            Arrival arrival = view.arrival(id);
            Forwarding onward = view.forwarding(id);
            if (arrival != null && arrival.outcome() == Arrival.Outcome.HANDED) {
                if (!from.equals(arrival.from())) {
                    arrival.switched(from, marker.to());
                } else if (marker.to().equals(from)) {
                    arrival.fromDone();
                } else {
                    arrival.drained(marker.to());
                }
            } else if (arrival == null && onward != null && marker.to().equals(from)) {
                // It moved on from here, having come from that node a moment ago, which passes on nothing more.
                onward.passedOn(from);
            } else {
                return;
            }
        }
        progress(view);
    }

    /**
     * Passes on what {@code origin} sent the whole room to the members that moved away from here and
     * are owed it: a signal ({@code version} null), or presence at roster {@code version}. The caller
     * holds the view.
     */
    void passOn(RoomView view, String origin, String message, Long version) {
        for (Map.Entry<String, Forwarding> entry : view.forwards().entrySet()) {
            Forwarding forwarding = entry.getValue();
            if (version == null ? forwarding.carries(origin) : forwarding.carries(origin, version)) {
                topics.publish(forwarding.to(), GridMessage.forwarded(view.room(), entry.getKey(), message));
            }
        }
    }

    /** Passes on a signal addressed to a member that moved away from here; the caller holds the view. */
    void forward(RoomView view, String id, Forwarding forwarding, String message) {
        topics.publish(forwarding.to(), GridMessage.forwarded(view.room(), id, message));
    }

    /** Passes on the removal of a member that moved away from here a moment ago. */
    void forward(RoomView view, String id, Forwarding forwarding, Removal why) {
        topics.publish(forwarding.to(), GridMessage.remove(view.room(), id, why));
    }

    /** A node left the grid: what waited for it waits no longer; on the grid event thread. */
    void departed(RoomView view, String node) {
        for (Arrival arrival : view.arrivals()) {
            if (arrival.outcome() == null && arrival.from().equals(node)) {
                arrival.decide(Arrival.Outcome.LOST);
            } else {
                arrival.departed(node);
            }
        }
        view.forwards().values().removeIf(forwarding -> forwarding.to().equals(node));
        view.forwards().values().forEach(forwarding -> {
            forwarding.switched(node);
            forwarding.passedOn(node);
        });
        progress(view);
    }

    /** Ends what is settled or overdue; the caller holds the view. */
    void progress(RoomView view) {
        long now = System.nanoTime();
        for (Map.Entry<String, String> ended : view.endForwards(now, ORDER_LIMIT).entrySet()) {
            // After everything passed on: the new node orders nothing more behind this node.
            topics.publish(ended.getValue(), GridMessage.switched(view.room(), ended.getKey(), self));
        }
        view.endArrivals(now, ORDER_LIMIT);
        views.retireIfEmpty(view.room(), view);
    }

    private static Set<String> told(GridMessage move) {
        return move.text() == null || move.text().isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(move.text().split(",")));
    }
}
