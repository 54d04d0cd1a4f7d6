package dev.rendezvous.cluster;

import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Outbox;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Resumptions;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Moves members between nodes: a member resumes on a node that does not hold it, and takes its
 * place there, same id, name and place in join order, by one compare-and-set of the roster. While
 * the node that held it is alive, that node hands over what the member missed and lets it go without
 * a word; the others only switch their route to it ({@link Routes}), so nobody hears it leave or join.
 *
 * <p>In order, for a member M moving from node A to node B: B asks A ({@code HANDOVER}); A lets M go,
 * passes on to B whatever still reaches it for M, and answers with what M missed ({@code HANDED});
 * B switches its own route to M and moves M on the roster ({@code MOVED} to the others). When A is
 * gone, B moves M all the same, and M is told that what was on its way is lost.
 *
 * <p>Over the usual length: both ends of a move (the node asked and the node asking) are here, so
 * that the protocol above reads in one place.
 */
final class Handovers {

    /** How long a resuming member waits for its old node's answer; a node that is gone says nothing. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(3);
    private static final Logger LOG = Logger.getLogger(Handovers.class.getName());

    private final String self;
    private final Rosters rosters;
    private final RoomViews views;
    private final NodeTopics topics;
    private final Relay.Wording wording;
    private final Resumptions resumptions;
    private final GridMembership membership;
    private final Routes routes;
    private final Predicate<String> gone;
    private final Executor chores;

    /** {@code gone}: whether a node has left the grid; {@code chores} runs what must wait for the grid. */
    Handovers(String self, Rosters rosters, RoomViews views, NodeTopics topics, Relay.Wording wording, Resumptions resumptions,
              GridMembership membership, Routes routes, Predicate<String> gone, Executor chores) {
        this.self = self;
        this.rosters = rosters;
        this.views = views;
        this.topics = topics;
        this.wording = wording;
        this.resumptions = resumptions;
        this.membership = membership;
        this.routes = routes;
        this.gone = gone;
        this.chores = chores;
    }

    /** See {@link Relay#rejoin}. Waits for the grid and for the old node: never on a grid event thread. */
    JoinResult rejoin(String room, Peer peer, long serial, long received, Mailbox mailbox, int maxPeers, int maxRooms) {
        if (membership.removed(room, peer.peer())) {
            return new JoinResult.Taken(); // an administrator ended its membership, perhaps on another node
        }
        Member member = new Member(peer, mailbox);
        while (true) {
            RoomView view = views.open(room, maxRooms);
            if (view == null) {
                return new JoinResult.TooManyRooms(maxRooms);
            }
            Arrival arrival;
            synchronized (view) {
                if (view.retired) {
                    continue;
                }
                if (view.local(peer.peer()) != null || view.arrival(peer.peer()) != null) {
                    views.retireIfEmpty(room, view);
                    return new JoinResult.Taken();
                }
                Roster roster;
                try {
                    roster = rosters.get(room);
                } catch (RuntimeException e) {
                    views.retireIfEmpty(room, view);
                    throw e;
                }
                int at = roster.indexOf(peer.peer());
                String holder = at < 0 ? null : roster.node(at);
                if (self.equals(holder)) {
                    views.retireIfEmpty(room, view);
                    return new JoinResult.Taken(); // leaving here a moment ago
                }
                if (holder == null || gone.test(holder)) {
                    return arrive(room, view, member, holder, null, null, maxPeers);
                }
                // Messages for the member wait in its mailbox until it is here for good, behind what it missed.
                Outbox connection = mailbox.live();
                mailbox.detach(connection);
                arrival = new Arrival(member, holder, connection);
                view.await(arrival);
                topics.publish(holder, GridMessage.handOver(room, peer.peer(), serial, received));
            }
            arrival.await(ANSWER_WAIT);
            synchronized (view) {
                if (arrival.decide(Arrival.Outcome.LOST)) {
                    LOG.info(() -> "Node " + arrival.from() + " did not hand over a member within " + ANSWER_WAIT + "; it resumes with lost");
                }
                if (arrival.outcome() == Arrival.Outcome.REFUSED) {
                    view.settle(arrival);
                    views.retireIfEmpty(room, view);
                    return new JoinResult.Taken();
                }
                if (arrival.outcome() == Arrival.Outcome.LOST) {
                    view.settle(arrival);
                }
                return arrive(room, view, member, arrival.from(), arrival.outcome() == Arrival.Outcome.HANDED ? arrival : null,
                        arrival.connection(), maxPeers);
            }
        }
    }

