package dev.rendezvous.auth;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code signaling.origins} and {@code signaling.auth.secret}: the handshake's origin check and,
 * when a secret is set, the access tokens every join must carry.
 */
@ApplicationScoped
public class AuthSettings {

    private static final Logger LOG = Logger.getLogger(AuthSettings.class.getName());

    @Inject
    @ConfigProperty(name = "signaling.auth.secret")
    Optional<String> secret;

    @Inject
    Config settings;

    private List<String> origins;
    private OriginPolicy originPolicy;
    private AccessTokens tokens;

    @PostConstruct
    void check() {
        origins = settings.getOptionalValues("signaling.origins", String.class).orElse(List.of());
        originPolicy = new OriginPolicy(origins);
        tokens = secret.map(AccessTokens::new).orElse(null);
    }

    void logAtStartUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "Access settings: signaling.origins=" + (origins.isEmpty() ? "(this server's own origin)" : origins)
                + ", access tokens " + (tokens == null ? "off" : "required (signaling.auth.secret set)"));
    }

    public OriginPolicy origins() {
        return originPolicy;
    }

    public boolean tokensRequired() {
        return tokens != null;
    }

    /**
     * A token that lets its holder into {@code room} until {@code expiry} (see {@link AccessTokens#mint}).
     *
     * @throws IllegalStateException when tokens are off: there is no secret to sign with
     */
    public String mint(String room, String name, Integer maxPeers, Instant expiry) {
        if (tokens == null) {
            throw new IllegalStateException("signaling.auth.secret is not set");
        }
        return tokens.mint(room, name, maxPeers, expiry);
    }

    /** Whether {@code token} lets its holder into {@code room} ({@code null}: any room); always yes when tokens are off. */
    public Access access(String token, String room) {
        return tokens == null ? Access.OPEN : tokens.verify(token, room, Instant.now());
    }
}
