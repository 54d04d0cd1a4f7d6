package dev.rendezvous.signaling;

/**
 * The fragments of one text message, joined while their size in UTF-8 stays within the limit.
 * A surrogate pair split across two fragments is counted as the four bytes it is.
 */
final class Fragments {

    private final int maxBytes;
    private final StringBuilder text = new StringBuilder();
    private long bytes;

    Fragments(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds the next fragment; false, keeping nothing more, once the message is over the limit. */
    boolean add(String part) {
        int length = part.length();
        for (int i = 0; i < length; i++) {
            char c = part.charAt(i);
            // A low surrogate completes a pair whose high half was counted as three bytes.
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isLowSurrogate(c) ? 1 : 3;
        }
        if (bytes > maxBytes) {
            return false;
        }
        text.append(part);
        return true;
    }

    String text() {
        return text.toString();
    }
}
