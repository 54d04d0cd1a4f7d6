package dev.rendezvous.signaling;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open signaling connection: counted against the global and per-address caps, pinged by the
 * {@link Heartbeat}, and closed with 1012 when the application stops, their members kept for resume.
 */
@ApplicationScoped
public class ConnectionRegistry {

    /**
     * How long a connection refused in {@code onOpen} stays open after its error. Payara runs
     * {@code onOpen} inside the upgrade request and recycles that request when the socket closes: a
     * close before its service thread has finished the request lost the error, and sometimes
     * another connection's frames (measured: 7 of 2,000 refusals, 16 at a time, without the wait;
     * none of 6,000, 32 at a time, with 50 ms).
     */
    static final long REFUSAL_CLOSE_DELAY_MILLIS = 200;

    @Inject
    Closes closes;

    @Inject
    SignalingEvents events;

    private final Set<SessionOutbox> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Counts the connection in, or says which cap it would break (nothing is counted then). */
    ErrorCode admit(SessionOutbox connection, String address, int max, int maxPerAddress) {
        if (stopping) {
            return ErrorCode.TOO_MANY_CONNECTIONS;
        }
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return ErrorCode.TOO_MANY_CONNECTIONS;
        }
        AtomicBoolean counted = new AtomicBoolean();
        perAddress.compute(address, (key, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerAddress) {
                return n;
            }
            counted.set(true);
            return now + 1;
        });
        if (!counted.get()) {
            count.decrementAndGet();
            return ErrorCode.TOO_MANY_CONNECTIONS;
        }
        open.add(connection);
        return null;
    }

    /** Counts the connection out, and its close for the metrics; idempotent, and nothing for a connection never counted in. */
    void release(SessionOutbox connection, String address, CloseReason reason) {
        if (open.remove(connection)) {
            count.decrementAndGet();
            perAddress.computeIfPresent(address, (key, n) -> n <= 1 ? null : n - 1);
            events.closed(reason.getCloseCode().getCode());
        }
    }

    /** Where outboxes run the closes their producers trigger. */
    Executor closer() {
        return closes.executor();
    }

    /** Runs {@code close} for a connection refused in {@code onOpen}, once the upgrade request is surely over. */
    void closeRefused(Runnable close) {
        try {
            closes.executor().schedule(close, REFUSAL_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            close.run();
        }
    }

    Collection<SessionOutbox> all() {
        return Collections.unmodifiableSet(open);
    }

    public int size() {
        return count.get();
    }

    /** Whether the application has begun to stop: sockets are being closed with 1012 and no new one is admitted. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Closes every socket with 1012, their members kept for resume; {@link Stopping} does it first,
     * this is the fallback. Each endpoint is told first, with that very reason: what the container
     * reports on the close afterwards (the client's answering close frame, or a reset) must not make
     * the member leave. Idempotent.
     */
    @PreDestroy
    void closeAll() {
        stopping = true;
        for (SessionOutbox connection : open) {
            connection.giveUp(Close.RESTART.reason());
        }
    }
}
