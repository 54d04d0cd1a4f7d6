package dev.rendezvous.room;

/** A member as the others see it: the server-assigned id and the display name it chose. */
public record Peer(String peer, String name) {

    /** Longest display name kept, in code points. */
    public static final int MAX_NAME_LENGTH = 64;

    /**
     * Turns a client-supplied display name into one safe to show others: control and format
     * characters and unpaired surrogates (half a character, which no UTF-8 frame can carry) removed, surrounding white space trimmed, at most {@value #MAX_NAME_LENGTH}
     * code points; {@code null} becomes the empty name.
     */
    public static String cleanName(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder(Math.min(raw.length(), MAX_NAME_LENGTH * 2));
        raw.codePoints()
                .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                        && Character.getType(cp) != Character.SURROGATE)
                .forEach(kept::appendCodePoint);
        String trimmed = kept.toString().strip();
        if (trimmed.codePointCount(0, trimmed.length()) <= MAX_NAME_LENGTH) {
            return trimmed;
        }
        return trimmed.substring(0, trimmed.offsetByCodePoints(0, MAX_NAME_LENGTH)).strip();
    }
}
