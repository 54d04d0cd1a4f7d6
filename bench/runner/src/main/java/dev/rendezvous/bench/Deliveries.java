package dev.rendezvous.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What arrived of one run's numbered messages: each number counted once (a second copy is a
 * duplicate), and its latency recorded if it was due after the warm-up. Fed from the WebSocket
 * client's threads.
 */
final class Deliveries {

    private final AtomicIntegerArray copies;
    private final int firstMeasured;
    private final Latencies latencies = new Latencies();
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicInteger duplicated = new AtomicInteger();
    private final AtomicInteger misrouted = new AtomicInteger();
    /** When each message was due and how long it took, by number (0 until it arrived): for {@link #trace}. */
    private final AtomicLongArray dueAt;
    private final AtomicLongArray took;

    Deliveries(int total, int firstMeasured) {
        this.copies = new AtomicIntegerArray(total);
        this.firstMeasured = firstMeasured;
        this.dueAt = new AtomicLongArray(total);
        this.took = new AtomicLongArray(total);
    }

    /** Message {@code seq}, due at {@code dueAt}, arrived at {@code arrivedAt}; {@code expected} if it reached the member it was sent to. */
    void arrived(int seq, long dueAt, long arrivedAt, boolean expected) {
        if (!expected || seq < 0 || seq >= copies.length()) {
            misrouted.incrementAndGet();
            return;
        }
        if (copies.incrementAndGet(seq) > 1) {
            duplicated.incrementAndGet();
            return;
        }
        distinct.incrementAndGet();
        if (seq >= firstMeasured) {
            latencies.record(arrivedAt - dueAt);
            this.dueAt.set(seq, dueAt);
            took.set(seq, arrivedAt - dueAt);
        }
    }

    int total() {
        return copies.length();
    }

    int delivered() {
        return distinct.get();
    }

    int lost() {
        return total() - delivered();
    }

    int duplicated() {
        return duplicated.get();
    }

    int misrouted() {
        return misrouted.get();
    }

    /**
     * The measured messages that arrived, in the order they were due, as lines of when each was due
     * (ms after the first measured one was) and its latency (ms), tab-separated, under a line that
     * says when the first was due (UTC).
     */
    String trace() {
        StringBuilder lines = new StringBuilder("due_ms\tlatency_ms\n");
        long first = -1;
        long wallNanos = Duration.between(Instant.EPOCH, Instant.now()).toNanos();
        long clockOffset = wallNanos - System.nanoTime();
        for (int seq = firstMeasured; seq < copies.length(); seq++) {
            if (copies.get(seq) == 0) {
                continue;
            }
            long due = dueAt.get(seq);
            if (first < 0) {
                first = due;
                lines.insert(0, "# first due at " + Instant.EPOCH.plusNanos(due + clockOffset) + "\n");
            }
            lines.append(String.format(Locale.ROOT, "%.3f\t%.3f%n", (due - first) / 1e6, took.get(seq) / 1e6));
        }
        return lines.toString();
    }

    /** Latencies of the messages due after the warm-up. */
    Latencies latencies() {
        return latencies;
    }
}
