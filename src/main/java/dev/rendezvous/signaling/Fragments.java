package dev.rendezvous.signaling;

/**
 * Joins the fragments of a connection's text messages while their size in UTF-8 stays within the
 * limit: a container may buffer a fragmented message without bound (WildFly's did, until its heap
 * ran out). A surrogate pair split across two fragments is counted as the four bytes it is.
 */
final class Fragments {

    /** What {@link #add} gives for a message that went over the limit (compared by identity). */
    static final String OVER_LIMIT = new String("(over the limit)");

    private final int maxBytes;
    /** The message so far, or null between messages. */
    private StringBuilder text;
    private long bytes;

    Fragments(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the next frame of a text message: the whole message once {@code last} comes, null
     * while more is to come, or {@link #OVER_LIMIT} as soon as it is over the limit (what came is
     * dropped, and the next frame starts a new message). A message in one frame is given back as it is.
     */
    String add(String part, boolean last) {
        if (text == null) {
            if (last) {
                return part;
            }
            text = new StringBuilder();
            bytes = 0;
        }
        int length = part.length();
        for (int i = 0; i < length; i++) {
            char c = part.charAt(i);
            // A low surrogate completes a pair whose high half was counted as three bytes.
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isLowSurrogate(c) ? 1 : 3;
        }
        if (bytes > maxBytes) {
            text = null;
            return OVER_LIMIT;
        }
        text.append(part);
        if (!last) {
            return null;
        }
        String whole = text.toString();
        text = null;
        return whole;
    }
}
