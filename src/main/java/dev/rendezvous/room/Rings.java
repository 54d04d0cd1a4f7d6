package dev.rendezvous.room;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte rings of every {@link Window}, reused: a window gives its ring back when it grows out
 * of it or lets it go, and the next window that needs one of that size takes it.
 *
 * <p>A busy member's ring doubles to 64 KiB within its first seconds of traffic (to 256 KiB while
 * the member is away). Allocated afresh for every member, each ring lived through a young
 * collection or two, was copied at each and then promoted, and the smaller ones it outgrew went
 * to the old generation as garbage: with members coming and going under load, most of what the
 * server's young pauses copied beyond the container's own objects. A reused ring is old already
 * and costs the pauses nothing.
 *
 * <p>Only rings of {@link #SMALLEST} bytes or more are kept (a smaller one costs the collector
 * little, and idle members have them by the thousand), and at most {@code maxKept} bytes in all:
 * beyond that, a ring given back is left to the collector. A ring taken may hold another member's
 * old bytes; a window reads only what it wrote.
 */
final class Rings {

    static final int SMALLEST = 4 * 1024;
    static final int LARGEST = Mailbox.WINDOW_BYTES;

    /** What every window uses: at most 64 MiB kept, or a sixteenth of the heap if that is less. */
    static final Rings SHARED = new Rings(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));

    private final long maxKept;
    private final AtomicLong kept = new AtomicLong();
    /** Free rings by size: index {@code log2(size / SMALLEST)}. Each deque is its own lock. */
    private final ArrayDeque<byte[]>[] free;

    @SuppressWarnings("unchecked")
    Rings(long maxKept) {
        this.maxKept = maxKept;
        free = new ArrayDeque[Integer.numberOfTrailingZeros(LARGEST / SMALLEST) + 1];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** A ring of {@code size} bytes, a power of two; a kept one if there is one. */
    byte[] take(int size) {
        ArrayDeque<byte[]> rings = rings(size);
        if (rings != null) {
            byte[] ring;
            synchronized (rings) {
                ring = rings.pollLast();
            }
            if (ring != null) {
                kept.addAndGet(-size);
                return ring;
            }
        }
        return new byte[size];
    }

    /** A ring its window is done with: kept for the next, unless too small, too large or too many are kept. */
    void give(byte[] ring) {
        ArrayDeque<byte[]> rings = rings(ring.length);
        if (rings == null) {
            return;
        }
        if (kept.addAndGet(ring.length) > maxKept) {
            kept.addAndGet(-ring.length);
            return;
        }
        synchronized (rings) {
            rings.addLast(ring);
        }
    }

    /** Bytes kept for reuse. */
    long kept() {
        return kept.get();
    }

    private ArrayDeque<byte[]> rings(int size) {
        if (size < SMALLEST || size > LARGEST || Integer.bitCount(size) != 1) {
            return null;
        }
        return free[Integer.numberOfTrailingZeros(size / SMALLEST)];
    }
}
