package dev.rendezvous.room;

/**
 * The rule for every string a client supplies that the server writes back or passes on: it must
 * be well-formed UTF-16, with no unpaired surrogate (half of a character, which no UTF-8 frame or
 * HTTP body can carry: the container throws while encoding it).
 */
public final class Text {

    private Text() {
    }

    /** Whether every surrogate in {@code text} is one half of a pair, in order. */
    public static boolean isWellFormed(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
