package dev.rendezvous.signaling;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open signaling connection: counted against the global and per-address caps, pinged by the
 * {@link Heartbeat}, and closed with 1001 when the application stops.
 */
@ApplicationScoped
public class ConnectionRegistry {

    @Resource
    ManagedExecutorService executor;

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

    /** Counts the connection out; idempotent: true only the first time, for a connection that was counted in. */
    boolean release(SessionOutbox connection, String address) {
        if (open.remove(connection)) {
            count.decrementAndGet();
            perAddress.computeIfPresent(address, (key, n) -> n <= 1 ? null : n - 1);
            return true;
        }
        return false;
    }

    /** Where outboxes run the closes their producers trigger. */
    Executor closer() {
        return executor;
    }

    Collection<SessionOutbox> all() {
        return Collections.unmodifiableSet(open);
    }

    public int size() {
        return count.get();
    }

    @PreDestroy
    void closeAll() {
        stopping = true;
        CloseReason goingAway = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
        for (SessionOutbox connection : open) {
            connection.closeNow(goingAway);
        }
    }
}
