package dev.rendezvous.signaling;

import dev.rendezvous.room.Relay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * What the application does as it stops, before any of its beans goes: every socket is closed with
 * 1012 and its member parked for resume, then the relay gives the other nodes of a cluster a moment
 * to take the parked members over with what they missed (a single node goes on at once).
 */
@ApplicationScoped
public class Stopping {

    /**
     * The longest a stopping node waits for its members to resume elsewhere. Clients come back within
     * about a second of a 1012 (the page: 0.35–0.65 s); one that comes later still resumes, with
     * {@code lost: true}.
     */
    static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(Stopping.class.getName());

    @Inject
    ConnectionRegistry connections;
    @Inject
    Relay relay;
    @Inject
    SignalingConfig config;

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ending) {
        int sockets = connections.size();
        connections.closeAll();
        if (config.resumeGraceSeconds() > 0) {
            long start = System.nanoTime();
            Duration wait = Duration.ofSeconds(config.resumeGraceSeconds());
            relay.drain(wait.compareTo(HANDOVER_WAIT) < 0 ? wait : HANDOVER_WAIT);
            LOG.info(() -> "Stopping: " + sockets + " sockets closed with 1012; members handed over for "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        }
    }
}
