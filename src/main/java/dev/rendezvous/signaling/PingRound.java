package dev.rendezvous.signaling;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One heartbeat round's pings, spread evenly over a window (the heartbeat gives half the interval
 * while the server is sending messages): one socket a step, as many steps as sockets, or, with
 * more sockets than steps {@link #MIN_STEP_MILLIS} ms apart fit there, a few sockets a step. An
 * empty window pings every socket at once. Each ping costs the server its write and, a moment
 * later, the read of its pong, 60-80 µs of one core. A round that pinged every socket at once left
 * the messages relayed meanwhile waiting behind every pong: with 400 sockets relaying 2,000
 * msgs/s, a burst of late signals (up to 7 ms) each interval. Spread, the pings cost a quiet server
 * more: with 10,000 idle sockets, a step every 5 ms put it at 7.6 % of a core (PeerJS 6.7 % in the
 * same run), a step every 50 ms at 6.0-6.6 %, against 5.1 % for one round at once; the
 * scheduler's thread alone went from 1.3 % to 2.0-2.2 %. Where nothing is relayed, nothing waits
 * behind a burst, so the heartbeat spreads a round only while the server sends messages.
 *
 * @param <T> what is pinged
 */
final class PingRound<T> implements Runnable {

    private static final Logger LOG = Logger.getLogger(PingRound.class.getName());
    /** Steps no closer together than this: each wakes the scheduler, and the selector for its pongs. */
    static final long MIN_STEP_MILLIS = 50;

    /** Runs a step later: in the server, the heartbeat's scheduler. */
    @FunctionalInterface
    interface Later {
        void after(long nanos, Runnable step);
    }

    private final List<T> due;
    private final Consumer<T> ping;
    private final Later later;
    private final int perStep;
    private final long stepNanos;
    private int next;

    private PingRound(List<T> due, Consumer<T> ping, Later later, int perStep, long stepNanos) {
        this.due = due;
        this.ping = ping;
        this.later = later;
        this.perStep = perStep;
        this.stepNanos = stepNanos;
    }

    /**
     * Pings the first step of {@code due} now and leaves the rest to {@code later}, the last step
     * within {@code spreadOverMillis}; all of {@code due} now when fewer than two steps fit in it.
     */
    static <T> void start(List<T> due, long spreadOverMillis, Consumer<T> ping, Later later) {
        if (due.isEmpty()) {
            return;
        }
        long window = TimeUnit.MILLISECONDS.toNanos(spreadOverMillis);
        long mostSteps = Math.max(1, window / TimeUnit.MILLISECONDS.toNanos(MIN_STEP_MILLIS));
        int perStep = (int) ((due.size() + mostSteps - 1) / mostSteps);
        int steps = (due.size() + perStep - 1) / perStep;
        new PingRound<>(due, ping, later, perStep, window / steps).run();
    }

    /** One step; runs on one thread at a time, each step scheduled only once the one before is done. */
    @Override
    public void run() {
        int end = Math.min(due.size(), next + perStep);
        while (next < end) {
            try {
                ping.accept(due.get(next++));
            } catch (RuntimeException e) {
                // One socket's failure must not cost the others their ping.
                LOG.log(Level.WARNING, "A ping failed; the round goes on", e);
            }
        }
        if (next < due.size()) {
            later.after(stepNanos, this);
        }
    }
}
