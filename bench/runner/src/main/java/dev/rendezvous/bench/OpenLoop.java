package dev.rendezvous.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * A fixed offered rate, whatever happens to what is sent: each message is due at a fixed time
 * and goes out then, or at once if the generator is behind, never later to make room for a slow
 * reply. Latency is measured from when a message was due, not from when it went out, so a stall
 * anywhere (generator included) shows in the figures instead of quietly lowering the rate
 * ("coordinated omission").
 */
final class OpenLoop {

    /** Hands message {@code seq}, due at {@code dueAt} (System.nanoTime), to a socket without waiting for it. */
    interface Sender {
        void send(int seq, long dueAt);
    }

    private OpenLoop() {
    }

    /**
     * Sends messages {@code first} to {@code end - 1} from this thread, {@code perSecond} of them a
     * second starting now, and returns how late it began to send each: the generator's own share
     * of the latencies.
     */
    static Latencies run(int first, int end, int perSecond, Sender sender) {
        Latencies lateness = new Latencies();
        long start = System.nanoTime();
        for (int seq = first; seq < end; seq++) {
            long dueAt = start + (long) ((seq - first) * 1e9 / perSecond);
            long early;
            while ((early = dueAt - System.nanoTime()) > 0) {
                LockSupport.parkNanos(early);
            }
            lateness.record(System.nanoTime() - dueAt);
            sender.send(seq, dueAt);
        }
        return lateness;
    }
}