    /**
     * Puts the member on the roster here, in its place when the roster still names {@code holder} for
     * it, else at the end (it was announced as gone: it joins again). {@code arrival}: present when
     * its old node handed it over; {@code connection}: the one to attach its mailbox to, when it waited.
     * The caller holds the view.
     */
    private JoinResult arrive(String room, RoomView view, Member member, String holder, Arrival arrival, Outbox connection,
                              int maxPeers) {
        String id = member.id();
        Rosters.Change change;
        try {
            change = rosters.update(room, roster -> {
                int at = roster.indexOf(id);
                if (at >= 0) {
                    return Objects.equals(roster.node(at), holder) ? roster.movedTo(at, self) : null;
                }
                return roster.size() >= maxPeers ? null : roster.with(id, self, member.peer().name());
            });
        } catch (RuntimeException e) {
            abandon(room, view, member, arrival);
            throw e;
        }
        Roster before = change.before();
        Roster after = change.after();
        if (after == null) {
            abandon(room, view, member, arrival);
            return before.contains(id) ? new JoinResult.Taken() : new JoinResult.Full(maxPeers);
        }
        topics.switched(room, view.learnAll(before, self));
        if (view.local(id) == null) {
            view.add(member, after.version());
        } else {
            view.joinedAt(member, after.version());
        }
        boolean inPlace = before.contains(id);
        if (inPlace) {
            Set<String> told = new LinkedHashSet<>(after.nodesBut(self));
            if (holder != null) {
                told.remove(holder);
            }
            Set<String> audience = new LinkedHashSet<>(view.audience(after, self));
            if (holder != null && !gone.test(holder)) {
                audience.add(holder);
            }
            topics.publish(audience, GridMessage.moved(room, id, holder, after.version(), told));
            if (arrival != null) {
                arrival.moved(told);
            }
        } else {
            // Taken off the roster meanwhile (its node left the grid and the grace ran out): the others
            // heard it leave, so it joins again, and no old route can bring it anything.
            if (arrival != null) {
                arrival.release();
                view.settle(arrival);
            }
            String announcement = wording.joined(member.peer());
            view.deliver(announcement, member, self);
            topics.publish(view.audience(before, self), GridMessage.joined(room, id, after.version(), announcement));
        }
        if (connection != null && !member.mailbox().reattach(connection, Mailbox.RECEIVED_UNKNOWN)) {
            // More arrived while it moved than a member may miss: as on one node, its membership ends.
            membership.leave(room, member);
            return new JoinResult.Taken();
        }
        routes.progress(view);
        List<Peer> others = (inPlace ? after : before).peers().stream().filter(p -> !p.peer().equals(id)).toList();
        return new JoinResult.Resumed(member, others, arrival == null);
    }

    private void abandon(String room, RoomView view, Member member, Arrival arrival) {
        if (arrival != null) {
            view.settle(arrival);
        }
        view.remove(member);
        views.retireIfEmpty(room, view);
    }

    /**
     * On the node holding a member that resumed on node {@code to}: lets it go if the credential is
     * the latest it issued, and answers with what the member missed; on the grid event thread.
     */
    void release(String room, RoomView view, GridMessage request, String to) {
        String id = request.from();
        Member member = view == null ? null : view.local(id);
        if (member == null || !resumptions.release(member, request.version())) {
            topics.publish(to, GridMessage.handed(room, id, null));
            return;
        }
        Arrival arriving = view.arrival(id);
        String upstream = null;
        if (arriving != null) {
            arriving.release(); // it had just arrived here itself: what is held is its own, in its mailbox
            view.settle(arriving);
            if (arriving.outcome() == Arrival.Outcome.HANDED && !gone.test(arriving.from())) {
                upstream = arriving.from(); // still passing on what reaches it there; this node passes that on in turn
            }
        }
        Outbox previous = member.mailbox().live();
        List<String> missed = member.mailbox().handOver(request.received());
        if (previous != null) {
            previous.supersede();
        }
        if (missed == null) {
            // More was missed than is kept: as on one node, its membership ends and the others hear it.
            topics.publish(to, GridMessage.handed(room, id, null));
            chores.execute(() -> {
                resumptions.forget(member);
                membership.leave(room, member);
            });
            return;
        }
        view.release(member, to, upstream);
        topics.publish(to, GridMessage.handed(room, id, missed));
        LOG.fine(() -> "Handed a member over to node " + to + " with " + missed.size() + " messages");
    }

    /** On the node a member resumes on: the old node's answer; on the grid event thread. */
    void handed(RoomView view, GridMessage answer, String from) {
        Arrival arrival = view == null ? null : view.arrival(answer.from());
        if (arrival == null || !arrival.from().equals(from) || arrival.outcome() != null) {
            return; // the resuming thread gave up waiting
        }
        if (!answer.handedOver()) {
            arrival.decide(Arrival.Outcome.REFUSED);
            return;
        }
        Member member = arrival.member();
        for (String missed : answer.carried()) {
            member.mailbox().send(missed);
        }
        view.add(member, Long.MAX_VALUE);
        // This node's own senders reach the member here from now on, after what the old node still passes on.
        arrival.switched(self, from);
        topics.publish(from, GridMessage.switched(view.room(), member.id(), null));
        arrival.decide(Arrival.Outcome.HANDED);
    }
}
