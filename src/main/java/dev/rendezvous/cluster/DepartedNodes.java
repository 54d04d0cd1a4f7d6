package dev.rendezvous.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.rendezvous.room.Relay;

import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the memberships of a node that left the grid (stopped, or killed and no longer heard): each
 * node tells its own members they left, and the oldest node takes them off every roster.
 */
final class DepartedNodes implements MembershipListener {

    private static final Logger LOG = Logger.getLogger(DepartedNodes.class.getName());

    private final HazelcastInstance grid;
    private final Rosters rosters;
    private final RoomViews views;
    private final NodeTopics topics;
    private final Relay.Wording wording;
    private final Executor chores;
    private UUID registration;

    /** {@code chores} runs what must wait for the grid, which the event thread must not. */
    DepartedNodes(HazelcastInstance grid, Rosters rosters, RoomViews views, NodeTopics topics, Relay.Wording wording,
            Executor chores) {
        this.grid = grid;
        this.rosters = rosters;
        this.views = views;
        this.topics = topics;
        this.wording = wording;
        this.chores = chores;
    }

    /** Starts hearing of nodes that join and leave, on the grid's event thread. */
    void listen() {
        registration = grid.getCluster().addMembershipListener(this);
    }

    void close() {
        grid.getCluster().removeMembershipListener(registration);
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        String gone = event.getMember().getUuid().toString();
        rosters.departed(gone);
        for (RoomView view : views.all()) {
            synchronized (view) {
                for (String id : view.forgetNode(gone)) {
                    view.deliver(wording.left(id), null);
                }
            }
        }
        topics.forget(gone);
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
            topics.destroy(gone);
            LOG.info(() -> "Node " + gone + " left the grid; its members are off every roster");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take a departed node's members off the rosters", e);
        }
    }
}
