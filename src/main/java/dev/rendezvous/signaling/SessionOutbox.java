package dev.rendezvous.signaling;

import dev.rendezvous.ops.Histogram;
import dev.rendezvous.room.Outbox;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything going out on one socket, in order. At most one asynchronous send is in flight, so
 * frames never interleave (the WebSocket spec allows an {@code IllegalStateException} otherwise),
 * and no sender ever waits for a slow or dead recipient. What waits is bounded: a reader that
 * falls more than {@code maxQueued} characters behind is closed with 1008.
 *
 * <p>An outbox starts held: messages queue up but nothing is written until {@link #start} puts
 * the first message (the welcome) at the head of the line. A queued {@link CloseReason} closes the
 * socket once everything queued before it has been written.
 *
 * <p>Each queued message's wait, from {@link #send} to the container reporting it written, goes
 * to a latency histogram. Senders note when they queued a message in a small ring of stamps, with
 * no allocation and no lock; the one writer finds the stamp again by the message's identity.
 */
final class SessionOutbox implements Outbox, SendHandler {

    static final CloseReason TOO_SLOW = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "too slow to read");
    /** The container could not write: the connection is broken, or its own write queue is full. */
    static final CloseReason WRITE_FAILED = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "write failed");
    private static final Logger LOG = Logger.getLogger(SessionOutbox.class.getName());
    private static final Object PING = new Object();
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private static final int IN_CALL = 0;
    private static final int COMPLETED_IN_CALL = 1;
    private static final int CALL_RETURNED = 2;
    /** Messages queued at once whose wait is timed; one queued behind more is written untimed. A power of two. */
    private static final int STAMPS = 64;
    private static final long UNSTAMPED = Long.MIN_VALUE;

    private final Session session;
    private final long maxQueued;
    /** Runs closes that a producer triggers: never on the producer's thread, which may hold a mailbox lock. */
    private final Executor closer;
    /** Told when the server gives up on the connection: a client that stopped reading never completes a close. */
    private final Consumer<CloseReason> onGiveUp;
    private final Histogram latency;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    /** Held by whoever is writing; starts held until {@link #start}. */
    private final AtomicBoolean writing = new AtomicBoolean(true);
    /** Whether the send in flight completed inside the {@code sendText} call (then the caller's loop goes on). */
    private final AtomicInteger phase = new AtomicInteger(CALL_RETURNED);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean toldEnded = new AtomicBoolean();
    private volatile boolean finished;
    private volatile long lastHeard = System.nanoTime();
    /** The messages {@link #start} puts first; read only by the writer. */
    private String[] head = {};
    private int headWritten;
    /**
     * The ring of stamps: a sender claims slot {@code (n-th send) % STAMPS} by putting its message
     * there, writes the time into the same slot of {@link #stampTimes}, then queues the message;
     * the writer takes the time back and frees the slot. A slot still taken leaves the message untimed.
     */
    private final AtomicReferenceArray<String> stamped = new AtomicReferenceArray<>(STAMPS);
    private final long[] stampTimes = new long[STAMPS];
    private final AtomicInteger queuedCount = new AtomicInteger();
    /** Queued messages the writer has taken; read only by the writer. */
    private int takenCount;
    /** When the message being written was queued, or {@link #UNSTAMPED}. */
    private volatile long writingSince = UNSTAMPED;

    SessionOutbox(Session session, long maxQueued, Executor closer, Consumer<CloseReason> onGiveUp, Histogram latency) {
        this.session = session;
        this.maxQueued = maxQueued;
        this.closer = closer;
        this.onGiveUp = onGiveUp;
        this.latency = latency;
        Arrays.fill(stampTimes, UNSTAMPED);
    }

    @Override
    public void send(String message) {
        if (finished) {
            return;
        }
        if (queuedChars.addAndGet(message.length()) > maxQueued) {
            finished = true;
            queue.clear();
            closer.execute(() -> giveUp(TOO_SLOW));
            return;
        }
        int slot = queuedCount.getAndIncrement() & (STAMPS - 1);
        if (stamped.compareAndSet(slot, null, message)) {
            // Written before the message is queued, so the writer, which polls it after, sees it.
            stampTimes[slot] = System.nanoTime();
        }
        queue.add(message);
        pump();
    }

    /** Queues a WebSocket ping frame. */
    void ping() {
        if (!finished) {
            queue.add(PING);
            pump();
        }
    }

    /** Queues a close after everything already queued. */
    void close(CloseReason reason) {
        if (!finished) {
            queue.add(reason);
            pump();
        }
    }

    /**
     * Ends the connection from the server's side without counting on the client: the endpoint is
     * told first (its {@code @OnClose} may never come), then the socket is closed.
     */
    void giveUp(CloseReason reason) {
        // Told even when a close is already under way: the container may never report a close the
        // server started on a connection that was already dead, and then nothing else releases it.
        if (toldEnded.compareAndSet(false, true)) {
            onGiveUp.accept(reason);
        }
        closeNow(reason);
    }

    /** Closes now, dropping whatever is still queued. */
    void closeNow(CloseReason reason) {
        finished = true;
        queue.clear();
        if (closing.compareAndSet(false, true)) {
            try {
                if (session.isOpen()) {
                    session.close(reason);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Close failed; the connection is already gone", e);
            }
        }
    }

    /** Writes {@code first} (and {@code more}, in order), then everything queued meanwhile. Called once. */
    void start(String first, String... more) {
        head = more;
        drain(first);
    }

    /** Notes that the client was heard from (any frame, pongs included) at {@code now} (System.nanoTime). */
    void heard(long now) {
        lastHeard = now;
    }

    long lastHeard() {
        return lastHeard;
    }

    private void pump() {
        if (writing.compareAndSet(false, true)) {
            drain(poll());
        }
    }

    private Object poll() {
        if (headWritten < head.length) {
            writingSince = UNSTAMPED;
            return head[headWritten++];
        }
        Object next = queue.poll();
        if (next instanceof String text) {
            queuedChars.addAndGet(-text.length());
            writingSince = unstamp(text);
        }
        return next;
    }

    /**
     * When {@code text} was queued, freeing its slot; {@link #UNSTAMPED} if it has none. Senders
     * racing each other may queue in another order than they claimed slots, hence the search.
     * Should one string be queued twice (the same pong), the two may swap stamps: both are pongs.
     */
    private long unstamp(String text) {
        int slot = takenCount++ & (STAMPS - 1);
        if (stamped.get(slot) != text) {
            slot = -1;
            for (int i = 0; i < STAMPS && slot < 0; i++) {
                if (stamped.get(i) == text) {
                    slot = i;
                }
            }
            if (slot < 0) {
                return UNSTAMPED;
            }
        }
        long since = stampTimes[slot];
        // Reset before the slot is freed, so a claim of the freed slot never shows an old time.
        stampTimes[slot] = UNSTAMPED;
        stamped.set(slot, null);
        return since;
    }

    /** Runs while holding {@link #writing}; returns when a send is left in flight or the queue is empty. */
    private void drain(Object next) {
        while (true) {
            if (finished) {
                queue.clear();
                return;
            }
            if (next == null) {
                writing.set(false);
                // A producer may have queued after our poll but before the release.
                if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
                    return;
                }
            } else if (next instanceof CloseReason reason) {
                closeNow(reason);
                return;
            } else if (next == PING) {
                sendPing();
            } else if (!write((String) next)) {
                return;
            }
            next = poll();
        }
    }

    private void sendPing() {
        try {
            session.getAsyncRemote().sendPing(NO_DATA);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Ping refused; giving up on the connection", e);
            failed();
        }
    }

    /** A write failed: nothing more can go out in order, so the connection ends here. */
    private void failed() {
        finished = true;
        closer.execute(() -> giveUp(WRITE_FAILED));
    }

    /** Starts one send; true when it has already completed, so the caller may write the next. */
    private boolean write(String text) {
        phase.set(IN_CALL);
        try {
            session.getAsyncRemote().sendText(text, this);
        } catch (RuntimeException closed) {
            LOG.log(Level.FINE, "Send refused; giving up on the connection", closed);
            failed();
            return true;
        }
        return !phase.compareAndSet(IN_CALL, CALL_RETURNED);
    }

    @Override
    public void onResult(SendResult result) {
        long since = writingSince;
        if (result.isOK() && since != UNSTAMPED) {
            latency.record(System.nanoTime() - since);
        }
        if (!result.isOK()) {
            LOG.log(Level.FINE, "Send failed; giving up on the connection", result.getException());
            failed();
        }
        if (phase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
            return;
        }
        drain(poll());
    }
}
