package dev.rendezvous.cluster;

import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.PeerId;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Removal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Changes who is in a room across the grid: a join or leave is one compare-and-set of the room's
 * {@link Roster} made while holding the room's {@link RoomView}; a removal ends in a leave on the
 * node that holds the member.
 *
 * <p>Join and leave hold the view across the grid update, so a {@link GridMessage} about the room that
 * arrives meanwhile is applied by {@link GridInbox} (which takes the same monitor) only after the view
 * agrees with the roster it was sent against. A roster read that shows a member on another node than
 * the view thought (it moved) switches the view's route to it, with its markers, before the change
 * is announced.
 */
final class GridMembership {

    private static final Logger LOG = Logger.getLogger(GridMembership.class.getName());

    private final String self;
    private final Rosters rosters;
    private final RoomViews views;
    private final NodeTopics topics;
    private final Relay.Wording wording;

    GridMembership(String self, Rosters rosters, RoomViews views, NodeTopics topics, Relay.Wording wording) {
        this.self = self;
        this.rosters = rosters;
        this.views = views;
        this.topics = topics;
        this.wording = wording;
    }

    JoinResult join(String room, String displayName, Mailbox mailbox, int maxPeers, int maxRooms) {
        Member member = new Member(new Peer(PeerId.fresh().value(), displayName), mailbox);
        while (true) {
            RoomView view = views.open(room, maxRooms);
            if (view == null) {
                return new JoinResult.TooManyRooms(maxRooms);
            }
            // Held across the grid update, so a message about this room that arrives meanwhile is
            // applied after the view has learned the roster it was sent against.
            synchronized (view) {
                if (view.retired) {
                    continue;
                }
                Rosters.Change change;
                try {
                    change = rosters.update(room, roster -> roster.size() >= maxPeers ? null : roster.with(member.id(), self, displayName));
                } catch (RuntimeException e) {
                    views.retireIfEmpty(room, view);
                    throw e;
                }
                if (change.after() == null) {
                    views.retireIfEmpty(room, view);
                    return new JoinResult.Full(maxPeers);
                }
                Roster before = change.before();
                topics.switched(room, view.learnAll(before, self));
                view.add(member, change.after().version());
                String announcement = wording.joined(member.peer());
                view.deliver(announcement, member, self);
                topics.publish(view.audience(before, self), GridMessage.joined(room, member.id(), change.after().version(), announcement));
                if (before.isEmpty()) {
                    LOG.fine(() -> "Room opened: " + room);
                }
                return new JoinResult.Joined(member, before.peers());
            }
        }
    }

    /** False when the member had left already, so leaving twice (close and error) is harmless. */
    boolean leave(String room, Member member) {
        RoomView view = views.get(room);
        if (view == null) {
            return false;
        }
        synchronized (view) {
            if (!view.remove(member)) {
                return false;
            }
            views.retireIfEmpty(room, view);
            String departure = wording.left(member.id());
            view.deliver(departure, null, self);
            try {
                Rosters.Change change = rosters.update(room, roster -> roster.without(member.id()));
                if (change.after() != null) {
                    topics.switched(room, view.learnAll(change.after(), self));
                    topics.publish(view.audience(change.after(), self),
                            GridMessage.left(room, member.id(), change.after().version(), departure));
                    if (change.after().isEmpty()) {
                        LOG.fine(() -> "Room closed: " + room);
                    }
                }
            } catch (RuntimeException e) {
                // The grid is going (this server stops): the other nodes end this node's members when it is gone.
                LOG.log(Level.FINE, "Could not tell the grid that a member left", e);
            }
            return true;
        }
    }

    /**
     * Ends a member's membership wherever it is held: here at once; on another node by a message that
     * node acts on, as sessions never cross the grid. False when no such member is in the room.
     */
    boolean remove(String room, String peerId, Removal why) {
        RoomView view = views.get(room);
        if (view != null) {
            Member local;
            synchronized (view) {
                local = view.local(peerId);
            }
            if (local != null) {
                return removeHere(room, local, why);
            }
        }
        Roster roster = rosters.get(room);
        int at = roster.indexOf(peerId);
        if (at < 0 || roster.node(at).equals(self)) {
            return false; // not in the room, or left (or moved away from) this node a moment ago
        }
        topics.publish(roster.node(at), GridMessage.remove(room, peerId, why));
        return true;
    }

    /**
     * Ends the membership of a member of this node: the others hear it left, then its connection ends.
     * Waits for the grid, so never on a grid event thread.
     */
    boolean removeHere(String room, Member member, Removal why) {
        if (!leave(room, member)) {
            return false;
        }
        member.mailbox().end(why);
        return true;
    }
}
