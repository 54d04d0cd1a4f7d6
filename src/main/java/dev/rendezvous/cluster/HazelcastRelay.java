package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.PeerId;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Removal;
import dev.rendezvous.room.RoomName;

import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay of a cluster: members of one room may sit on different nodes of a Hazelcast data grid
 * and signal each other as if on one. A room's roster is one entry of a grid map; each node keeps
 * a {@link RoomView} of the rooms it holds members of, delivers to its own members directly, and
 * sends a {@link GridMessage} on the {@link NodeTopics topic} of each other node concerned, whose
 * {@link GridInbox} applies it. Sessions never cross the grid: an administrator's removal of a member
 * held by another node is sent to that node the same way, and that node ends it. {@link DepartedNodes}
 * ends the members of a node that leaves the grid.
 *
 * <p>Order: a sender's messages to members of its own node are delivered in its thread; to another
 * node they travel on that node's one topic, whose messages from one publisher arrive in the order
 * published and are handled one at a time (Hazelcast runs one topic's events on one event thread).
 *
 * <p>Longer than most classes here because it is all of {@link Relay} over the grid, and its one
 * locking rule (each operation holds its room's view; join and leave hold it across the grid
 * update) reads best in one place.
 */
public final class HazelcastRelay implements Relay {

    private static final Logger LOG = Logger.getLogger(HazelcastRelay.class.getName());

    private final HazelcastInstance grid;
    private final Wording wording;
    private final String self;
    private final Rosters rosters;
    private final RoomViews views = new RoomViews();
    private final NodeTopics topics;
    /** Work that waits for the grid, kept off the grid's event threads: sweeps of departed nodes, removals. */
    private final ExecutorService chores = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "rendezvous-grid-chores");
        thread.setDaemon(true);
        return thread;
    });
    private final DepartedNodes departures;
    private volatile boolean closed;

    private HazelcastRelay(HazelcastInstance grid, Wording wording) {
        this.grid = grid;
        this.wording = wording;
        this.self = grid.getCluster().getLocalMember().getUuid().toString();
        this.rosters = new Rosters(grid);
        this.topics = new NodeTopics(grid, self);
        this.departures = new DepartedNodes(grid, rosters, views, topics, wording, chores);
        // Last, with every field set: the grid's event threads may call in at once.
        topics.listen(new GridInbox(views, chores, this::removeHere));
        departures.listen();
    }

    /**
     * A relay over {@code grid}, a {@code HazelcastInstance} typed as {@code Object} so that
     * callers compile and link on servers without Hazelcast.
     */
    public static Relay start(Object grid, Wording wording) {
        return new HazelcastRelay((HazelcastInstance) grid, wording);
    }

    @Override
    public JoinResult join(RoomName name, String displayName, Mailbox mailbox, int maxPeers, int maxRooms) {
        String room = name.value();
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
                view.learnAll(before, self);
                view.add(member, change.after().version());
                String announcement = wording.joined(member.peer());
                view.deliver(announcement, member);
                topics.publish(before.nodesBut(self), GridMessage.joined(room, member.id(), change.after().version(), announcement));
                if (before.isEmpty()) {
                    LOG.info(() -> "Room opened: " + room);
                }
                return new JoinResult.Joined(member, before.peers());
            }
        }
    }

    @Override
    public boolean leave(RoomName room, Member member) {
        return leave(room.value(), member);
    }

    private boolean leave(String room, Member member) {
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
            view.deliver(departure, null);
            try {
                Rosters.Change change = rosters.update(room, roster -> roster.without(member.id()));
                if (change.after() != null) {
                    topics.publish(change.after().nodesBut(self), GridMessage.left(room, member.id(), change.after().version(), departure));
                    if (change.after().isEmpty()) {
                        LOG.info(() -> "Room closed: " + room);
                    }
                }
            } catch (RuntimeException e) {
                // The grid is going (this server stops): the other nodes end this node's members when it is gone.
                LOG.log(Level.FINE, "Could not tell the grid that a member left", e);
            }
            return true;
        }
    }

    @Override
    public void toOthers(RoomName name, Member from, String message) {
        String room = name.value();
        RoomView view = views.get(room);
        if (view == null) {
            return;
        }
        synchronized (view) {
            view.deliver(message, from);
            topics.publish(view.nodes(), GridMessage.signal(room, from.id(), null, message));
        }
    }

    @Override
    public boolean toMember(RoomName name, Member from, String to, String message) {
        String room = name.value();
        RoomView view = views.get(room);
        if (view == null) {
            return false;
        }
        synchronized (view) {
            Member local = view.local(to);
            if (local != null) {
                if (local == from) {
                    return false;
                }
                local.mailbox().send(message);
                return true;
            }
            String node = view.nodeOf(to);
            if (node == null) {
                return false;
            }
            topics.publish(node, GridMessage.signal(room, from.id(), to, message));
            return true;
        }
    }

    @Override
    public boolean remove(RoomName name, String peerId, Removal why) {
        String room = name.value();
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
        for (int i = 0; i < roster.size(); i++) {
            if (roster.id(i).equals(peerId)) {
                if (roster.node(i).equals(self)) {
                    return false; // left this node a moment ago
                }
                topics.publish(roster.node(i), GridMessage.remove(room, peerId, why));
                return true;
            }
        }
        return false;
    }

    /** Ends the membership of a member of this node: the others hear it left, then its connection ends. */
    private boolean removeHere(String room, Member member, Removal why) {
        if (!leave(room, member)) {
            return false;
        }
        member.mailbox().end(why);
        return true;
    }

    @Override
    public SortedMap<String, Integer> occupancy() {
        return rosters.sizes();
    }

    @Override
    public List<Peer> peers(RoomName room) {
        return rosters.get(room.value()).peers();
    }

    @Override
    public int roomCount() {
        return views.count();
    }

    @Override
    public int[] membersPerRoom() {
        return views.membersPerRoom();
    }

    @Override
    public boolean ready() {
        return !closed && grid.getLifecycleService().isRunning();
    }

    @Override
    public void close() {
        closed = true;
        topics.close();
        departures.close();
        chores.shutdownNow();
    }

    @Override
    public String toString() {
        return "Hazelcast data grid, node " + self + ", " + grid.getCluster().getMembers().size() + " members";
    }
}
