package dev.rendezvous.ops;

import dev.rendezvous.room.Peer;
import dev.rendezvous.room.RoomName;
import dev.rendezvous.room.Text;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/admin/tokens}, checked: {@code room} (a room name or {@code *}),
 * optional {@code name} and {@code maxPeers}, and {@code ttl} in seconds. Unknown fields are
 * refused, so that a misspelt limit is never silently dropped from a token.
 */
record MintRequest(String room, String name, Integer maxPeers, long ttl) {

    static final long DEFAULT_TTL = 3600;
    static final long MIN_TTL = 60;
    static final long MAX_TTL = 86400;
    static final int MAX_PEERS = 10_000;
    private static final Set<String> FIELDS = Set.of("room", "name", "maxPeers", "ttl");
    /** Looked up once: {@code Json.createReader} asks {@code ServiceLoader} for a provider on every call. */
    private static final JsonReaderFactory READERS = JsonProvider.provider().createReaderFactory(Map.of());

    /** @throws IllegalArgumentException saying what is wrong, for the client */
    static MintRequest parse(String body) {
        JsonObject json;
        try (JsonReader reader = READERS.createReader(new StringReader(body == null ? "" : body))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("the body must be a JSON object, e.g. {\"room\":\"demo\"}");
        }
        for (Map.Entry<String, JsonValue> field : json.entrySet()) {
            if (!Text.isWellFormed(field.getKey())
                    || field.getValue() instanceof JsonString value && !Text.isWellFormed(value.getString())) {
                throw new IllegalArgumentException("the body must be well-formed text: a string in it holds an unpaired surrogate");
            }
        }
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field " + field + "; the fields are room, name, maxPeers and ttl");
            }
        }
        String room = text(json, "room");
        if (room == null || !room.equals("*") && !RoomName.isValid(room)) {
            throw new IllegalArgumentException("room is required: 1-64 characters of A-Z a-z 0-9 _ -, or * for any room");
        }
        String name = text(json, "name");
        if (name != null && name.codePointCount(0, name.length()) > Peer.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be at most " + Peer.MAX_NAME_LENGTH + " characters");
        }
        Long maxPeers = whole(json, "maxPeers", 1, MAX_PEERS);
        Long ttl = whole(json, "ttl", MIN_TTL, MAX_TTL);
        return new MintRequest(room, name, maxPeers == null ? null : maxPeers.intValue(), ttl == null ? DEFAULT_TTL : ttl);
    }

    /** A string field, or {@code null} when absent or null. */
    private static String text(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new IllegalArgumentException(field + " must be a string");
    }

    /** A whole-number field within bounds, or {@code null} when absent or null. */
    private static Long whole(JsonObject json, String field, long min, long max) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.bigDecimalValue().compareTo(BigDecimal.valueOf(min)) >= 0
                && number.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) <= 0) {
            return number.longValueExact();
        }
        throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
    }
}
