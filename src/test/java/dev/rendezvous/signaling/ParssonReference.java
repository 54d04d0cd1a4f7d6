package dev.rendezvous.signaling;

import jakarta.json.JsonArray;
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
 * The protocol's grammar read a second way, by a general JSON parser (Parsson) building a tree:
 * the reference the {@link InboundDecoder}'s single pass is held to in {@link DecoderPropertiesTest}.
 * Inputs with repeated keys are not compared (JSON-P keeps the last; the decoder refuses them).
 */
final class ParssonReference {

    private static final BigDecimal MAX_LINE_INDEX = BigDecimal.valueOf(65535);
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = JSON.createBuilderFactory(Map.of());

    private ParssonReference() {
    }

    /** What the text means, read by JSON-P; unpaired surrogates anywhere make it BAD_MESSAGE. */
    static Inbound decode(String text) {
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
        if (!wellFormed(message)) {
            return bad("unpaired surrogate");
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
                return InboundDecoder.PING;
            case "bye":
                return InboundDecoder.BYE;
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

    private static boolean wellFormed(JsonValue value) {
        if (value instanceof JsonString string) {
            return wellFormed(string.getString());
        }
        if (value instanceof JsonObject object) {
            return object.entrySet().stream().allMatch(e -> wellFormed(e.getKey()) && wellFormed(e.getValue()));
        }
        if (value instanceof JsonArray array) {
            return array.stream().allMatch(ParssonReference::wellFormed);
        }
        return true;
    }

    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
