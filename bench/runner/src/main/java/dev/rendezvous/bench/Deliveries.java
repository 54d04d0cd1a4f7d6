package dev.rendezvous.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

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

    Deliveries(int total, int firstMeasured) {
        this.copies = new AtomicIntegerArray(total);
        this.firstMeasured = firstMeasured;
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

    /** Latencies of the messages due after the warm-up. */
    Latencies latencies() {
        return latencies;
    }
}
