package dev.rendezvous.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Ends the memberships of a node that left the grid (stopped, or killed and no longer heard), unless
 * they resumed elsewhere: its members keep their places for the resume grace, as a dropped member
 * does on one node; then each node takes those still on the departed node off the rosters of the
 * rooms it holds members of (the oldest node: of every room), and whichever does so tells the others.
 * One compare-and-set per roster decides, so each departure is announced once.
 *
 * <p>A little over the usual length: noticing a departure, the grace and the sweep after it are one story.
 */
final class DepartedNodes implements MembershipListener {

    private static final Logger LOG = Logger.getLogger(DepartedNodes.class.getName());

    private final HazelcastInstance grid;
    private final Rosters rosters;
    private final RoomViews views;
    private final NodeTopics topics;
    private final GridMembership membership;
    private final ScheduledExecutorService chores;
    private final Duration grace;
    private Routes routes;
    /**
     * Nodes that left the grid and are not settled yet, and when this node heard (System.nanoTime);
     * member UUIDs are never reused.
     */
    private final ConcurrentHashMap<String, Long> departed = new ConcurrentHashMap<>();
    private UUID registration;

    /**
     * {@code membership} announces who left; {@code chores} runs what must wait for the grid, which
     * the event thread must not; {@code grace} is the resume grace.
     */
    DepartedNodes(HazelcastInstance grid, Rosters rosters, RoomViews views, NodeTopics topics, GridMembership membership,
                  ScheduledExecutorService chores, Duration grace) {
        this.grid = grid;
        this.rosters = rosters;
        this.views = views;
        this.topics = topics;
        this.membership = membership;
        this.chores = chores;
        this.grace = grace;
    }

    /** Starts hearing of nodes that join and leave, on the grid's event thread. */
    void listen(Routes moves) {
        this.routes = moves;
        registration = grid.getCluster().addMembershipListener(this);
    }

    void close() {
        grid.getCluster().removeMembershipListener(registration);
    }

    /** Whether {@code node} has left the grid (or is not a member of it). */
    boolean gone(String node) {
        if (departed.containsKey(node)) {
            return true;
        }
        for (Member member : grid.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(node)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        String gone = event.getMember().getUuid().toString();
        departed.put(gone, System.nanoTime());
        for (RoomView view : views.all()) {
            synchronized (view) {
                routes.departed(view, gone);
            }
        }
        LOG.info(() -> "Node " + gone + " left the grid; its members that do not resume elsewhere within "
                + grace.toSeconds() + " s leave");
        chores.schedule(this::settle, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        LOG.info(() -> "Data grid member joined: " + event.getMember() + "; " + event.getMembers().size() + " members");
    }

    /** Takes the members still on nodes that left more than the grace ago off the rosters, and announces them. */
    private void settle() {
        long now = System.nanoTime();
        Set<String> due = departed.entrySet().stream().filter(entry -> now - entry.getValue() >= grace.toNanos())
                .map(java.util.Map.Entry::getKey).collect(Collectors.toSet());
        if (due.isEmpty()) {
            return;
        }
        try {
            for (RoomView view : views.all()) {
                synchronized (view) {
                    if (!view.retired) {
                        sweep(view.room(), view, due);
                    }
                }
            }
            if (grid.getCluster().getMembers().iterator().next().localMember()) {
                for (String room : rosters.rooms()) {
                    if (views.get(room) == null) {
                        sweep(room, null, due);
                    }
                }
                due.forEach(topics::destroy);
            }
            // Settled: a later departure need not sweep for these again (gone() asks the grid instead).
            for (String node : due) {
                departed.remove(node);
                topics.forget(node);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take a departed node's members off the rosters; the next departure retries", e);
        }
    }

    /** One room: whoever writes the roster without them tells everyone else; {@code view} may be null. */
    private void sweep(String room, RoomView view, Set<String> due) {
        Rosters.Change change = rosters.update(room, roster -> roster.withoutNodes(due));
        Roster after = change.after();
        if (after == null) {
            return; // nothing of theirs here, or another node was first
        }
        Roster before = change.before();
        for (int i = 0; i < before.size(); i++) {
            if (due.contains(before.node(i))) {
                membership.announceLeft(room, view, after, before.id(i));
            }
        }
        if (after.isEmpty()) {
            LOG.fine(() -> "Room closed: " + room);
        }
        LOG.info(() -> (before.size() - after.size()) + " members of departed nodes left " + room);
    }
}
