package dev.rendezvous.room;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A member's id: 128 random bits the server draws, written as 22 URL-safe characters. Nobody can
 * choose or guess one, so holding it is no proof of anything but nobody can take another's.
 * Members and the wire carry its {@link #value()}.
 */
public record PeerId(String value) {

    /** 16 bytes = 128 bits, 22 URL-safe characters. */
    private static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODING = Base64.getUrlEncoder().withoutPadding();

    /** A fresh id, never handed out before (with overwhelming probability). */
    public static PeerId fresh() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new PeerId(ENCODING.encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
