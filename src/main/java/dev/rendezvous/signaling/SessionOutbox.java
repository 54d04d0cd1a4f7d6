package dev.rendezvous.signaling;

import dev.rendezvous.room.Outbox;
import dev.rendezvous.room.Removal;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
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
 * <p>Text goes out through the container's {@code sendText}, or, where the connection allows it
 * ({@link TextFrames}), encoded by the WAR and written past the WebSocket implementation.
 *
 * <p>Each queued message's wait, from {@link #send} to the container reporting it written, goes
 * to a latency recorder: each is queued with the time it was queued.
 *
 * <p>Longer than most classes: the lock-free write loop, its trampoline for sends that complete
 * inline, and the give-up paths share one state machine and are only correct read together.
 */
final class SessionOutbox implements Outbox, SendHandler {

    private static final Logger LOG = Logger.getLogger(SessionOutbox.class.getName());
    private static final Object PING = new Object();
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private static final int IN_CALL = 0;
    private static final int COMPLETED_IN_CALL = 1;
    private static final int CALL_RETURNED = 2;
    /** What {@link #writingSince} and {@link #sendStarted} hold when there is nothing to time. */
    private static final long NONE = Long.MIN_VALUE;

    private final Session session;
    /** Null: text goes through the container's {@code sendText}. */
    private final TextFrames frames;
    private final long maxQueued;
    /** Runs closes that a producer triggers: never on the producer's thread, which may hold a mailbox lock. */
    private final Executor closer;
    /** Told when the server gives up on the connection: a client that stopped reading never completes a close. */
    private final Consumer<CloseReason> onGiveUp;
    private final LongConsumer latency;
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
    /** When the container last took a message for the client; the handshake's answer counts as the first. */
    private volatile long lastSent = lastHeard;
    /** The messages {@link #start} puts first; read only by the writer. */
    private String[] head = {};
    private int headWritten;
    /** When the message being written was queued, or {@link #NONE}. */
    private volatile long writingSince = NONE;
    /** When the container was handed the send now in flight (System.nanoTime), or {@link #NONE}. */
    private volatile long sendStarted = NONE;

    /** A message in the queue, with when it was queued (System.nanoTime). */
    private record Queued(String text, long at) {
    }

    SessionOutbox(Session session, long maxQueued, Executor closer, Consumer<CloseReason> onGiveUp, LongConsumer latency) {
        this(session, null, maxQueued, closer, onGiveUp, latency);
    }

    /** @param frames where text frames go past the container's WebSocket implementation, or null to send them through it */
    SessionOutbox(Session session, TextFrames frames, long maxQueued, Executor closer, Consumer<CloseReason> onGiveUp,
                  LongConsumer latency) {
        this.session = session;
        this.frames = frames;
        this.maxQueued = maxQueued;
        this.closer = closer;
        this.onGiveUp = onGiveUp;
        this.latency = latency;
    }

    @Override
    public void send(String message) {
        if (finished) {
            return;
        }
        long queued = queuedChars.addAndGet(message.length());
        // One message always fits when nothing else waits: a relayed one is the sender's, up to the
        // message limit, plus its "from", which the bound (at least the message limit) need not allow for.
        if (queued > maxQueued && queued > message.length()) {
            finish();
            later(() -> giveUp(Close.TOO_SLOW.reason()));
            return;
        }
        queue.add(new Queued(message, System.nanoTime()));
        pump();
    }

    /**
     * The server removed this connection's member: the endpoint is told, and the socket closes now
     * (4403, 4404), dropping what is still queued. Runs on the closer, as the caller may hold a mailbox lock.
     */
    @Override
    public void end(Removal why) {
        CloseReason reason = switch (why) {
            case KICKED -> Close.KICKED.reason();
            case ROOM_CLOSED -> Close.ROOM_CLOSED.reason();
        };
        later(() -> giveUp(reason));
    }

