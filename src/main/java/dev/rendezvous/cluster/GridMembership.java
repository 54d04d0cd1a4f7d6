package dev.rendezvous.cluster;

import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.PeerId;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Removal;

import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Changes who is in a room across the grid: a join or leave is one compare-and-set of the room's
 * {@link Roster} made while holding the room's {@link RoomView}; a removal ends in a leave on the
 * node that holds the member, or, when that node has left the grid, takes the member off the roster
 * here, as {@link DepartedNodes} would once the grace ran out.
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
    private final RemovedMembers removed;
    private final Predicate<String> gone;

    /** {@code gone}: whether a node has left the grid. */
    GridMembership(String self, Rosters rosters, RoomViews views, NodeTopics topics, Relay.Wording wording, RemovedMembers removed,
                   Predicate<String> gone) {
        this.self = self;
        this.rosters = rosters;
        this.views = views;
        this.topics = topics;
        this.wording = wording;
        this.removed = removed;
        this.gone = gone;
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
     * Ends a member's membership for good wherever it is held: here at once; on another node by a
     * message that node acts on, as sessions never cross the grid; of a node that left the grid, here,
     * by taking it off the roster. Its credentials stop working on every node ({@link RemovedMembers}).
     * False when no such member is in the room. Waits for the grid.
     */
    boolean remove(String room, String peerId, Removal why) {
        // A member may move between the roster read and the removal: at most a few moves are followed.
        for (int attempt = 0; attempt < 3; attempt++) {
            RoomView view = views.get(room);
            if (view != null) {
                Member local;
                synchronized (view) {
                    local = view.local(peerId);
                }
                if (local != null) {
                    removed.mark(room, peerId);
                    if (removeHere(room, local, why)) {
                        return true;
                    }
                    continue; // it left, or moved away, meanwhile
                }
            }
            Roster roster = rosters.get(room);
            int at = roster.indexOf(peerId);
            if (at < 0 || roster.node(at).equals(self)) {
                return false; // not in the room, or left (or moved away from) this node a moment ago
            }
            String holder = roster.node(at);
            removed.mark(room, peerId);
            if (!gone.test(holder)) {
                topics.publish(holder, GridMessage.remove(room, peerId, why));
                return true;
            }
            if (takeOff(room, peerId, holder)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a member that node {@code holder}, gone from the grid, held off the roster, and tells
     * everyone it left; false if the roster no longer names that node for it (it resumed elsewhere,
     * or the grace ran out).
     */
    private boolean takeOff(String room, String id, String holder) {
        RoomView view = views.get(room);
        if (view == null) {
            return takeOff(room, null, id, holder);
        }
        synchronized (view) {
            return takeOff(room, view.retired ? null : view, id, holder);
        }
    }

    /** The same, {@code view} (may be null) held by the caller. */
    private boolean takeOff(String room, RoomView view, String id, String holder) {
        Rosters.Change change = rosters.update(room, roster -> {
            int at = roster.indexOf(id);
            return at >= 0 && roster.node(at).equals(holder) ? roster.without(id) : null;
        });
        if (change.after() == null) {
            return false;
        }
        announceLeft(room, view, change.after(), id);
        LOG.info(() -> "A member of departed node " + holder + " was removed from " + room);
        return true;
    }

    /**
     * Tells everyone that member {@code id}, of another node, left: this node's members of the room
     * ({@code view}, held by the caller; may be null when it has none) and the other nodes
     * {@code after}, the roster without it, names.
     */
    void announceLeft(String room, RoomView view, Roster after, String id) {
        String departure = wording.left(id);
        if (view != null) {
            view.forget(id);
            view.deliver(departure, null, self);
        }
        topics.publish(view == null ? after.nodesBut(self) : view.audience(after, self),
                GridMessage.left(room, id, after.version(), departure));
    }

    /** Whether an administrator removed this member of {@code room}: then it resumes nowhere. Waits for the grid. */
    boolean removed(String room, String id) {
        return removed.marked(room, id);
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
