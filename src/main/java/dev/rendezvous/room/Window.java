package dev.rendezvous.room;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages a {@link Mailbox} keeps, oldest first, as UTF-8 in one ring of bytes that grows
 * as needed and is let go when emptied for good. Rings of a few KiB and up come from {@link Rings}
 * and go back to it.
 *
 * <p>Not a queue of the messages themselves: under steady traffic every message stays kept for
 * seconds, long enough to outlive a young collection or two, and the collector would copy each
 * one (a {@code String} and its array, per recipient) at every pause. A reused ring is old
 * already and costs the pauses nothing. Not thread-safe: its mailbox's lock guards it.
 */
final class Window {

    private static final byte[] NO_BYTES = {};
    private static final int[] NO_LENGTHS = {};
    private static final int FIRST_BYTES = 128;
    private static final int FIRST_LENGTHS = 8;

    private final Rings rings;
    /** A ring: {@link #used} bytes from {@link #start}, wrapping; its length a power of two. */
    private byte[] bytes = NO_BYTES;
    private int start;
    private int used;
    /** A ring of each kept message's length in {@link #bytes}, oldest at {@link #first}; a power of two long. */
    private int[] lengths = NO_LENGTHS;
    private int first;
    private int count;

    Window() {
        this(Rings.shared());
    }

    Window(Rings rings) {
        this.rings = rings;
    }

    /** How many messages are kept. */
    int size() {
        return count;
    }

    /** How many bytes the kept messages take, encoded as UTF-8. */
    long bytes() {
        return used;
    }

    /** Keeps a message, {@code encoded} as UTF-8, after the others. */
    void add(byte[] encoded) {
        if (count == lengths.length) {
            lengths = unwrapped(lengths, lengths.length, first, count, new int[Math.max(FIRST_LENGTHS, 2 * lengths.length)]);
            first = 0;
        }
        if (used + encoded.length > bytes.length) {
            byte[] outgrown = bytes;
            bytes = unwrapped(outgrown, outgrown.length, start, used, rings.take(capacityFor(used + encoded.length)));
            start = 0;
            rings.give(outgrown);
        }
        int end = (start + used) & (bytes.length - 1);
        int tail = Math.min(encoded.length, bytes.length - end);
        System.arraycopy(encoded, 0, bytes, end, tail);
        System.arraycopy(encoded, tail, bytes, 0, encoded.length - tail);
        used += encoded.length;
        lengths[(first + count) & (lengths.length - 1)] = encoded.length;
        count++;
    }

    /** Drops the oldest message; there must be one. */
    void removeFirst() {
        int length = lengths[first];
        first = (first + 1) & (lengths.length - 1);
        count--;
        start = (start + length) & (bytes.length - 1);
        used -= length;
    }

    /** The kept messages after the first {@code skip}, oldest first. */
    List<String> from(int skip) {
        List<String> messages = new ArrayList<>(count - skip);
        int at = start;
        for (int i = 0; i < count; i++) {
            int length = lengths[(first + i) & (lengths.length - 1)];
            if (i >= skip) {
                messages.add(decode(at, length));
            }
            at = (at + length) & (bytes.length - 1);
        }
        return messages;
    }

    /** Drops every message and gives the ring back. */
    void clear() {
        rings.give(bytes);
        bytes = NO_BYTES;
        lengths = NO_LENGTHS;
        start = 0;
        used = 0;
        first = 0;
        count = 0;
    }

    private String decode(int at, int length) {
        if (at + length <= bytes.length) {
            return new String(bytes, at, length, StandardCharsets.UTF_8);
        }
        return new String(unwrapped(bytes, bytes.length, at, length, new byte[length]), StandardCharsets.UTF_8);
    }

    private static int capacityFor(int needed) {
        int capacity = Math.max(FIRST_BYTES, Integer.highestOneBit(needed));
        return capacity < needed ? capacity << 1 : capacity;
    }

    /** {@code next}, with {@code size} elements of {@code ring} (an array of {@code length}) from {@code from} at its start, unwrapped. */
    private static <A> A unwrapped(A ring, int length, int from, int size, A next) {
        int tail = Math.min(size, length - from);
        System.arraycopy(ring, from, next, 0, tail);
        System.arraycopy(ring, 0, next, tail, size - tail);
        return next;
    }
}