    /** The member resumed on another connection, perhaps on another node: closes this one with 4410. Runs on the closer. */
    @Override
    public void supersede() {
        later(() -> giveUp(Close.SUPERSEDED.reason()));
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

    /**
     * The container reported the socket closed: nothing more is written to it. On Payara the
     * objects behind a closed socket are recycled for another connection, so a late write could
     * reach someone else.
     */
    void closed() {
        finish();
    }

    /** Closes now, dropping whatever is still queued. */
    void closeNow(CloseReason reason) {
        finish();
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

    /**
     * Nothing more goes out: the queue is dropped, and so is a text frame still waiting for the
     * socket past the implementation. That frame's handler is this outbox, and the stream that holds
     * it can outlive the connection (Payara keeps recycled requests, each with the upgrade handler
     * it last served), so a frame kept there would keep the endpoint and its session reachable.
     */
    private void finish() {
        finished = true;
        queue.clear();
        if (frames != null) {
            frames.abandon();
        }
    }

    /** Writes {@code messages} in order, then everything queued meanwhile. Called once. */
    void start(List<String> messages) {
        start(messages.get(0), messages.subList(1, messages.size()).toArray(String[]::new));
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

    /**
     * Whether frames went both ways within {@code nanos} before {@code now}: the client was heard
     * from, and the container took a message for it. Such a connection is known to be alive and is
     * kept alive by its own traffic, with no ping.
     */
    boolean busyBothWays(long now, long nanos) {
        return now - lastHeard < nanos && now - lastSent < nanos;
    }

    /**
     * Whether the container took a message for the client within {@code nanos} before {@code now}
     * (pings do not count; the handshake's answer does).
     */
    boolean sentWithin(long now, long nanos) {
        return now - lastSent < nanos;
    }

    /** Whether a send handed to the container at least {@code nanos} before {@code now} has not completed. */
    boolean sendStalled(long now, long nanos) {
        long started = sendStarted;
        return started != NONE && now - started >= nanos;
    }

    private void pump() {
        if (writing.compareAndSet(false, true)) {
            drain(poll());
        }
    }

    private Object poll() {
        if (headWritten < head.length) {
            writingSince = NONE;
            return head[headWritten++];
        }
        Object next = queue.poll();
        if (next instanceof Queued queued) {
            queuedChars.addAndGet(-queued.text().length());
            writingSince = queued.at();
            return queued.text();
        }
        return next;
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
            failed(Close.WRITE_FAILED.reason());
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "The container failed to send a ping; closing the connection", e);
            failed(Close.INTERNAL_ERROR.reason());
        }
    }

    /**
     * A write failed: nothing more can go out in order, so the connection ends here. The queue is
     * left marked as being written, and {@link #finished} drops whatever comes after.
     */
    private void failed(CloseReason reason) {
        sendStarted = NONE;
        finish();
        later(() -> giveUp(reason));
    }

    /** Runs {@code close} on the closer; a closer that refuses means the application is stopping, and then closes every socket itself. */
    private void later(Runnable close) {
        try {
            closer.execute(close);
        } catch (RuntimeException stopping) {
            LOG.log(Level.FINE, "Closer refused a close; the application is stopping", stopping);
        }
    }

    /**
     * Starts one send; true when it has already completed (or failed), so the caller may go on.
     * Whatever the container throws stays here: the caller may be another member's fan-out.
     */
    private boolean write(String text) {
        phase.set(IN_CALL);
        sendStarted = System.nanoTime();
        try {
            if (frames != null) {
                frames.writeText(text, this);
                if (finished) {
                    // Finished while this frame was being handed over: finish() may have looked before it waited.
                    frames.abandon();
                }
            } else {
                session.getAsyncRemote().sendText(text, this);
            }
        } catch (RuntimeException closed) {
            LOG.log(Level.FINE, "Send refused; giving up on the connection", closed);
            failed(Close.WRITE_FAILED.reason());
            return true;
        } catch (Throwable broke) {
            LOG.log(Level.WARNING, "The container failed to frame a message; closing the connection", broke);
            failed(Close.INTERNAL_ERROR.reason());
            return true;
        }
        return !phase.compareAndSet(IN_CALL, CALL_RETURNED);
    }

    @Override
    public void onResult(SendResult result) {
        sendStarted = NONE;
        if (result.isOK()) {
            long now = System.nanoTime();
            lastSent = now;
            long since = writingSince;
            if (since != NONE) {
                latency.accept(now - since);
            }
        } else {
            LOG.log(Level.FINE, "Send failed; giving up on the connection", result.getException());
            failed(Close.WRITE_FAILED.reason());
        }
        if (phase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
            return;
        }
        drain(poll());
    }
}
