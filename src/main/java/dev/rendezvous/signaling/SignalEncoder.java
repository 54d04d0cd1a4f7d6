package dev.rendezvous.signaling;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

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
    /** Room for the field names and quotes around the values. */
    private static final int OVERHEAD = 64;
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

    private static String session(String type, String from, String to, String sdp) {
        StringBuilder out = start(type, from, to, sdp.length());
        out.append(",\"sdp\":");
        string(out, sdp);
        return out.append('}').toString();
    }

    private static StringBuilder start(String type, String from, String to, int bodyLength) {
        StringBuilder out = new StringBuilder(bodyLength + OVERHEAD);
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
        out.append('"');
        int plain = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            out.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plain, length).append('"');
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
