package dev.rendezvous.signaling;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Arrays;
import java.util.Map;

/**
 * Writes the JSON text of a relayed {@link Signal} directly, without JSON-B: every relayed message
 * passes through here, and Yasson's general path (a generator, a serializer chain and a recursion
 * check that hashes the whole record) cost more than the rest of the server's own work per message.
 * The output is the same JSON as JSON-B's of the same record: {@code type}, {@code from}, {@code to}
 * only when set, then {@code sdp} or {@code candidate}.
 */
final class SignalEncoder {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /**
     * Room for the field names, the quotes around the values and the closing brace:
     * {@code {"type":"","from":"","to":"","sdp":}} and more for a few escapes.
     */
    private static final int OVERHEAD = 48;
    /** Room for a typical candidate object. */
    private static final int CANDIDATE_LENGTH = 160;

    private SignalEncoder() {
    }

    static String encode(Signal signal) {
        if (signal instanceof Offer offer) {
            return session("offer", offer.from(), offer.to(), offer.sdp());
        }
        if (signal instanceof Answer answer) {
            return session("answer", answer.from(), answer.to(), answer.sdp());
        }
        Candidate candidate = (Candidate) signal;
        StringBuilder out = start("candidate", candidate.from(), candidate.to(), CANDIDATE_LENGTH);
        out.append(",\"candidate\":");
        if (candidate.candidate() instanceof JsonObject init) {
            // The sanitised candidate object: its strings written here, like every other string.
            char separator = '{';
            for (Map.Entry<String, JsonValue> field : init.entrySet()) {
                out.append(separator);
                separator = ',';
                string(out, field.getKey());
                out.append(':');
                if (field.getValue() instanceof JsonString text) {
                    string(out, text.getString());
                } else {
                    out.append(field.getValue());
                }
            }
            out.append(separator == '{' ? "{}" : "}");
        } else {
            out.append("null");
        }
        return out.append('}').toString();
    }

    private static String session(String type, String from, String to, Sdp sdp) {
        String json = sdp.json();
        StringBuilder out = start(type, from, to, json != null ? json.length() : sdp.text().length());
        out.append(",\"sdp\":");
        if (json != null) {
            // The client's own string, which is what the line below would write for it.
            out.append(json);
        } else {
            string(out, sdp.text());
        }
        return out.append('}').toString();
    }

    /**
     * The builder with the message's head written, sized for the whole message so that it is never
     * copied to grow: the ids alone are more than a fixed allowance would hold.
     */
    private static StringBuilder start(String type, String from, String to, int bodyLength) {
        int ids = (from != null ? from.length() : 0) + (to != null ? to.length() : 0);
        StringBuilder out = new StringBuilder(bodyLength + type.length() + ids + OVERHEAD);
        out.append("{\"type\":\"").append(type).append('"');
        if (from != null) {
            out.append(",\"from\":");
            string(out, from);
        }
        if (to != null) {
            out.append(",\"to\":");
            string(out, to);
        }
        return out;
    }

    /**
     * A JSON string (RFC 8259): quote, backslash and control characters escaped, everything else as
     * is. A surrogate without its pair (the decoder lets none through) would be escaped too, so
     * that what is written always encodes as UTF-8: the container throws an {@code Error} otherwise.
     */
    static void string(StringBuilder out, String value) {
        if (needsNoEscape(value)) {
            // Appended whole, the string is copied as one array; a range of it goes a character at a time.
            out.append('"').append(value).append('"');
            return;
        }
        out.append(escaped(value));
    }

    /**
     * {@code value} quoted and escaped, built in an array: the stretches between escapes (an SDP's
     * lines) are copied whole, and the result is appended as one string.
     */
    private static String escaped(String value) {
        int length = value.length();
        // Room for an SDP's escaped line ends; grown in the rare case of more.
        char[] out = new char[length + length / 8 + 16];
        int written = 0;
        out[written++] = '"';
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            out = room(out, written + (i - plain) + 6);
            value.getChars(plain, i, out, written);
            written += i - plain;
            plain = i + 1;
            out[written++] = '\\';
            switch (c) {
                case '"' -> out[written++] = '"';
                case '\\' -> out[written++] = '\\';
                case '\n' -> out[written++] = 'n';
                case '\r' -> out[written++] = 'r';
                case '\t' -> out[written++] = 't';
                case '\b' -> out[written++] = 'b';
                case '\f' -> out[written++] = 'f';
                default -> {
                    out[written++] = 'u';
                    out[written++] = HEX[c >> 12];
                    out[written++] = HEX[(c >> 8) & 0xF];
                    out[written++] = HEX[(c >> 4) & 0xF];
                    out[written++] = HEX[c & 0xF];
                }
            }
        }
        out = room(out, written + (length - plain) + 1);
        value.getChars(plain, length, out, written);
        written += length - plain;
        out[written++] = '"';
        return new String(out, 0, written);
    }

    /** {@code out}, or a copy of it at least twice as long, with room for {@code needed} characters. */
    private static char[] room(char[] out, int needed) {
        return needed <= out.length ? out : Arrays.copyOf(out, Math.max(needed, 2 * out.length));
    }

    /**
     * Whether {@code value} is written as it is: no quote, backslash, control character or surrogate
     * (a pair is written as it is too, but by the loop above). The quote and the backslash are
     * looked for by the JDK's vectorised search. Ids and candidate lines are plain; an SDP is not (its
     * line ends are escaped), and its first line end sends it to the loop above at once.
     */
    private static boolean needsNoEscape(String value) {
        if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
            return false;
        }
        for (int i = 0, length = value.length(); i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                return false;
            }
        }
        return true;
    }
}
