package dev.rendezvous.ice;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@code RTCIceServer} list each peer gets: one entry for the STUN URLs, one for the TURN URLs
 * with either the static {@code signaling.turn.username}/{@code credential} or, when
 * {@code signaling.turn.secret} is set, credentials minted for that peer and valid for
 * {@code signaling.turn.ttl} seconds.
 */
@ApplicationScoped
public class IceServers {

    private static final Logger LOG = Logger.getLogger(IceServers.class.getName());

    @Inject
    @ConfigProperty(name = "signaling.turn.username")
    Optional<String> turnUsername;

    @Inject
    @ConfigProperty(name = "signaling.turn.credential")
    Optional<String> turnCredential;

    @Inject
    @ConfigProperty(name = "signaling.turn.secret")
    Optional<String> turnSecret;

    @Inject
    @ConfigProperty(name = "signaling.turn.ttl", defaultValue = "3600")
    long turnTtl;

    /** List-valued keys are read from here: Payara cannot inject {@code Optional<List<String>>}. */
    @Inject
    Config settings;

    private List<String> stunUrls;
    private List<String> turnUrls;
    private TurnCredentials minted;
    private List<IceServer> fixed;

    @PostConstruct
    void check() {
        stunUrls = settings.getOptionalValues("signaling.stun.urls", String.class).orElse(List.of());
        turnUrls = settings.getOptionalValues("signaling.turn.urls", String.class).orElse(List.of());
        if (turnSecret.isPresent()) {
            if (turnUsername.isPresent() || turnCredential.isPresent()) {
                LOG.warning("signaling.turn.secret is set: signaling.turn.username and signaling.turn.credential are ignored");
            }
            require(turnTtl >= 60 && turnTtl <= 7 * 86400, "signaling.turn.ttl must be 60..604800 seconds, was " + turnTtl);
            minted = new TurnCredentials(turnSecret.get(), turnTtl);
        }
        fixed = fixed(stunUrls, turnUrls, turnUsername, turnCredential, minted != null);
    }

    /** The list without per-peer credentials; TURN is left out here when credentials are minted per peer. */
    static List<IceServer> fixed(List<String> stun, List<String> turn, Optional<String> username,
                                 Optional<String> credential, boolean mintedTurn) {
        stun.forEach(url -> require(url.startsWith("stun:") || url.startsWith("stuns:"),
                "signaling.stun.urls entries must start with stun: or stuns:, was " + url));
        turn.forEach(url -> require(url.startsWith("turn:") || url.startsWith("turns:"),
                "signaling.turn.urls entries must start with turn: or turns:, was " + url));
        List<IceServer> servers = new ArrayList<>();
        if (!stun.isEmpty()) {
            servers.add(new IceServer(List.copyOf(stun), null, null));
        }
        if (!turn.isEmpty() && !mintedTurn) {
            require(username.isPresent() && credential.isPresent(),
                    "signaling.turn.urls needs signaling.turn.secret, or signaling.turn.username and signaling.turn.credential");
            servers.add(new IceServer(List.copyOf(turn), username.get(), credential.get()));
        }
        return List.copyOf(servers);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    void logAtStartUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "ICE settings: signaling.stun.urls=" + stunUrls + ", signaling.turn.urls=" + turnUrls
                + ", TURN credentials " + (minted != null ? "minted per peer for " + turnTtl + " s (signaling.turn.secret set)"
                : turnUsername.isPresent() ? "static for user " + turnUsername.get() : "none"));
    }

    /** The ICE servers for one peer; with minted TURN credentials, the username ends in {@code user}. */
    public List<IceServer> forPeer(String user) {
        if (minted == null || turnUrls.isEmpty()) {
            return fixed;
        }
        List<IceServer> servers = new ArrayList<>(fixed);
        servers.add(minted.issue(turnUrls, user, Instant.now().getEpochSecond()));
        return servers;
    }

    /** How long minted credentials last, or 0 when they are static or absent. */
    public long ttlSeconds() {
        return minted == null ? 0 : minted.ttlSeconds();
    }
}
