package dev.rendezvous.signaling;

/**
 * Follows the frame boundaries of a client's RFC 6455 byte stream, reading only the headers, until
 * a close frame has started and then been read whole. Only the connection's reading thread calls
 * {@link #scan}.
 */
final class FrameScanner {

    private static final int CLOSE = 0x8;
    /** Two bytes, eight of extended length, four of mask. */
    private final byte[] header = new byte[14];
    private int headerBytes;
    private long payloadLeft;
    private volatile boolean closeSeen;
    private volatile boolean closeRead;

    void scan(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && !closeRead) {
            if (payloadLeft > 0) {
                int skipped = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= skipped;
                i += skipped;
                closeRead = closeSeen && payloadLeft == 0;
                continue;
            }
            header[headerBytes++] = bytes[i++];
            if (headerBytes >= 2 && headerBytes == headerLength()) {
                closeSeen = (header[0] & 0x0f) == CLOSE;
                payloadLeft = payloadLength();
                headerBytes = 0;
                closeRead = closeSeen && payloadLeft == 0;
            }
        }
    }

    /** Whether the client's close frame has begun to arrive. */
    boolean closeSeen() {
        return closeSeen;
    }

    /** Whether the client's close frame has arrived whole: nothing more is due from the client. */
    boolean closeRead() {
        return closeRead;
    }

    private int headerLength() {
        int code = header[1] & 0x7f;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + mask + (code == 126 ? 2 : code == 127 ? 8 : 0);
    }

    private long payloadLength() {
        int code = header[1] & 0x7f;
        if (code < 126) {
            return code;
        }
        int bytes = code == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xff);
        }
        return length;
    }
}
