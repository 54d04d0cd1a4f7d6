package dev.rendezvous.signaling;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The effective {@code signaling.*} settings (MicroProfile Config: environment variables such as
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
    @ConfigProperty(name = "signaling.turn.username")
    Optional<String> turnUsername;

    @Inject
    @ConfigProperty(name = "signaling.turn.credential")
    Optional<String> turnCredential;

    /** List-valued keys are read from here: Payara cannot inject {@code Optional<List<String>>}. */
    @Inject
    Config settings;

    private List<String> stunUrls;
    private List<String> turnUrls;
    private List<Outbound.IceServer> iceServers;

    @PostConstruct
    void check() {
        checkLimits(maxPeers, maxMessageBytes);
        stunUrls = settings.getOptionalValues("signaling.stun.urls", String.class).orElse(List.of());
        turnUrls = settings.getOptionalValues("signaling.turn.urls", String.class).orElse(List.of());
        iceServers = iceServers(stunUrls, turnUrls, turnUsername, turnCredential);
    }

    static void checkLimits(int maxPeers, int maxMessageBytes) {
        require(maxPeers >= 1 && maxPeers <= 10_000, "signaling.room.max-peers must be 1..10000, was " + maxPeers);
        require(maxMessageBytes >= 1024 && maxMessageBytes <= 16 * 1024 * 1024,
                "signaling.message.max-bytes must be 1024..16777216, was " + maxMessageBytes);
    }

    /** The {@code RTCIceServer} list every welcome carries: one entry for the STUN URLs, one for TURN. */
    static List<Outbound.IceServer> iceServers(List<String> stun, List<String> turn,
                                               Optional<String> username, Optional<String> credential) {
        stun.forEach(url -> require(url.startsWith("stun:") || url.startsWith("stuns:"),
                "signaling.stun.urls entries must start with stun: or stuns:, was " + url));
        turn.forEach(url -> require(url.startsWith("turn:") || url.startsWith("turns:"),
                "signaling.turn.urls entries must start with turn: or turns:, was " + url));
        List<Outbound.IceServer> servers = new ArrayList<>();
        if (!stun.isEmpty()) {
            servers.add(new Outbound.IceServer(List.copyOf(stun), null, null));
        }
        if (!turn.isEmpty()) {
            require(username.isPresent() && credential.isPresent(),
                    "signaling.turn.urls needs signaling.turn.username and signaling.turn.credential");
            servers.add(new Outbound.IceServer(List.copyOf(turn), username.get(), credential.get()));
        }
        return List.copyOf(servers);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    void logAtStartUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "Signaling settings: signaling.room.max-peers=" + maxPeers
                + ", signaling.message.max-bytes=" + maxMessageBytes
                + ", signaling.stun.urls=" + stunUrls
                + ", signaling.turn.urls=" + turnUrls
                + ", signaling.turn.username=" + turnUsername.orElse("(none)")
                + ", signaling.turn.credential=" + (turnCredential.isPresent() ? "(set)" : "(none)"));
    }

    public int maxPeers() {
        return maxPeers;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public List<Outbound.IceServer> iceServers() {
        return iceServers;
    }

    public Outbound.Limits limits() {
        return new Outbound.Limits(maxPeers, maxMessageBytes);
    }
}
