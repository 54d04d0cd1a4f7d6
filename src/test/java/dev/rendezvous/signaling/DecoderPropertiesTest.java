package dev.rendezvous.signaling;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a client sends, the decoder answers with a value, never an exception: a message to act
 * on, or one of the documented error codes; and nothing it lets through carries more than the
 * protocol's fields, of the protocol's types.
 */
class DecoderPropertiesTest {

    private static final Set<ErrorCode> DECODER_CODES = Set.of(ErrorCode.BAD_MESSAGE, ErrorCode.UNKNOWN_TYPE, ErrorCode.TOO_LARGE);
    private static final List<String> KEYS = List.of("type", "to", "from", "sdp", "candidate", "sdpMid",
            "sdpMLineIndex", "usernameFragment", "extra", "__proto__", "");
    private static final List<String> TYPES = List.of("offer", "answer", "candidate", "ping", "bye", "welcome", "error", "x");

    private final InboundDecoder decoder = new InboundDecoder(4096);
    private final OutboundEncoder encoder = new OutboundEncoder();

    @Property(tries = 2000)
    void anyTextGetsAnAnswerNeverAnException(@ForAll String text) {
        assertAnswered(text);
    }

    @Property(tries = 2000)
    void anyJsonGetsAnAnswerAndOnlyProtocolFieldsEverGoOut(@ForAll("messages") String json) {
        assertAnswered(json);
    }

    @Property(tries = 500)
    void wellFormedOffersSurviveTheRoundTrip(@ForAll("ids") String to, @ForAll("sdps") String sdp) {
        Offer offer = new Offer(null, to, sdp);
        assertEquals(offer, decoder.decode(encoder.encode(offer)));
    }

    private void assertAnswered(String text) {
        Inbound inbound = decoder.decode(text);
        if (inbound instanceof Inbound.Invalid invalid) {
            assertTrue(DECODER_CODES.contains(invalid.code()), invalid.toString());
            assertTrue(!invalid.message().isBlank());
        } else if (inbound instanceof Signal signal) {
            assertOnlyProtocolFields(encoder.encode(signal.from("server-set")));
        }
    }

    @Property(tries = 3000)
    void theFastPathDecodesAsTheGeneralDecoderOrDeclines(@ForAll("messages") String json) {
        assertFlatAgrees(json);
    }

    @Property(tries = 2000)
    void theFastPathAgreesOnAnyTextToo(@ForAll("jsonish") String text) {
        assertFlatAgrees(text);
    }

    @Property(tries = 1000)
    void theFastPathTakesEveryWellFormedOfferAnswerPingAndBye(@ForAll("ids") String to, @ForAll("escapable") String sdp,
                                                             @ForAll boolean offer) {
        JsonObject message = Json.createObjectBuilder().add("type", offer ? "offer" : "answer").add("to", to).add("sdp", sdp).build();
        Inbound flat = FlatMessageDecoder.decode(message.toString());
        assertEquals(offer ? new Offer(null, to, sdp) : new Answer(null, to, sdp), flat);
        assertEquals(InboundDecoder.PING, FlatMessageDecoder.decode("{\"type\":\"ping\"}"));
        assertEquals(InboundDecoder.BYE, FlatMessageDecoder.decode(" { \"type\" : \"bye\" } "));
    }

    @Property(tries = 500)
    void theFastPathReadsEveryEscapeAsTheGeneralDecoder(@ForAll("escapable") String plain) {
        // Every character escaped the long way, and the short escapes JSON allows besides.
        StringBuilder sdp = new StringBuilder("x\\/\\b\\f");
        plain.chars().forEach(c -> sdp.append(String.format("\\u%04x", c)));
        String text = "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\\n\\r\\t\\\"\\\\\"}";
        assertEquals(decoder.general(text), FlatMessageDecoder.decode(text), text);
        assertEquals(new Offer(null, null, "x/\b\f" + plain + "\n\r\t\"\\"), FlatMessageDecoder.decode(text), text);
    }

    @Property(tries = 1000)
    void theFastPathAgreesOnUnescapedText(@ForAll("escapable") String raw, @ForAll("escapable") String key) {
        assertFlatAgrees("{\"type\":\"answer\",\"sdp\":\"" + raw + "\"}");
        assertFlatAgrees("{\"" + key + "\":\"x\",\"type\":\"offer\",\"sdp\":\"y\"}");
    }

    @Provide
    Arbitrary<String> escapable() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007fé😀a ").ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40));
    }

    private void assertFlatAgrees(String text) {
        Inbound flat = FlatMessageDecoder.decode(text);
        if (flat != null) {
            assertEquals(decoder.general(text), flat, text);
        }
    }

    /** Text near JSON: fragments of messages, escapes, white space and stray characters, in any order. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> piece = Arbitraries.of("{", "}", "\"", ":", ",", " ", "\n", "\\", "\\u00e9", "\\ud83d", "\\n", "\\x",
                "\"type\"", "\"offer\"", "\"answer\"", "\"ping\"", "\"bye\"", "\"to\"", "\"sdp\"", "\"a\"", "5", "null",
                "[", "]", "\u0001", "\t");
        return piece.list().ofMaxSize(20).map(pieces -> String.join("", pieces));
    }

    private static void assertOnlyProtocolFields(String relayed) {
        JsonObject out = Json.createReader(new StringReader(relayed)).readObject();
        assertEquals("server-set", out.getString("from"));
        String type = out.getString("type");
        Set<String> allowed = type.equals("candidate") ? Set.of("type", "from", "to", "candidate") : Set.of("type", "from", "to", "sdp");
        assertTrue(allowed.containsAll(out.keySet()), relayed);
        if (out.containsKey("to")) {
            assertTrue(out.get("to") instanceof JsonString, relayed);
        }
        if (type.equals("candidate")) {
            JsonValue candidate = out.get("candidate");
            assertTrue(candidate == JsonValue.NULL || candidate instanceof JsonObject, relayed);
            if (candidate instanceof JsonObject init) {
                assertTrue(Set.of("candidate", "sdpMid", "sdpMLineIndex", "usernameFragment").containsAll(init.keySet()), relayed);
                assertTrue(init.get("candidate") instanceof JsonString, relayed);
            }
        } else {
            assertTrue(!out.getString("sdp").isEmpty(), relayed);
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> sdps() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(300);
    }

    @Provide
    Arbitrary<String> messages() {
        return object(3).map(JsonObjectBuilder::build).map(JsonObject::toString);
    }

    private Arbitrary<JsonObjectBuilder> object(int depth) {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(8));
        Arbitrary<JsonValue> value = value(depth);
        Arbitrary<List<String>> keys = key.list().ofMaxSize(6);
        return Combinators.combine(keys, value.list().ofSize(6), Arbitraries.of(TYPES), Arbitraries.integers().between(0, 3))
                .as((names, values, type, typed) -> {
                    JsonObjectBuilder object = Json.createObjectBuilder();
                    for (int i = 0; i < names.size(); i++) {
                        object.add(names.get(i), values.get(i));
                    }
                    if (typed > 0) {
                        object.add("type", type);
                    }
                    return object;
                });
    }

    private Arbitrary<JsonValue> value(int depth) {
        Arbitrary<JsonValue> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(Json::createValue),
                Arbitraries.integers().map(Json::createValue),
                Arbitraries.doubles().map(d -> Json.createValue(d)),
                Arbitraries.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonValue> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3).map(items -> {
            JsonArrayBuilder builder = Json.createArrayBuilder();
            items.forEach(builder::add);
            return builder.build();
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf),
                net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1)).map(JsonObjectBuilder::build)));
    }
}
