package dev.rendezvous.signaling;

import dev.rendezvous.room.Outbox;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ordered queue of everything going out on one socket. At most one asynchronous send is in
 * flight, so frames never interleave (the WebSocket spec allows an {@code IllegalStateException}
 * otherwise), and no sender ever waits for a slow or dead recipient.
 *
 * <p>An outbox starts held: messages queue up but nothing is written until {@link #start} puts
 * the first message (the welcome) at the head of the line. A queued {@link CloseReason} closes the
 * socket once everything queued before it has been written.
 */
final class SessionOutbox implements Outbox, SendHandler {

    private static final Logger LOG = Logger.getLogger(SessionOutbox.class.getName());

    private static final int IN_CALL = 0;
    private static final int COMPLETED_IN_CALL = 1;
    private static final int CALL_RETURNED = 2;

    private final Session session;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Held by whoever is writing; starts held until {@link #start}. */
    private final AtomicBoolean writing = new AtomicBoolean(true);
    /** Whether the send in flight completed inside the {@code sendText} call (then the caller's loop goes on). */
    private final AtomicInteger phase = new AtomicInteger(CALL_RETURNED);
    private volatile boolean finished;

    SessionOutbox(Session session) {
        this.session = session;
    }

    @Override
    public void send(String message) {
        if (!finished) {
            queue.add(message);
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

    /** Writes {@code first}, then everything queued meanwhile. Called once. */
    void start(String first) {
        drain(first);
    }

    private void pump() {
        if (writing.compareAndSet(false, true)) {
            drain(queue.poll());
        }
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
                finish(reason);
                return;
            } else if (!write((String) next)) {
                return;
            }
            next = queue.poll();
        }
    }

    /** Starts one send; true when it has already completed, so the caller may write the next. */
    private boolean write(String text) {
        phase.set(IN_CALL);
        try {
            session.getAsyncRemote().sendText(text, this);
        } catch (RuntimeException closed) {
            LOG.log(Level.FINE, "Send refused, dropping the rest of this outbox", closed);
            finished = true;
            return true;
        }
        return !phase.compareAndSet(IN_CALL, CALL_RETURNED);
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            LOG.log(Level.FINE, "Send failed, dropping the rest of this outbox", result.getException());
            finished = true;
        }
        if (phase.compareAndSet(IN_CALL, COMPLETED_IN_CALL)) {
            return;
        }
        drain(queue.poll());
    }

    private void finish(CloseReason reason) {
        finished = true;
        queue.clear();
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Close failed; the connection is already gone", e);
        }
    }
}
