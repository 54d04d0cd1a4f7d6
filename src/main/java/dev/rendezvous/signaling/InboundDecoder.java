package dev.rendezvous.signaling;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns any text a client sends into an {@link Inbound}. It never throws: whatever is wrong with
 * the text becomes an {@link Inbound.Invalid} carrying the documented code. Only known fields are
 * read, so unknown ones (and any client-supplied {@code from}) are dropped, never relayed.
 *
 * <p>The endpoint calls it on the text the container hands over rather than registering it as a
 * container decoder: Tyrus looks a registered decoder up again for every message (twice, with a
 * lock and an allocation each time), which showed up in the profile of every relayed message.
 */
final class InboundDecoder {

    static final Inbound.Ping PING = new Inbound.Ping();
    static final Inbound.Bye BYE = new Inbound.Bye();
    private static final BigDecimal MAX_LINE_INDEX = BigDecimal.valueOf(65535);
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = JSON.createBuilderFactory(Map.of());

    private final int maxBytes;

    /** @param maxBytes the largest message accepted, in UTF-8 bytes; larger ones decode to TOO_LARGE */
    InboundDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    Inbound decode(String text) {
        if (utf8LengthExceeds(text, maxBytes)) {
            return new Inbound.Invalid(ErrorCode.TOO_LARGE, "message is larger than " + maxBytes + " bytes");
        }
        Inbound flat = FlatMessageDecoder.decode(text);
        return flat != null ? flat : general(text);
    }

    /** Any text, through a JSON parser. */
    Inbound general(String text) {
        JsonObject message;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return bad("message must be a JSON object");
            }
            message = parser.getObject();
            if (parser.hasNext()) {
                return bad("message must be a single JSON object");
            }
        } catch (RuntimeException notJson) {
            return bad("message is not valid JSON");
        }
        JsonValue type = message.get("type");
        if (!(type instanceof JsonString typeName)) {
            return bad("type must be a string");
        }
        switch (typeName.getString()) {
            case "offer":
            case "answer":
                return session(typeName.getString(), message);
            case "candidate":
                return candidate(message);
            case "ping":
                return PING;
            case "bye":
                return BYE;
            default:
                return new Inbound.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown message type");
        }
    }

    private static Inbound session(String type, JsonObject message) {
        JsonValue to = message.get("to");
        if (!isOptionalString(to)) {
            return bad(type + ".to must be a string");
        }
        JsonValue sdp = message.get("sdp");
        if (!(sdp instanceof JsonString sdpText) || sdpText.getString().isEmpty()) {
            return bad(type + ".sdp must be a non-empty string");
        }
        return type.equals("offer")
                ? new Offer(null, stringOrNull(to), sdpText.getString())
                : new Answer(null, stringOrNull(to), sdpText.getString());
    }

    private static Inbound candidate(JsonObject message) {
        JsonValue to = message.get("to");
        if (!isOptionalString(to)) {
            return bad("candidate.to must be a string");
        }
        if (!message.containsKey("candidate")) {
            return bad("candidate.candidate must be an object, or null for end of candidates");
        }
        JsonValue value = message.get("candidate");
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return new Candidate(null, stringOrNull(to), JsonValue.NULL);
        }
        if (!(value instanceof JsonObject init)) {
            return bad("candidate.candidate must be an object, or null for end of candidates");
        }
        if (!(init.get("candidate") instanceof JsonString line)) {
            return bad("candidate.candidate.candidate must be a string");
        }
        JsonValue mid = init.get("sdpMid");
        JsonValue fragment = init.get("usernameFragment");
        if (!isOptionalString(mid) || !isOptionalString(fragment)) {
            return bad("candidate.candidate.sdpMid and usernameFragment must be strings or null");
        }
        JsonValue index = init.get("sdpMLineIndex");
        if (!isNull(index) && !(index instanceof JsonNumber number && number.isIntegral()
                && number.bigDecimalValue().signum() >= 0 && number.bigDecimalValue().compareTo(MAX_LINE_INDEX) <= 0)) {
            return bad("candidate.candidate.sdpMLineIndex must be an integer from 0 to " + MAX_LINE_INDEX);
        }
        JsonObjectBuilder kept = BUILDERS.createObjectBuilder().add("candidate", line);
        if (!isNull(mid)) {
            kept.add("sdpMid", mid);
        }
        if (!isNull(index)) {
            kept.add("sdpMLineIndex", ((JsonNumber) index).intValue());
        }
        if (!isNull(fragment)) {
            kept.add("usernameFragment", fragment);
        }
        return new Candidate(null, stringOrNull(to), kept.build());
    }

    private static Inbound.Invalid bad(String why) {
        return new Inbound.Invalid(ErrorCode.BAD_MESSAGE, why);
    }

    /** Absent or {@code null}. */
    private static boolean isNull(JsonValue value) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    /** Absent, {@code null} or a string. */
    private static boolean isOptionalString(JsonValue value) {
        return isNull(value) || value instanceof JsonString;
    }

    private static String stringOrNull(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : null;
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
