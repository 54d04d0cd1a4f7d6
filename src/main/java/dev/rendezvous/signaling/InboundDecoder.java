package dev.rendezvous.signaling;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns any text a client sends into an {@link Inbound}. It never throws: whatever is wrong with
 * the text becomes an {@link Inbound.Invalid} carrying the documented code. The text is read once,
 * by the {@link MessageScanner}; only known fields are kept, so unknown ones (and any
 * client-supplied {@code from}) are dropped, never relayed.
 *
 * <p>The endpoint calls it on the text the container hands over rather than registering it as a
 * container decoder: Tyrus looks a registered decoder up again for every message (twice, with a
 * lock and an allocation each time), which showed up in the profile of every relayed message.
 * A little over the usual length: one field check per protocol field of every message type.
 */
final class InboundDecoder {

    static final Inbound.Ping PING = new Inbound.Ping();
    static final Inbound.Bye BYE = new Inbound.Bye();
    private static final BigDecimal MAX_LINE_INDEX = BigDecimal.valueOf(65535);
    /** Longer number texts are never an index from 0 to 65535 and are not worth a BigDecimal. */
    private static final int MAX_INDEX_TEXT = 32;
    private static final JsonBuilderFactory BUILDERS = JsonProvider.provider().createBuilderFactory(Map.of());

    private final int maxBytes;

    /** @param maxBytes the largest message accepted, in UTF-8 bytes; larger ones decode to TOO_LARGE */
    InboundDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    Inbound decode(String text) {
        if (utf8LengthExceeds(text, maxBytes)) {
            return new Inbound.Invalid(ErrorCode.TOO_LARGE, "message is larger than " + maxBytes + " bytes");
        }
        MessageScanner.Fields message;
        try {
            message = MessageScanner.scan(text);
        } catch (MessageScanner.Malformed malformed) {
            return bad(malformed.getMessage());
        }
        if (!(message.type instanceof String type)) {
            return bad("type must be a string");
        }
        return switch (type) {
            case "offer", "answer" -> session(type, message);
            case "candidate" -> candidate(message);
            case "ping" -> PING;
            case "bye" -> BYE;
            default -> new Inbound.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown message type");
        };
    }

    private static Inbound session(String type, MessageScanner.Fields message) {
        if (!isOptionalString(message.to)) {
            return bad(type + ".to must be a string");
        }
        if (!(message.sdp instanceof Sdp sdp) || sdp.isEmpty()) {
            return bad(type + ".sdp must be a non-empty string");
        }
        String to = stringOrNull(message.to);
        return type.equals("offer") ? new Offer(null, to, sdp) : new Answer(null, to, sdp);
    }

    private static Inbound candidate(MessageScanner.Fields message) {
        if (!isOptionalString(message.to)) {
            return bad("candidate.to must be a string");
        }
        String to = stringOrNull(message.to);
        if (message.candidate == MessageScanner.NULL) {
            return new Candidate(null, to, JsonValue.NULL);
        }
        if (!(message.candidate instanceof MessageScanner.CandidateFields init)) {
            return bad("candidate.candidate must be an object, or null for end of candidates");
        }
        if (!(init.candidate instanceof String line)) {
            return bad("candidate.candidate.candidate must be a string");
        }
        if (!isOptionalString(init.sdpMid) || !isOptionalString(init.usernameFragment)) {
            return bad("candidate.candidate.sdpMid and usernameFragment must be strings or null");
        }
        Integer index = null;
        if (!isNull(init.sdpMLineIndex)) {
            index = lineIndex(init.sdpMLineIndex);
            if (index == null) {
                return bad("candidate.candidate.sdpMLineIndex must be an integer from 0 to " + MAX_LINE_INDEX);
            }
        }
        JsonObjectBuilder kept = BUILDERS.createObjectBuilder().add("candidate", line);
        if (init.sdpMid instanceof String mid) {
            kept.add("sdpMid", mid);
        }
        if (index != null) {
            kept.add("sdpMLineIndex", index);
        }
        if (init.usernameFragment instanceof String fragment) {
            kept.add("usernameFragment", fragment);
        }
        return new Candidate(null, to, kept.build());
    }

    /** A JSON number whose value is a whole number (as JSON-P's {@code isIntegral}) from 0 to 65535, or null. */
    private static Integer lineIndex(Object value) {
        if (!(value instanceof MessageScanner.NumberText number) || number.text().length() > MAX_INDEX_TEXT) {
            return null;
        }
        BigDecimal index;
        try {
            index = new BigDecimal(number.text());
        } catch (NumberFormatException exponentBeyondAnInt) {
            // Valid JSON such as 1e9999999999, whose exponent BigDecimal cannot hold: not 0–65535 either.
            return null;
        }
        if (index.scale() != 0 || index.signum() < 0 || index.compareTo(MAX_LINE_INDEX) > 0) {
            return null;
        }
        return index.intValue();
    }

    private static Inbound.Invalid bad(String why) {
        return new Inbound.Invalid(ErrorCode.BAD_MESSAGE, why);
    }

    /** Absent or {@code null}. */
    private static boolean isNull(Object value) {
        return value == null || value == MessageScanner.NULL;
    }

    /** Absent, {@code null} or a string. */
    private static boolean isOptionalString(Object value) {
        return isNull(value) || value instanceof String;
    }

    private static String stringOrNull(Object value) {
        return value instanceof String string ? string : null;
    }

    /** Whether {@code text} takes more than {@code limit} bytes in UTF-8, counted without encoding it. */
    static boolean utf8LengthExceeds(String text, int limit) {
        int chars = text.length();
        if (chars > limit) {
            return true;
        }
        if ((long) chars * 3 <= limit) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > limit;
    }
}
