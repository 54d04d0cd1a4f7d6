package dev.rendezvous.signaling;

/**
 * The decoder's fast path for the messages most often sent: a flat JSON object whose values are all
 * strings ({@code offer}, {@code answer}, {@code ping}, {@code bye}), read in one pass over the text
 * without building a JSON tree. Anything else it declines ({@code null}): another shape, a value
 * that is not a string, a repeated protocol field, a type it does not handle, invalid JSON. The
 * general decoder then answers, so what this accepts it must decode exactly as that one would;
 * a property test holds the two together.
 */
final class FlatMessageDecoder {

    private final String text;
    private int at;
    private String type;
    private String to;
    private String sdp;

    private FlatMessageDecoder(String text) {
        this.text = text;
    }

    /** The message, or {@code null} when the general decoder must answer. */
    static Inbound decode(String text) {
        return new FlatMessageDecoder(text).read();
    }

    private Inbound read() {
        if (!skip('{')) {
            return null;
        }
        if (!skip('}')) {
            do {
                String key = string();
                if (key == null || !skip(':')) {
                    return null;
                }
                String value = string();
                if (value == null || !keep(key, value)) {
                    return null;
                }
            } while (skip(','));
            if (!skip('}')) {
                return null;
            }
        }
        skipSpace();
        if (at != text.length() || type == null) {
            return null;
        }
        switch (type) {
            case "offer":
                return sdp == null || sdp.isEmpty() ? null : new Offer(null, to, sdp);
            case "answer":
                return sdp == null || sdp.isEmpty() ? null : new Answer(null, to, sdp);
            case "ping":
                return InboundDecoder.PING;
            case "bye":
                return InboundDecoder.BYE;
            default:
                return null;
        }
    }

    /** Keeps a protocol field; false for one seen twice (JSON leaves duplicates to the parser). */
    private boolean keep(String key, String value) {
        switch (key) {
            case "type":
                if (type != null) {
                    return false;
                }
                type = value;
                return true;
            case "to":
                if (to != null) {
                    return false;
                }
                to = value;
                return true;
            case "sdp":
                if (sdp != null) {
                    return false;
                }
                sdp = value;
                return true;
            default:
                return true; // unknown fields are dropped, as the general decoder drops them
        }
    }

    /** Skips white space, then {@code c} if it is next; whether it was. */
    private boolean skip(char c) {
        skipSpace();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    /** A JSON string after white space, unescaped; {@code null} if there is none or it is malformed. */
    private String string() {
        if (!skip('"')) {
            return null;
        }
        int start = at;
        // Most strings have no escapes: taken as one substring.
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                return text.substring(start, at++);
            }
            if (c == '\\') {
                return escaped(start);
            }
            if (c < 0x20) {
                return null;
            }
            at++;
        }
        return null;
    }

    private String escaped(int start) {
        StringBuilder out = new StringBuilder(text.length() - start).append(text, start, at);
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                return null;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        return null;
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) {
                            return null;
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }
}
