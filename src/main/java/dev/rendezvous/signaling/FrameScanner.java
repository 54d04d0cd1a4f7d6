package dev.rendezvous.signaling;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Follows the frame boundaries of an RFC 6455 byte stream (a client's, or what the server writes to
 * it), notes when a close frame has started and when it has been read whole, and, when asked to,
 * unmasks each frame on its way: the mask bit cleared, the four key bytes dropped, the payload XORed
 * with the key eight bytes at a time; once {@link #cap capped}, it withholds a frame larger than
 * the cap and everything after it. One thread at a time calls {@link #scan}.
 *
 * <p>Why unmask here: Tyrus unmasks each payload a byte at a time through two volatile fields
 * ({@code Masker.unmask}), a quarter of the server's CPU for a 3 KB offer, and it skips that loop
 * for a frame whose mask bit is clear. It checks nothing else about the mask, so the frames it is
 * handed unmasked carry the same bytes it would have unmasked itself (see {@link LingeringUpgrade}
 * for which implementation gets them so).
 */
final class FrameScanner {

    private static final int CLOSE = 0x8;
    private static final int MASK_BIT = 0x80;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean unmask;
    /** Bytes of the current frame's header read so far; 0 between frames. */
    private int headerBytes;
    /** The current header's whole length, known from its second byte on. */
    private int headerLength;
    private int firstByte;
    private boolean masked;
    private long length;
    /** The masking key, its first byte on the wire the lowest. */
    private int key;
    private long payloadLeft;
    /** Payload bytes of the current frame passed so far, modulo 4: which key byte is next. */
    private int phase;
    /** Whether the current frame is a close frame. */
    private boolean closing;
    private volatile boolean closeSeen;
    private volatile boolean closeRead;
    /** The largest payload passed on; see {@link #cap}. */
    private volatile long maxPayload = Long.MAX_VALUE;
    /** Whether a frame over {@link #maxPayload} began: from its header on, nothing is passed on. */
    private boolean oversized;

    /** @param unmask whether {@link #scan} unmasks the frames it follows, or only follows them */
    FrameScanner(boolean unmask) {
        this.unmask = unmask;
    }

    /**
     * Follows {@code length} more bytes of the stream at {@code offset}; when unmasking, rewrites
     * them in place as the unmasked frames' bytes, and otherwise leaves them as they are.
     *
     * @return how many bytes at {@code offset} are to be passed on: {@code length}, less any masking keys when unmasking
     */
    int scan(byte[] bytes, int offset, int length) {
        int read = offset;
        int written = offset;
        int end = offset + length;
        // Where the current frame's header begins among the bytes passed on by this call.
        int headerAt = offset;
        while (read < end) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - read);
                if (!oversized) {
                    if (unmask && masked) {
                        unmask(bytes, read, written, n);
                    } else if (written != read) {
                        System.arraycopy(bytes, read, bytes, written, n);
                    }
                    written += n;
                }
                read += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    frameEnded();
                }
                continue;
            }
            if (headerBytes == 0) {
                headerAt = written;
            }
            boolean passedOn = !oversized;
            int passed = header(bytes[read++] & 0xff);
            if (passed >= 0 && passedOn) {
                // Only followed, the bytes are never written to.
                if (unmask) {
                    bytes[written] = (byte) passed;
                }
                written++;
            }
            if (passedOn && oversized) {
                // The header just read announced a frame over the cap: none of it goes on.
                written = headerAt;
            }
        }
        return written - offset;
    }

    /**
     * From the next frame header on, a frame whose payload is over {@code maxPayload} bytes is not
     * passed on, nor anything after it ({@link #oversized}); the frames are still followed, so a
     * close frame is still noticed.
     */
    void cap(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Whether a frame over the {@link #cap} has begun: nothing from its header on has been passed on. */
    boolean oversized() {
        return oversized;
    }

    /**
     * Takes one header byte; returns the byte to pass on, or -1 for none: when unmasking, the second
     * byte goes on with its mask bit cleared and the masking key not at all.
     */
    private int header(int b) {
        headerBytes++;
        int passed = b;
        if (headerBytes == 1) {
            firstByte = b;
        } else if (headerBytes == 2) {
            masked = (b & MASK_BIT) != 0;
            int code = b & 0x7f;
            length = code < 126 ? code : 0;
            headerLength = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + (masked ? 4 : 0);
            key = 0;
            if (unmask) {
                passed = code;
            }
        } else if (headerBytes <= headerLength - (masked ? 4 : 0)) {
            length = (length << 8) | b;
        } else {
            key |= b << (8 * (headerBytes - headerLength + 3));
            if (unmask) {
                passed = -1;
            }
        }
        if (headerBytes >= 2 && headerBytes == headerLength) {
            oversized |= length > maxPayload;
            closing = (firstByte & 0x0f) == CLOSE;
            if (closing) {
                closeSeen = true;
            }
            headerBytes = 0;
            phase = 0;
            // A 64-bit length must leave its top bit clear (RFC 6455, 5.2); one that sets it is followed
            // as endless, so that no byte after it passes for a frame of its own, a close least of all.
            payloadLeft = length < 0 ? Long.MAX_VALUE : length;
            if (payloadLeft == 0) {
                frameEnded();
            }
        }
        return passed;
    }

    private void frameEnded() {
        if (closing) {
            closeRead = true;
        }
    }

    /** XORs {@code n} payload bytes at {@code from} with the key, writing them at {@code to} (never after {@code from}). */
    private void unmask(byte[] bytes, int from, int to, int n) {
        int i = 0;
        if (n >= Long.BYTES) {
            long pattern = pattern();
            for (; i <= n - Long.BYTES; i += Long.BYTES) {
                LONGS.set(bytes, to + i, (long) LONGS.get(bytes, from + i) ^ pattern);
            }
        }
        for (; i < n; i++) {
            bytes[to + i] = (byte) (bytes[from + i] ^ (key >>> (8 * ((phase + i) & 3))));
        }
        phase = (phase + n) & 3;
    }

    /** Eight key bytes starting at the current {@link #phase}, the first the lowest (read little-endian). */
    private long pattern() {
        int rotated = Integer.rotateRight(key, 8 * phase);
        return (rotated & 0xffffffffL) | ((long) rotated << 32);
    }

    /** Whether the bytes so far end where a frame ends (or before any): the next byte starts a frame. */
    boolean betweenFrames() {
        return headerBytes == 0 && payloadLeft <= 0;
    }

    /** Whether the client's close frame has begun to arrive. */
    boolean closeSeen() {
        return closeSeen;
    }

    /** Whether the client's close frame has arrived whole: nothing more is due from the client. */
    boolean closeRead() {
        return closeRead;
    }
}
