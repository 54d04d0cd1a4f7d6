package dev.rendezvous.cluster;

import dev.rendezvous.room.Member;
import dev.rendezvous.room.Outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A member resuming on this node that another node, its old node, still held: from the request to
 * hand it over until no message on its way there can overtake one sent here. Each sender's messages
 * stay in order across the move: the old node hands over what it kept and then passes on what still
 * reaches it; every other node (this one too) sends here directly once its route has switched, and
 * what it sends here before the old node has passed on all it sent there is held back until then.
 *
 * <p>Not thread-safe: its room view's monitor guards it; the resuming thread only waits for the outcome.
 *
 * <p>A little over the usual length: the outcome of the request, the markers still awaited and the
 * messages held back are one state machine.
 */
final class Arrival {

    /** How the old node answered: handed over with what the member missed, refused (credential used), or not at all. */
    enum Outcome { HANDED, REFUSED, LOST }

    /** One node's way to the member: whether it now sends here, whether its old route is drained, and what waits for that. */
    private static final class Route {
        boolean direct;
        boolean drained;
        final List<String> held = new ArrayList<>();
    }

    private final Member member;
    private final String from;
    private final Outbox connection;
    private final long started = System.nanoTime();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Map<String, Route> routes = new HashMap<>();
    /** The nodes that may still route the member to the old node (told of the move); null until it moved. */
    private Set<String> expected;
    private boolean fromDone;
    private boolean released;

    /** {@code member}'s mailbox is detached from {@code connection} until the member is here for good. */
    Arrival(Member member, String from, Outbox connection) {
        this.member = member;
        this.from = from;
        this.connection = connection;
    }

    Member member() {
        return member;
    }

    String id() {
        return member.id();
    }

    /** The node that held the member. */
    String from() {
        return from;
    }

    /** The connection the member resumed on. */
    Outbox connection() {
        return connection;
    }

    /** Settles the outcome once; false when it was settled already (the answer came, or the wait ended). */
    boolean decide(Outcome decided) {
        return outcome.complete(decided);
    }

    /** The outcome; null while the old node has not answered. */
    Outcome outcome() {
        return outcome.getNow(null);
    }

    /** Waits up to {@code wait} for the old node's answer, outside the view's monitor. */
    void await(Duration wait) {
        try {
            outcome.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Decided by the caller: no answer in time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A message for the member from node {@code origin}: delivered now, held until that node's old
     * route is drained, or left alone when the node still routes the member's copies to the old node
     * (which passes them on). {@code addressed}: sent to the member by id, so meant for it here.
     */
    void offer(String origin, String message, boolean addressed) {
        Route route = routes.get(origin);
        if (released || origin.equals(from) || route == null && expected != null && !expected.contains(origin)) {
            // The old node's own stream, or a node that never had a route there
            member.mailbox().send(message);
            return;
        }
        if (route == null) {
            route = new Route();
            routes.put(origin, route);
        }
        if (!route.direct && !addressed) {
            return;
        }
        if (route.drained) {
            member.mailbox().send(message);
        } else {
            route.held.add(message);
        }
    }

    /** {@code node} switched its route here, having sent to {@code oldRoute} before ("" for nowhere). */
    void switched(String node, String oldRoute) {
        Route route = route(node);
        route.direct = true;
        if (!from.equals(oldRoute)) {
            drain(route);
        }
    }

    /** The old node passed on everything {@code node} sent it before switching. */
    void drained(String node) {
        drain(route(node));
    }

    /** The old node passes on nothing more: every node it waited for has switched. */
    void fromDone() {
        fromDone = true;
    }

    /** The roster names this node for the member now, and these other nodes were told. */
    void moved(Set<String> told) {
        expected = new HashSet<>(told);
    }

    /** A node left the grid: nothing more comes from it, so nothing waits for it; nothing at all when it was the old node. */
    void departed(String node) {
        if (node.equals(from)) {
            release();
            return;
        }
        if (expected != null) {
            expected.remove(node);
        }
        Route route = routes.get(node);
        if (route != null) {
            route.direct = true;
            drain(route);
        }
    }

    /** Delivers whatever is held and stops holding: the moment passed, or the old node went. */
    void release() {
        released = true;
        for (Route route : routes.values()) {
            drain(route);
        }
        routes.clear();
    }

    /** Whether nothing is left to order: on the roster here, the old node done, every route direct and drained. */
    boolean settled() {
        if (released) {
            return true;
        }
        if (expected == null || !fromDone || outcome() != Outcome.HANDED) {
            return false;
        }
        for (String node : expected) {
            if (!routes.containsKey(node)) {
                return false;
            }
        }
        for (Route route : routes.values()) {
            if (!route.direct || !route.drained) {
                return false;
            }
        }
        return true;
    }

    boolean overdue(long now, Duration limit) {
        return now - started > limit.toNanos();
    }

    private Route route(String node) {
        return routes.computeIfAbsent(node, key -> new Route());
    }

    private void drain(Route route) {
        route.drained = true;
        for (String message : route.held) {
            member.mailbox().send(message);
        }
        route.held.clear();
    }
}
