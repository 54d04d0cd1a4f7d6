package dev.rendezvous.signaling;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Logger;

/**
 * The effective {@code signaling.*} limits (MicroProfile Config: environment variables such as
 * {@code SIGNALING_ROOM_MAX_PEERS} override). Checked and logged once at start-up; a bad value
 * stops the deployment with a message naming the key.
 */
@ApplicationScoped
public class SignalingConfig {

    static final int DEFAULT_MAX_MESSAGE_BYTES = 65536;
    private static final Logger LOG = Logger.getLogger(SignalingConfig.class.getName());

    @Inject
    @ConfigProperty(name = "signaling.room.max-peers", defaultValue = "8")
    int maxPeers;

    @Inject
    @ConfigProperty(name = "signaling.message.max-bytes", defaultValue = "" + DEFAULT_MAX_MESSAGE_BYTES)
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "signaling.rooms.max", defaultValue = "10000")
    int maxRooms;

    @Inject
    @ConfigProperty(name = "signaling.connections.max", defaultValue = "20000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "signaling.connections.per-address", defaultValue = "100")
    int maxConnectionsPerAddress;

    @Inject
    @ConfigProperty(name = "signaling.rate.per-second", defaultValue = "50")
    int ratePerSecond;

    @Inject
    @ConfigProperty(name = "signaling.rate.burst", defaultValue = "200")
    int rateBurst;

    @Inject
    @ConfigProperty(name = "signaling.outbox.max-bytes", defaultValue = "1048576")
    int maxOutboxBytes;

    @Inject
    @ConfigProperty(name = "signaling.heartbeat.interval", defaultValue = "15")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "signaling.resume.grace", defaultValue = "30")
    int resumeGraceSeconds;

    @PostConstruct
    void check() {
        checkLimits(maxPeers, maxMessageBytes);
        require(maxRooms >= 1, "signaling.rooms.max must be at least 1, was " + maxRooms);
        require(maxConnections >= 1, "signaling.connections.max must be at least 1, was " + maxConnections);
        require(maxConnectionsPerAddress >= 1, "signaling.connections.per-address must be at least 1, was " + maxConnectionsPerAddress);
        require(ratePerSecond >= 1, "signaling.rate.per-second must be at least 1, was " + ratePerSecond);
        require(rateBurst >= 1, "signaling.rate.burst must be at least 1, was " + rateBurst);
        require(maxOutboxBytes >= maxMessageBytes,
                "signaling.outbox.max-bytes must be at least signaling.message.max-bytes, was " + maxOutboxBytes);
        require(heartbeatSeconds >= 1 && heartbeatSeconds <= 3600,
                "signaling.heartbeat.interval must be 1..3600 seconds, was " + heartbeatSeconds);
        require(resumeGraceSeconds >= 0 && resumeGraceSeconds <= 3600,
                "signaling.resume.grace must be 0..3600 seconds (0: no resume), was " + resumeGraceSeconds);
    }

    static void checkLimits(int maxPeers, int maxMessageBytes) {
        require(maxPeers >= 1 && maxPeers <= 10_000, "signaling.room.max-peers must be 1..10000, was " + maxPeers);
        require(maxMessageBytes >= 1024 && maxMessageBytes <= 16 * 1024 * 1024,
                "signaling.message.max-bytes must be 1024..16777216, was " + maxMessageBytes);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    void logAtStartUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "Signaling settings: signaling.room.max-peers=" + maxPeers
                + ", signaling.message.max-bytes=" + maxMessageBytes
                + ", signaling.rooms.max=" + maxRooms
                + ", signaling.connections.max=" + maxConnections
                + ", signaling.connections.per-address=" + maxConnectionsPerAddress
                + ", signaling.rate.per-second=" + ratePerSecond
                + ", signaling.rate.burst=" + rateBurst
                + ", signaling.outbox.max-bytes=" + maxOutboxBytes
                + ", signaling.heartbeat.interval=" + heartbeatSeconds + "s"
                + ", signaling.resume.grace=" + resumeGraceSeconds + "s");
    }

    public int maxPeers() {
        return maxPeers;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxRooms() {
        return maxRooms;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }

    public int rateBurst() {
        return rateBurst;
    }

    public int maxOutboxBytes() {
        return maxOutboxBytes;
    }

    public int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    public int resumeGraceSeconds() {
        return resumeGraceSeconds;
    }
}
