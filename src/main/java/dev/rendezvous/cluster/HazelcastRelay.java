package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Removal;
import dev.rendezvous.room.Resumptions;
import dev.rendezvous.room.RoomName;

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay of a cluster: members of one room may sit on different nodes of a Hazelcast data grid
 * and signal each other as if on one. Each node keeps a {@link RoomView} of the rooms it holds
 * members of, delivers to its own members directly, and sends a {@link GridMessage} on the
 * {@link NodeTopics topic} of each other node concerned, whose {@link GridInbox} applies it.
 * {@link GridMembership} changes the rooms' rosters on the grid; {@link Handovers} moves a member
 * that resumes on another node there, and {@link Routes} keeps messages to it in order meanwhile;
 * {@link DepartedNodes} ends the members of a node that leaves the grid, unless they resume
 * elsewhere within the grace. Sessions never cross the grid.
 *
 * <p>Order: a sender's messages to members of its own node are delivered in its thread; to another
 * node they travel on that node's one topic, whose messages from one publisher arrive in the order
 * published and are handled one at a time (Hazelcast runs one topic's events on one event thread).
 * Each operation holds its room's view while it delivers or publishes, as {@link GridInbox} does
 * while it applies.
 *
 * <p>Over the usual length: it is the {@link Relay} the rest of the server sees, and each of that
 * interface's operations is a few lines here that hand the work to the classes above.
 */
public final class HazelcastRelay implements Relay {

    private static final Logger LOG = Logger.getLogger(HazelcastRelay.class.getName());
    private static final String SHUTDOWN_HOOK = "hazelcast.shutdownhook.enabled";

    private final HazelcastInstance grid;
    private final String self;
    private final Rosters rosters;
    private final RoomViews views = new RoomViews();
    private final NodeTopics topics;
    /** Work that waits for the grid, or for time, kept off the grid's event threads: departed nodes, removals, moves. */
    private final ScheduledExecutorService chores = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rendezvous-grid-chores");
        thread.setDaemon(true);
        return thread;
    });
    private final GridMembership membership;
    private final Routes routes;
    private final Handovers handovers;
    private final DepartedNodes departures;
    private volatile boolean closed;

    private HazelcastRelay(HazelcastInstance grid, Wording wording, Resumptions resumptions, Duration grace) {
        this.grid = grid;
        this.self = grid.getCluster().getLocalMember().getUuid().toString();
        this.rosters = new Rosters(grid);
        this.topics = new NodeTopics(grid, self);
        this.membership = new GridMembership(self, rosters, views, topics, wording, new RemovedMembers(grid), this::gone);
        this.departures = new DepartedNodes(grid, rosters, views, topics, membership, chores, grace);
        this.routes = new Routes(self, views, topics);
        this.handovers = new Handovers(self, rosters, views, topics, wording, resumptions, membership, routes, departures::gone,
                chores);
        // Last, with every field set: the grid's event threads may call in at once.
        topics.listen(new GridInbox(views, chores, membership, handovers, routes));
        departures.listen(routes);
        chores.scheduleWithFixedDelay(this::tidy, 1, 1, TimeUnit.SECONDS);
        if (shutdownHookOn(grid)) {
            LOG.warning("Hazelcast's shutdown hook is on: a stopping node leaves the grid before it can hand its members"
                    + " over, and they resume elsewhere with lost (run with -Dhazelcast.shutdownhook.enabled=false)");
        }
    }

    /** Whether {@code node} has left the grid; asked only once the relay runs, every field set. */
    private boolean gone(String node) {
        return departures.gone(node);
    }

    /** Whether Hazelcast's own JVM shutdown hook is on (its default), which ends the grid member as SIGTERM arrives. */
    private static boolean shutdownHookOn(HazelcastInstance grid) {
        String value = grid.getConfig().getProperty(SHUTDOWN_HOOK);
        if (value == null) {
            value = System.getProperty(SHUTDOWN_HOOK);
        }
        return value == null || Boolean.parseBoolean(value.strip());
    }

    /**
     * A relay over {@code grid}, a {@code HazelcastInstance} typed as {@code Object} so that
     * callers compile and link on servers without Hazelcast. {@code resumptions} are this server's,
     * for the members other nodes take over; {@code grace} is how long the members of a node that
     * left the grid keep their places.
     */
    public static Relay start(Object grid, Wording wording, Resumptions resumptions, Duration grace) {
        return new HazelcastRelay((HazelcastInstance) grid, wording, resumptions, grace);
    }

    @Override
    public JoinResult join(RoomName name, String displayName, Mailbox mailbox, int maxPeers, int maxRooms) {
        return membership.join(name.value(), displayName, mailbox, maxPeers, maxRooms);
    }

    @Override
    public JoinResult rejoin(RoomName room, Peer peer, long serial, long received, Mailbox mailbox, int maxPeers, int maxRooms) {
        return handovers.rejoin(room.value(), peer, serial, received, mailbox, maxPeers, maxRooms);
    }

    @Override
    public boolean leave(RoomName room, Member member) {
        return membership.leave(room.value(), member);
    }

    @Override
    public void toOthers(RoomName name, Member from, String message) {
        String room = name.value();
        RoomView view = views.get(room);
        if (view == null) {
            return;
        }
        synchronized (view) {
            if (view.local(from.id()) != from) {
                return;
            }
            view.deliver(message, from, self);
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
            if (view.local(from.id()) != from) {
                return false;
            }
            Member local = view.local(to);
            if (local != null) {
                if (local == from) {
                    return false;
                }
                view.send(local, message, self);
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
        return membership.remove(name.value(), peerId, why);
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
    public void drain(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (views.holdMembers() && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the moves that are over, and lets rooms that only moves kept open go. */
    private void tidy() {
        try {
            for (RoomView view : views.all()) {
                synchronized (view) {
                    if (!view.retired) {
                        routes.progress(view);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Tidying moves failed; the next round runs as usual", e);
        }
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
