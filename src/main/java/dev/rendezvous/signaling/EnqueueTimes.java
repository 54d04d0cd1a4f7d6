package dev.rendezvous.signaling;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * When each message waiting in one socket's queue was queued, so the socket's one writer can time
 * it: a small ring of stamps, with no allocation and no lock. Many senders {@link #stamp}, one
 * writer {@link #take}s, and only in the order it takes messages off the queue.
 *
 * <p>A sender claims slot {@code (n-th stamp) % SLOTS} by putting its message there, then writes the
 * time into the same slot; it must queue the message only after {@code stamp} returns, so the
 * writer, which takes it off the queue later, sees the time. A slot still taken (more than
 * {@link #SLOTS} messages waiting) leaves the message unstamped. Senders racing each other may
 * queue in another order than they claimed slots, so the writer finds a message by its identity.
 */
final class EnqueueTimes {

    /** How many waiting messages can carry a stamp at once; a power of two. */
    static final int SLOTS = 64;
    /** What {@link #take} answers for a message without a stamp. */
    static final long NONE = Long.MIN_VALUE;

    private final AtomicReferenceArray<String> messages = new AtomicReferenceArray<>(SLOTS);
    private final long[] times = new long[SLOTS];
    private final AtomicInteger stamped = new AtomicInteger();
    /** Messages taken so far; read and written by the writer only. */
    private int taken;

    EnqueueTimes() {
        Arrays.fill(times, NONE);
    }

    /** Notes that {@code message} is being queued now (System.nanoTime); call just before queueing it. */
    void stamp(String message) {
        int slot = stamped.getAndIncrement() & (SLOTS - 1);
        if (messages.compareAndSet(slot, null, message)) {
            times[slot] = System.nanoTime();
        }
    }

    /**
     * When {@code message}, just taken off the queue, was queued, freeing its slot; {@link #NONE}
     * if it has no stamp. Should one string be queued twice (the same pong), the two may swap
     * stamps, which changes nothing that matters: both are pongs.
     */
    long take(String message) {
        int slot = taken++ & (SLOTS - 1);
        if (messages.get(slot) != message) {
            slot = find(message);
            if (slot < 0) {
                return NONE;
            }
        }
        long time = times[slot];
        // Reset before the slot is freed, so whoever claims it next never shows an old time.
        times[slot] = NONE;
        messages.set(slot, null);
        return time;
    }

    private int find(String message) {
        for (int i = 0; i < SLOTS; i++) {
            if (messages.get(i) == message) {
                return i;
            }
        }
        return -1;
    }
}
