package dev.rendezvous.signaling;

import dev.rendezvous.room.Resumptions;
import dev.rendezvous.room.Rings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's only timers, on one scheduler: every heartbeat interval each connection
 * gets a WebSocket ping unless frames went both ways on it within the interval (a round's pings
 * are spread over half the interval while the server sends messages, and sent at once when it has
 * sent none for an interval, {@link PingRound}), one silent for two intervals is closed
 * with 4408, and one whose write has not completed for two intervals is closed with 1008 (it
 * stopped reading); every second, members whose resume grace ran out leave for good; every
 * {@value Rings#TRIM_SECONDS} seconds, the resume windows' spare rings that went unused are let go.
 * No timer per connection.
 *
 * <p>The scheduler is a plain one on a thread from the container's {@link ManagedThreadFactory},
 * as {@link Closes} has, which carries the application's context from its start: the container's
 * managed scheduler captures and sets up that context for every task, and a spread ping round
 * is a task every step (about 18 a second while the server relays). On the managed scheduler the
 * heartbeat's thread took 5-6 ms of a core a second with 400 sockets relaying 2,000 msgs/s.
 */
@ApplicationScoped
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    ConnectionRegistry connections;

    @Inject
    Resumptions resumptions;

    @Inject
    Membership membership;

    @Inject
    SignalingConfig config;

    private ScheduledThreadPoolExecutor scheduler;
    private ScheduledFuture<?> beats;
    private ScheduledFuture<?> expiries;
    private ScheduledFuture<?> trims;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        long interval = config.heartbeatSeconds();
        scheduler = new ScheduledThreadPoolExecutor(1, threads);
        // Started here, on the application's thread, so that it carries the application's context.
        scheduler.prestartAllCoreThreads();
        scheduler.setRemoveOnCancelPolicy(true);
        // Once the application stops, a round's remaining steps are dropped, not run on its way out.
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        beats = scheduler.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.SECONDS);
        expiries = scheduler.scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
        trims = scheduler.scheduleAtFixedRate(Rings.shared()::trim, Rings.TRIM_SECONDS, Rings.TRIM_SECONDS, TimeUnit.SECONDS);
    }

    /** A failure must not end the schedule: {@code scheduleAtFixedRate} stops at the first exception. */
    private void beat() {
        try {
            long now = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(config.heartbeatSeconds());
            long silentFor = 2 * interval;
            List<SessionOutbox> due = new ArrayList<>();
            boolean sending = false;
            for (SessionOutbox connection : connections.all()) {
                sending = sending || connection.sentWithin(now, interval);
                if (now - connection.lastHeard() > silentFor) {
                    connection.giveUp(Close.SILENT.reason());
                } else if (connection.sendStalled(now, silentFor)) {
                    // A send the container never completes would hold the socket's queue for ever.
                    connection.giveUp(Close.TOO_SLOW.reason());
                } else if (!connection.busyBothWays(now, interval)) {
                    // A busy connection's ping would prove nothing its traffic has not, and cost a
                    // write and its pong's read.
                    due.add(connection);
                }
            }
            // A round at once delays whatever is relayed meanwhile; spread, it costs an idle server
            // more wake-ups than it saves anyone (PingRound).
            long spreadOver = sending ? TimeUnit.NANOSECONDS.toMillis(interval) / 2 : 0;
            PingRound.start(due, spreadOver, SessionOutbox::ping, this::later);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat round failed; the next one runs as usual", e);
        }
    }

    /** A ping round's next step; none once the scheduler is stopping. */
    private void later(long nanos, Runnable step) {
        try {
            scheduler.schedule(step, nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException stopping) {
            LOG.log(Level.FINE, "Scheduler refused a ping step; the application is stopping", stopping);
        }
    }

    private void expire() {
        try {
            for (Resumptions.Place place : resumptions.expire(System.nanoTime())) {
                membership.left(place.room(), place.member());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Resume expiry round failed; the next one runs as usual", e);
        }
    }

    /** The timers stop, and a round's steps still to come are dropped (one already running finishes). */
    @PreDestroy
    void stop() {
        if (scheduler != null) {
            beats.cancel(false);
            expiries.cancel(false);
            trims.cancel(false);
            scheduler.shutdown();
        }
    }
}
