package dev.rendezvous.ops;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code signaling.admin.token}: when set, the administration API is published and answers only
 * requests that present this token as {@code Authorization: Bearer …}. Checked at start-up, never logged.
 */
@ApplicationScoped
public class AdminSettings {

    /** Shortest admin token accepted: long enough that guessing it is hopeless. */
    public static final int MIN_TOKEN_LENGTH = 32;
    private static final Logger LOG = Logger.getLogger(AdminSettings.class.getName());

    @Inject
    @ConfigProperty(name = "signaling.admin.token")
    Optional<String> token;

    /** SHA-256 of the token: requests are compared by digest, in constant time whatever their length. */
    private byte[] expected;

    @PostConstruct
    void check() {
        expected = token.map(AdminSettings::checked).map(AdminSettings::digest).orElse(null);
    }

    static String checked(String token) {
        if (token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("signaling.admin.token must be at least " + MIN_TOKEN_LENGTH
                    + " characters (e.g. openssl rand -hex 32)");
        }
        return token.strip();
    }

    void logAtStartUp(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "Administration API: " + (enabled() ? "on at /api/admin (signaling.admin.token set)" : "off"));
    }

    /** Whether the administration API is published at all. */
    public boolean enabled() {
        return expected != null;
    }

    /** Whether an {@code Authorization} header value presents the admin token; false for anything else, or when off. */
    public boolean accepts(String authorization) {
        if (expected == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(authorization.substring(7).strip()));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
