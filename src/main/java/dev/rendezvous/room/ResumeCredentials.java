package dev.rendezvous.room;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Resume credentials: a member's signed claim to its id and name in a room, up to an expiry,
 * with a serial number drawn for each credential. Any server holding the same secret can check one without having issued it, so a
 * member can come back as itself to a server that restarted. The holder can read its credential;
 * the signature only stops anyone from making one up or changing it.
 */
public final class ResumeCredentials {

    /** What a credential says; {@code expiresAt} is in epoch seconds. */
    public record Claim(RoomName room, String peerId, String name, long serial, long expiresAt) {
    }

    private static final String VERSION = "r1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String ALGORITHM = "HmacSHA256";

    /** Keyed once and never used itself: signatures are made on copies (provider look-up and keying are most of its cost). */
    private final Mac keyed;
    /**
     * Copies not in use, each reset by the signature it last made, instead of a copy per signature
     * (two digests and their buffers, about 1 KB for every join). There are never more than threads
     * that signed at once.
     */
    private final ConcurrentLinkedQueue<Mac> spare = new ConcurrentLinkedQueue<>();

    public ResumeCredentials(byte[] secret) {
        try {
            keyed = Mac.getInstance(ALGORITHM);
            keyed.init(new SecretKeySpec(secret.clone(), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    public String issue(Claim claim) {
        byte[] payload = String.join("\n", claim.room().value(), claim.peerId(), Long.toString(claim.serial()),
                Long.toString(claim.expiresAt()), claim.name()).getBytes(StandardCharsets.UTF_8);
        return VERSION + "." + ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    /** The claim {@code credential} makes, if this secret signed it, it is for {@code room} and has not expired at {@code now} (epoch seconds). */
    public Optional<Claim> verify(String credential, RoomName room, long now) {
        if (credential == null) {
            return Optional.empty();
        }
        String[] parts = credential.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(parts[1]);
            if (!MessageDigest.isEqual(sign(payload), DECODER.decode(parts[2]))) {
                return Optional.empty();
            }
            String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", 5);
            Claim claim = new Claim(new RoomName(fields[0]), fields[1], fields[4], Long.parseLong(fields[2]), Long.parseLong(fields[3]));
            return claim.room().equals(room) && now < claim.expiresAt() ? Optional.of(claim) : Optional.empty();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty(); // not base64, or a signed payload of another shape: not ours
        }
    }

    private byte[] sign(byte[] payload) {
        Mac mac = spare.poll();
        if (mac == null) {
            try {
                mac = (Mac) keyed.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the runtime's HmacSHA256 cannot be copied", e);
            }
        }
        // doFinal leaves the copy reset, keyed as before; one that failed is not used again.
        byte[] signature = mac.doFinal(payload);
        spare.offer(mac);
        return signature;
    }
}
