package dev.rendezvous.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A member that moved from this node to another: what still reaches it here is passed on to its new
 * node, in the order it came, until every node that could still route it here has switched its
 * route. Not thread-safe: its room view's monitor guards it.
 */
final class Forwarding {

    private final String to;
    private final long joinedAt;
    private final long started = System.nanoTime();
    private final Set<String> switched = new HashSet<>();
    /** The nodes the new node told of the move; null until it has (with the new roster). */
    private Set<String> expected;
    /**
     * The node the member moved here from a moment before, still passing on what reaches it there;
     * null when none. What it passes on comes here, so this node passes it on in turn until it is done.
     */
    private String upstream;

    /**
     * @param joinedAt the roster version the member joined at, for the presence it is owed
     * @param upstream the node still passing the member's messages on to this one, or null
     */
    Forwarding(String to, long joinedAt, String upstream) {
        this.to = to;
        this.joinedAt = joinedAt;
        this.upstream = upstream;
    }

    String to() {
        return to;
    }

    /** Whether a signal {@code origin} sent the whole room is owed to the member: the node still routed it here. */
    boolean carries(String origin) {
        return !switched.contains(origin);
    }

    /** Whether presence {@code origin} announced at roster {@code version} is owed to the member, as it would be here. */
    boolean carries(String origin, long version) {
        return carries(origin) && version > joinedAt;
    }

    void switched(String node) {
        switched.add(node);
    }

    /** {@code node} passes on nothing more for the member: its own forwarding ended, or it left the grid. */
    void passedOn(String node) {
        if (node.equals(upstream)) {
            upstream = null;
        }
    }

    /** The new node has the member on the roster and told these nodes. */
    void expect(Set<String> nodes) {
        expected = new HashSet<>(nodes);
    }

    /** Whether every node told of the move has switched, and the upstream node is done: nothing more can come here for the member. */
    boolean settled() {
        return expected != null && upstream == null && switched.containsAll(expected);
    }

    boolean overdue(long now, Duration limit) {
        return now - started > limit.toNanos();
    }
}
