package dev.rendezvous.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay of a cluster: members of one room may sit on different nodes of a Hazelcast data grid
 * and signal each other as if on one. A room's roster is one entry of a grid map; each node keeps
 * a {@link RoomView} of the rooms it holds members of, delivers to its own members directly, and
 * sends {@code {kind, room, from, to, version, envelope}} on the topic of each other node concerned.
 * Sessions never cross the grid: an administrator's removal of a member held by another node is sent
 * to that node the same way ({@code envelope} naming the {@link Removal}), and that node ends it.
 *
 * <p>Order: a sender's messages to members of its own node are delivered in its thread; to another
 * node they travel on that node's one topic, whose messages from one publisher arrive in the order
 * published and are handled one at a time (Hazelcast runs one topic's events on one event thread).
 */
public final class HazelcastRelay implements Relay, MessageListener<String[]>, MembershipListener {

    static final String NODE_TOPIC = "rendezvous-node-";
    private static final Logger LOG = Logger.getLogger(HazelcastRelay.class.getName());
    private static final String JOINED = "j";
    private static final String LEFT = "l";
    private static final String SIGNAL = "s";
    /** {@code to} is removed by an administrator; the text is the {@link Removal}'s name. */
    private static final String REMOVE = "r";

    private final HazelcastInstance grid;
    private final Wording wording;
    private final String self;
    private final Rosters rosters;
    private final ConcurrentHashMap<String, RoomView> views = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ITopic<String[]>> topics = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** Work that waits for the grid, kept off the grid's event threads: sweeps of departed nodes, removals. */
    private final ExecutorService chores = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "rendezvous-grid-chores");
        thread.setDaemon(true);
        return thread;
    });
    private final UUID topicRegistration;
    private final UUID membershipRegistration;
    private volatile boolean closed;

    private HazelcastRelay(HazelcastInstance grid, Wording wording) {
        this.grid = grid;
        this.wording = wording;
        this.self = grid.getCluster().getLocalMember().getUuid().toString();
        this.rosters = new Rosters(grid);
        this.topicRegistration = topic(self).addMessageListener(this);
        this.membershipRegistration = grid.getCluster().addMembershipListener(this);
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
            RoomView view = views.computeIfAbsent(room, key -> open.incrementAndGet() > maxRooms ? null : new RoomView());
            if (view == null) {
                open.decrementAndGet();
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
                    retireIfEmpty(room, view);
                    throw e;
                }
                if (change.after() == null) {
                    retireIfEmpty(room, view);
                    return new JoinResult.Full(maxPeers);
                }
                Roster before = change.before();
                view.learnAll(before, self);
                view.add(member, change.after().version());
                String announcement = wording.joined(member.peer());
                view.deliver(announcement, member);
                publish(before.nodesBut(self), JOINED, room, member.id(), null, change.after().version(), announcement);
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
            retireIfEmpty(room, view);
            String departure = wording.left(member.id());
            view.deliver(departure, null);
            try {
                Rosters.Change change = rosters.update(room, roster -> roster.without(member.id()));
                if (change.after() != null) {
                    publish(change.after().nodesBut(self), LEFT, room, member.id(), null, change.after().version(), departure);
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
            publish(view.nodes(), SIGNAL, room, from.id(), null, 0, message);
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
            topic(node).publish(new String[] {SIGNAL, room, from.id(), to, "0", message});
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
                topic(roster.node(i)).publish(new String[] {REMOVE, room, null, peerId, "0", why.name()});
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
        return views.size();
    }

    @Override
    public int[] membersPerRoom() {
        return views.values().stream().mapToInt(view -> {
            synchronized (view) {
                return view.size();
            }
        }).filter(size -> size > 0).toArray();
    }

    @Override
    public boolean ready() {
        return !closed && grid.getLifecycleService().isRunning();
    }

    /** A message another node addressed to members of this one; runs on the topic's event thread. */
    @Override
    public void onMessage(Message<String[]> message) {
        String[] fields = message.getMessageObject();
        String kind = fields[0];
        String room = fields[1];
        String from = fields[2];
        String to = fields[3];
        String text = fields[5];
        RoomView view = views.get(room);
        if (view == null) {
            return; // nobody here any more
        }
        synchronized (view) {
            switch (kind) {
                case SIGNAL -> {
                    if (to == null) {
                        view.deliver(text, null);
                    } else {
                        Member target = view.local(to);
                        if (target != null) {
                            target.mailbox().send(text);
                        }
                    }
                }
                case JOINED -> {
                    view.learn(from, message.getPublishingMember().getUuid().toString());
                    view.deliverToEarlier(text, Long.parseLong(fields[4]));
                }
                case LEFT -> {
                    if (view.forget(from)) {
                        view.deliverToEarlier(text, Long.parseLong(fields[4]));
                    }
                }
                case REMOVE -> {
                    Member target = view.local(to);
                    Removal why = removal(text);
                    if (target != null && why != null) {
                        // Off the event thread: leaving changes the roster on the grid, and waits for it.
                        chores.execute(() -> removeHere(room, target, why));
                    }
                }
                default -> LOG.warning(() -> "Unknown grid message kind " + kind + "; a node of another version?");
            }
        }
    }

    private static Removal removal(String name) {
        for (Removal why : Removal.values()) {
            if (why.name().equals(name)) {
                return why;
            }
        }
        LOG.warning(() -> "Unknown removal " + name + "; a node of another version?");
        return null;
    }

    /**
     * A node left the grid (stopped, or killed and no longer heard): its members are gone. Each
     * node tells its own members; the oldest node also takes them off the rosters.
     */
    @Override
    public void memberRemoved(MembershipEvent event) {
        String gone = event.getMember().getUuid().toString();
        rosters.departed(gone);
        for (RoomView view : views.values()) {
            synchronized (view) {
                for (String id : view.forgetNode(gone)) {
                    view.deliver(wording.left(id), null);
                }
            }
        }
        topics.remove(gone);
        if (event.getCluster().getMembers().iterator().next().localMember()) {
            chores.execute(() -> sweep(gone));
        }
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        LOG.info(() -> "Data grid member joined: " + event.getMember() + "; " + event.getMembers().size() + " members");
    }

    /** Takes a departed node's members off every roster (the others' joins and leaves would, but only for their rooms). */
    private void sweep(String gone) {
        try {
            rosters.sweep();
            grid.getTopic(NODE_TOPIC + gone).destroy();
            LOG.info(() -> "Node " + gone + " left the grid; its members are off every roster");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take a departed node's members off the rosters", e);
        }
    }

    private void retireIfEmpty(String room, RoomView view) {
        if (view.isEmpty() && !view.retired) {
            view.retired = true;
            views.remove(room, view);
            open.decrementAndGet();
        }
    }

    private void publish(Iterable<String> nodes, String kind, String room, String from, String to, long version, String text) {
        String[] fields = null;
        for (String node : nodes) {
            if (fields == null) {
                fields = new String[] {kind, room, from, to, Long.toString(version), text};
            }
            topic(node).publish(fields);
        }
    }

    private ITopic<String[]> topic(String node) {
        return topics.computeIfAbsent(node, key -> grid.getTopic(NODE_TOPIC + key));
    }

    @Override
    public void close() {
        closed = true;
        topic(self).removeMessageListener(topicRegistration);
        grid.getCluster().removeMembershipListener(membershipRegistration);
        chores.shutdownNow();
    }

    @Override
    public String toString() {
        return "Hazelcast data grid, node " + self + ", " + grid.getCluster().getMembers().size() + " members";
    }
}
