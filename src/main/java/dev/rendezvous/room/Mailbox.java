package dev.rendezvous.room;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A member's stable address. While the member is connected it forwards to that connection and
 * remembers the last messages it handed over; while the member is away (its connection dropped,
 * within the resume grace) it keeps what arrives. On resume the client says how many messages it
 * received, and exactly the ones it missed are handed to the new connection, in order.
 *
 * <p>Counted here are member messages only (relayed signals and presence); replies to the
 * connection itself (pong, errors) and the welcome are not.
 *
 * <p>A little over the usual length: attach, detach, replay and hand-over share one lock and one window.
 */
public final class Mailbox implements Outbox {

    private static final Logger LOG = Logger.getLogger(Mailbox.class.getName());

    /** The most messages, and bytes (encoded as UTF-8), kept for one member. */
    public static final int WINDOW_MESSAGES = 256;
    public static final int WINDOW_BYTES = 256 * 1024;
    /**
     * The most bytes kept of what was handed to a live connection (in case it dies before the
     * client reads them): every message is kept that long, so under heavy traffic this is what the
     * server holds per member (in a {@link Window}, which the garbage collector does not copy). What
     * arrives while the member is away may fill the whole {@link #WINDOW_BYTES}.
     */
    public static final int HANDED_BYTES = 64 * 1024;
    /** For {@link #reattach}: the client did not say how many it received; assume all that were handed over. */
    public static final long RECEIVED_UNKNOWN = -1;

    private final boolean resumable;
    private final Window window = new Window();
    private Outbox live;
    /** Messages handed to the current (or last) connection since its welcome. */
    private long handed;
    /** How many messages at the tail of the window arrived while the member was away. */
    private int parked;
    private long parkedBytes;
    private boolean overflowed;
    /** Set once the server removed the member, or handed it to another server: nothing more is kept or forwarded, and no resume. */
    private boolean ended;

    /** @param resumable whether to keep a window at all (not when resume is switched off) */
    public Mailbox(Outbox live, boolean resumable) {
        this.live = live;
        this.resumable = resumable;
    }

    @Override
    public synchronized void send(String message) {
        if (ended) {
            return;
        }
        if (live != null) {
            try {
                live.send(message);
            } catch (RuntimeException e) {
                // The connection handles its own failures; whatever escapes must not abort the
                // sender's fan-out to the other members.
                LOG.log(Level.WARNING, "Delivery to a connection failed", e);
            }
            handed++;
            if (resumable) {
                byte[] encoded = encode(message);
                // Room is made before the message goes in, so the ring never grows past the limit.
                while (window.size() > 0 && (window.size() >= WINDOW_MESSAGES || window.bytes() + encoded.length > HANDED_BYTES)) {
                    window.removeFirst();
                }
                if (encoded.length <= HANDED_BYTES) {
                    window.add(encoded);
                }
            }
        } else if (!overflowed) {
            byte[] encoded = encode(message);
            // Older handed messages go first; what arrived while away must never be dropped.
            while (window.size() > parked && (window.size() >= WINDOW_MESSAGES || window.bytes() + encoded.length > WINDOW_BYTES)) {
                window.removeFirst();
            }
            if (parked >= WINDOW_MESSAGES || parkedBytes + encoded.length > WINDOW_BYTES) {
                overflowed = true;
                window.clear();
                return;
            }
            window.add(encoded);
            parked++;
            parkedBytes += encoded.length;
        }
    }

    private static byte[] encode(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /** The connection messages currently go to, or {@code null} while the member is away. */
    public synchronized Outbox live() {
        return live;
    }

    /** Whether messages currently go to that connection. */
    public synchronized boolean isAttachedTo(Outbox connection) {
        return live == connection;
    }

    /** Starts keeping messages instead of forwarding them, if they went to that connection. */
    public synchronized boolean detach(Outbox connection) {
        if (live != connection || live == null) {
            return false;
        }
        live = null;
        parked = 0;
        parkedBytes = 0;
        return true;
    }

    /** Whether the member can no longer be resumed: more arrived while away than is kept. */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    /**
     * The server removed the member: its connection, if it has one, is ended with {@code why}; a
     * member away (within its resume grace) cannot be resumed any more. The connection stays
     * attached, so that whoever handles its close sees it was this member's and ends the membership.
     */
    @Override
    public void end(Removal why) {
        Outbox connection;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            window.clear();
            connection = live;
        }
        if (connection != null) {
            connection.end(why);
        }
    }

    /**
     * The member left for good (it said {@code bye}, its connection closed without resume, or its
     * resume grace ran out): nothing more is kept or forwarded, it cannot be resumed, and its
     * window's ring goes back for another member's.
     */
    public synchronized void retire() {
        ended = true;
        window.clear();
    }

    /** Whether the member was removed or left for good ({@link #end}, {@link #retire}). */
    public synchronized boolean ended() {
        return ended;
    }

    /**
     * Moves the member to a new connection after the client received {@code received} messages on
     * the old one, handing over exactly what it missed. The old connection, if still attached,
     * gets nothing more.
     *
     * @return false, changing nothing, when the missed messages are no longer all kept, or the member was removed
     */
    public synchronized boolean reattach(Outbox connection, long received) {
        long skip = confirmed(received);
        if (skip < 0) {
            return false;
        }
        for (; skip > 0; skip--) {
            window.removeFirst();
        }
        live = connection;
        parked = 0;
        parkedBytes = 0;
        handed = window.size();
        for (String message : window.from(0)) {
            connection.send(message);
        }
        return true;
    }

    /**
     * The member resumed on another server after the client received {@code received} messages on
     * its last connection here: returns, in order, exactly what {@link #reattach} would have handed
     * over, for that server to deliver. From now on this mailbox keeps and forwards nothing, and the
     * connection it was attached to, if any, gets nothing more.
     *
     * @return null, changing nothing, when the missed messages are no longer all kept, or the member was removed
     */
    public synchronized List<String> handOver(long received) {
        long skip = confirmed(received);
        if (skip < 0) {
            return null;
        }
        List<String> missed = window.from((int) skip);
        ended = true;
        window.clear();
        live = null;
        return List.copyOf(missed);
    }

    /**
     * How many kept messages at the head of the window the client confirmed by reporting
     * {@code received}; -1 when what it missed is no longer all kept, or the member was removed.
     */
    private long confirmed(long received) {
        long unconfirmedKept = window.size() - (long) parked;
        long missed = received == RECEIVED_UNKNOWN ? 0 : handed - received;
        if (ended || overflowed || received < RECEIVED_UNKNOWN || missed < 0 || missed > unconfirmedKept) {
            return -1;
        }
        return unconfirmedKept - missed;
    }
}
