package dev.rendezvous.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

/**
 * Time-limited TURN credentials as coturn checks them with {@code use-auth-secret}: the username is
 * {@code <expiry unix seconds>:<user>}, the password {@code base64(HMAC-SHA1(secret, username))}.
 * The TURN server needs only the shared secret, never a user list.
 */
public final class TurnCredentials {

    private final byte[] secret;
    private final long ttlSeconds;

    public TurnCredentials(String secret, long ttlSeconds) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttlSeconds = ttlSeconds;
    }

    /** Credentials for {@code user} on these TURN URLs, valid for the configured time from {@code nowSeconds}. */
    public IceServer issue(List<String> urls, String user, long nowSeconds) {
        String username = (nowSeconds + ttlSeconds) + ":" + user;
        return new IceServer(urls, username, sign(username));
    }

    String sign(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }
}
