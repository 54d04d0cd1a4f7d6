package dev.rendezvous.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Checks, and for the administration API mints, HS256 access tokens (JWT). Claims: {@code room}
 * (the room, or {@code *}), {@code exp} (required), optional {@code nbf}, {@code name} (the display
 * name, overriding the query) and {@code maxPeers} (this room's capacity for this join). Parsing and signature checks are
 * nimbus-jose-jwt's; only HS256 is accepted, so {@code alg: none} and algorithm swaps fail.
 */
public final class AccessTokens {

    /** Clock difference tolerated between the server and the backend that minted the token. */
    static final Duration SKEW = Duration.ofSeconds(30);
    public static final int MIN_SECRET_BYTES = 32;

    private final MACVerifier verifier;
    private final MACSigner signer;

    public AccessTokens(String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("signaling.auth.secret must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
        }
        try {
            verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
            signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException("signaling.auth.secret is not usable for HS256", e);
        }
    }

    /**
     * A token for {@code room} (or {@code *}) valid until {@code expiry}, with the optional
     * {@code name} and {@code maxPeers} claims when not {@code null}: what {@link #verify} admits.
     */
    public String mint(String room, String name, Integer maxPeers, Instant expiry) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("room", room).expirationTime(Date.from(expiry));
        if (name != null) {
            claims.claim("name", name);
        }
        if (maxPeers != null) {
            claims.claim("maxPeers", maxPeers);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed with a key that was accepted at start-up", e);
        }
        return jwt.serialize();
    }

    /** @param room the room being joined, or {@code null} when any room will do */
    public Access verify(String token, String room, Instant now) {
        if (token == null || token.isBlank()) {
            return new Access.Denied("an access token is required");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return new Access.Denied("the token must be signed with HS256");
            }
            if (!jwt.verify(verifier)) {
                return new Access.Denied("the token's signature is not valid");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (expiry == null) {
                return new Access.Denied("the token has no expiry (exp)");
            }
            if (expiry.toInstant().plus(SKEW).isBefore(now)) {
                return new Access.Denied("the token has expired");
            }
            Date notBefore = claims.getNotBeforeTime();
            if (notBefore != null && notBefore.toInstant().minus(SKEW).isAfter(now)) {
                return new Access.Denied("the token is not valid yet");
            }
            String tokenRoom = claims.getStringClaim("room");
            if (tokenRoom == null) {
                return new Access.Denied("the token names no room");
            }
            if (room != null && !tokenRoom.equals("*") && !tokenRoom.equals(room)) {
                return new Access.Denied("the token is for another room");
            }
            // Read as parsed, not as getIntegerClaim reads it: that takes intValue(), so 4294967304 would be 8 and 2.5 be 2.
            Object claimed = claims.getClaim("maxPeers");
            Integer maxPeers = null;
            if (claimed != null) {
                long value = claimed instanceof Long || claimed instanceof Integer ? ((Number) claimed).longValue() : 0;
                if (value < 1 || value > 10_000) {
                    return new Access.Denied("the token's maxPeers must be 1..10000");
                }
                maxPeers = (int) value;
            }
            return new Access.Granted(claims.getStringClaim("name"), maxPeers);
        } catch (ParseException | JOSEException | RuntimeException malformed) {
            return new Access.Denied("the token is not a valid JWT");
        }
    }
}
