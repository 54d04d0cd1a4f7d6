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
 * beyond that, a ring given back is left to the collector. Nor are rings kept that nobody needs:
 * {@link #trim()}, run every {@link #TRIM_SECONDS} seconds, lets go of as many rings of each size
 * as stayed unused since the trim before, so a server whose traffic has fallen gives their memory
 * back within two trims. A ring taken may hold another member's old bytes; a window reads only
 * what it wrote.
 */
public final class Rings {

    static final int SMALLEST = 4 * 1024;
    static final int LARGEST = Mailbox.WINDOW_BYTES;
    /** How often {@link #trim()} should run. */
    public static final int TRIM_SECONDS = 5;

    /** What every window uses: at most 64 MiB kept, or a sixteenth of the heap if that is less. */
    private static final Rings SHARED = new Rings(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));

    private final long maxKept;
    private final AtomicLong kept = new AtomicLong();
    /** Free rings by size: index {@code log2(size / SMALLEST)}. */
    private final Shelf[] shelves;

    /** The free rings of one size, oldest first; its own lock. */
    private static final class Shelf {
        final ArrayDeque<byte[]> rings = new ArrayDeque<>();
        /** The fewest rings this shelf held since the last trim: that many went unused all along. */
        int fewest;
    }

    Rings(long maxKept) {
        this.maxKept = maxKept;
        shelves = new Shelf[Integer.numberOfTrailingZeros(LARGEST / SMALLEST) + 1];
        for (int i = 0; i < shelves.length; i++) {
            shelves[i] = new Shelf();
        }
    }

    /** The rings every resume window on this server shares. */
    public static Rings shared() {
        return SHARED;
    }

    /** A ring of {@code size} bytes, a power of two; a kept one if there is one. */
    byte[] take(int size) {
        Shelf shelf = shelf(size);
        if (shelf != null) {
            byte[] ring;
            synchronized (shelf) {
                ring = shelf.rings.pollLast();
                shelf.fewest = Math.min(shelf.fewest, shelf.rings.size());
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
        Shelf shelf = shelf(ring.length);
        if (shelf == null) {
            return;
        }
        if (kept.addAndGet(ring.length) > maxKept) {
            kept.addAndGet(-ring.length);
            return;
        }
        synchronized (shelf) {
            shelf.rings.addLast(ring);
        }
    }

    /**
     * Lets go of the rings that were not needed since the last trim: of each size, as many of the
     * oldest as the fewest that size's shelf held in between.
     */
    public void trim() {
        for (int i = 0; i < shelves.length; i++) {
            Shelf shelf = shelves[i];
            int size = SMALLEST << i;
            int dropped;
            synchronized (shelf) {
                dropped = Math.min(shelf.fewest, shelf.rings.size());
                for (int n = 0; n < dropped; n++) {
                    shelf.rings.pollFirst();
                }
                shelf.fewest = shelf.rings.size();
            }
            kept.addAndGet(-(long) dropped * size);
        }
    }

    /** Bytes kept for reuse. */
    public long kept() {
        return kept.get();
    }

    private Shelf shelf(int size) {
        if (size < SMALLEST || size > LARGEST || Integer.bitCount(size) != 1) {
            return null;
        }
        return shelves[Integer.numberOfTrailingZeros(size / SMALLEST)];
    }
}
