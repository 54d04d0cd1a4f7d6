package dev.rendezvous.signaling;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

    /** Looked up once: each {@code Json.create…} asks {@code ServiceLoader} for a provider. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final InboundDecoder decoder = new InboundDecoder(4096);
    private final OutboundEncoder encoder = new OutboundEncoder();

    @Property(tries = 2000)
    void anyTextGetsAnAnswerNeverAnException(@ForAll String text) {
        assertAnswered(text);
    }

    @Property(tries = 1000)
    void anyJsonGetsAnAnswerAndOnlyProtocolFieldsEverGoOut(@ForAll("messages") String json) {
        assertAnswered(json);
    }

    @Property(tries = 500)
    void wellFormedOffersSurviveTheRoundTrip(@ForAll("ids") String to, @ForAll("sdps") String sdp) {
        Offer offer = new Offer(null, to, sdp);
        assertEquals(offer, decoder.decode(encoder.encode(offer)));
    }

    /**
     * SDPs as browsers send them, kilobytes of lines each ending in an escaped CRLF, read and written
     * stretch by stretch: the same as a general JSON parser reads them, and back again intact.
     */
    @Property(tries = 300)
    void longSdpsWithLineEndsReadAsAGeneralJsonParserDoesAndSurviveTheRoundTrip(@ForAll("sdpLines") List<String> lines,
                                                                                  @ForAll("ids") String to) {
        String sdp = String.join("\r\n", lines) + "\r\n";
        InboundDecoder large = new InboundDecoder(1 << 20);
        Offer offer = new Offer(null, to, sdp);
        assertEquals(offer, large.decode(encoder.encode(offer)));
        // As another writer puts it: fields in another order, one unknown, with the same text after a quote.
        String text = JSON.createObjectBuilder().add("extra", "\"" + sdp).add("sdp", sdp).add("type", "offer").add("to", to)
                .build().toString();
        assertEquals(ParssonReference.decode(text), large.decode(text), text);
        assertEquals(offer, large.decode(text));
    }

    /**
     * However a client spells an SDP in JSON (each character as it is where JSON allows, or in any
     * escape JSON has for it), the offer relayed is exactly what the server writes for its text. A
     * string spelt as the server would spell it is relayed as it came, never unescaped; any other
     * spelling is read and written afresh.
     */
    @Property(tries = 3000)
    void anSdpIsRelayedAsTheServerWritesItHoweverTheClientSpeltIt(@ForAll("spellings") String sdp, @ForAll boolean asWritten,
                                                                   @ForAll long seed) {
        StringBuilder written = new StringBuilder();
        SignalEncoder.string(written, sdp);
        StringBuilder spelt = new StringBuilder("\"");
        Random choices = new Random(seed);
        for (int i = 0; i < sdp.length(); i++) {
            spelt.append(spelling(sdp.charAt(i), choices));
        }
        spelt.append('"');
        if (asWritten) {
            spelt = written;
        }

        Inbound inbound = decoder.decode("{\"type\":\"offer\",\"to\":\"B\",\"sdp\":" + spelt + ",\"x\":1}");

        Offer offer = assertInstanceOf(Offer.class, inbound, spelt::toString);
        assertEquals(sdp, offer.sdp().text());
        assertEquals(SignalEncoder.encode(new Offer("A", "B", sdp)), SignalEncoder.encode(offer.from("A")), spelt::toString);
        boolean surrogates = sdp.chars().anyMatch(c -> Character.isSurrogate((char) c));
        assertEquals(written.toString().contentEquals(spelt) && !surrogates, offer.sdp().json() != null, spelt::toString);
    }

    /** {@code c} as a JSON string may hold it: raw where allowed, or escaped in any way JSON allows. */
    private static String spelling(char c, Random choices) {
        String raw = c < 0x20 || c == '"' || c == '\\' ? null : String.valueOf(c);
        String shortEscape = switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '/' -> "\\/";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
        };
        String unicode = String.format(choices.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c);
        int pick = choices.nextInt(8);
        if (raw != null && pick < 6) {
            return raw;
        }
        return shortEscape != null && pick < 7 ? shortEscape : unicode;
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

    @Property(tries = 1500)
    void theDecoderReadsGeneratedMessagesAsAGeneralJsonParserDoes(@ForAll("messages") String json) {
        assertSameAsReference(json);
    }

    @Property(tries = 1000)
    void theDecoderReadsEveryEscapeAsAGeneralJsonParserDoes(@ForAll("escapable") String plain) {
        // Every character escaped the long way, and the short escapes JSON allows besides.
        StringBuilder sdp = new StringBuilder("x\\/\\b\\f");
        plain.chars().forEach(c -> sdp.append(String.format("\\u%04x", c)));
        String text = "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\\n\\r\\t\\\"\\\\\"}";
        assertSameAsReference(text);
        if (ParssonReference.wellFormed(plain)) {
            assertEquals(new Offer(null, null, "x/\b\f" + plain + "\n\r\t\"\\"), decoder.decode(text), text);
        }
    }

    @Property(tries = 2000)
    void theDecoderAgreesWithAGeneralJsonParserOnTextNearJson(@ForAll("jsonish") String text) {
        assertSameAsReference(text);
    }

    /**
     * Whatever arrives, every frame the server would send because of it (the relayed signal, or
     * the error, or the pong) encodes as UTF-8 with a strict encoder, as the container's does.
     */
    @Property(tries = 5000)
    void everyFrameSentForAnyTextEncodesAsStrictUtf8(@ForAll("hostile") String text) {
        Inbound inbound = decoder.decode(text);
        String frame;
        if (inbound instanceof Signal signal) {
            frame = encoder.encode(signal.from("server-set"));
        } else if (inbound instanceof Inbound.Invalid invalid) {
            frame = encoder.encode(new Outbound.ErrorReply(invalid.code(), invalid.message()));
        } else {
            frame = encoder.encode(new Outbound.Pong());
        }
        CharsetEncoder strict = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.encode(CharBuffer.wrap(frame));
        } catch (CharacterCodingException e) {
            throw new AssertionError("the container could not send " + frame + " for " + text, e);
        }
    }

    @Property(tries = 2000)
    void anUnpairedSurrogateInAnyStringIsBadMessage(@ForAll("surrogateHomes") String template, @ForAll("unpaired") String half) {
        Inbound inbound = decoder.decode(template.replace("@", half));
        assertEquals(ErrorCode.BAD_MESSAGE, assertInstanceOf(Inbound.Invalid.class, inbound).code(), template + " " + half);
    }

    /** Each half of a pair as it is or escaped, the one either way the other is. */
    @Property(tries = 500)
    void pairedSurrogatesEscapedOrNotAreRelayedIntact(@ForAll("emoji") String emoji, @ForAll boolean escapeHigh, @ForAll boolean escapeLow) {
        String written = half(emoji.charAt(0), escapeHigh) + half(emoji.charAt(1), escapeLow);
        Inbound inbound = decoder.decode("{\"type\":\"offer\",\"sdp\":\"a" + written + "b\"}");
        assertEquals(new Offer(null, null, "a" + emoji + "b"), inbound);
    }

    private static String half(char surrogate, boolean escape) {
        return escape ? String.format("\\u%04x", (int) surrogate) : String.valueOf(surrogate);
    }

    private void assertSameAsReference(String text) {
        Inbound ours = decoder.decode(text);
        Inbound reference = ParssonReference.decode(text);
        if (reference instanceof Inbound.Invalid expected) {
            assertEquals(expected.code(), assertInstanceOf(Inbound.Invalid.class, ours, text).code(), text);
        } else if (!(ours instanceof Inbound.Invalid invalid && invalid.message().contains("more than once"))) {
            assertEquals(reference, ours, text);
        }
    }

    @Provide
    Arbitrary<String> escapable() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007fé😀a \u2028\ud800\udc00").ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40));
    }

    /** A message with {@code @} where a string's text goes: every field, known or not, keys too. */
    @Provide
    Arbitrary<String> surrogateHomes() {
        return Arbitraries.of(
                "{\"type\":\"offer\",\"sdp\":\"x@y\"}",
                "{\"type\":\"answer\",\"sdp\":\"@\"}",
                "{\"type\":\"offer\",\"to\":\"@\",\"sdp\":\"x\"}",
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c@\"}}",
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"@\"}}",
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"usernameFragment\":\"@\"}}",
                "{\"type\":\"candidate\",\"to\":\"@\",\"candidate\":null}",
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"other\":[\"@\"]}}",
                "{\"type\":\"ping\",\"extra\":\"@\"}",
                "{\"type\":\"bye\",\"@\":1}",
                "{\"type\":\"@offer\",\"sdp\":\"x\"}",
                "{\"type\":\"offer\",\"sdp\":\"x\",\"deep\":{\"a\":[{\"b\":\"@\"}]}}");
    }

    /** Half a character, as an escape, a raw char, or a pair in the wrong order. */
    @Provide
    Arbitrary<String> unpaired() {
        Arbitrary<Character> high = Arbitraries.chars().range('\ud800', '\udbff');
        Arbitrary<Character> low = Arbitraries.chars().range('\udc00', '\udfff');
        return Arbitraries.oneOf(
                high.map(c -> String.format("\\u%04x", (int) c)),
                low.map(c -> String.format("\\u%04X", (int) c)),
                high.map(String::valueOf),
                low.map(String::valueOf),
                Combinators.combine(high, low).as((h, l) -> String.format("\\u%04x\\u%04x", (int) l, (int) h)),
                Combinators.combine(high, low).as((h, l) -> String.format("\\u%04x", (int) h) + "x" + l),
                high.map(h -> String.format("\\u%04x", (int) h) + "\\n"));
    }

    @Provide
    Arbitrary<String> emoji() {
        return Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
    }

    /** Text of every kind a hostile client might send: near-JSON pieces, surrogates raw and escaped, controls. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> piece = Arbitraries.of("{", "}", "\"", ":", ",", "[", "]", "\\", "\\ud800", "\\udc00", "\\udbff\\udfff",
                "\ud800", "\udc00", "😀", "\u2028", "\u0000", "\\u0000", "\u001f", "\"type\"", "\"offer\"", "\"answer\"",
                "\"candidate\"", "\"sdp\"", "\"to\"", "\"sdpMid\"", "\"usernameFragment\"", "\"sdpMLineIndex\"", "\"x\"",
                "0", "1e999", "-0", "null", "true", " ");
        Arbitrary<String> near = piece.list().ofMaxSize(24).map(pieces -> String.join("", pieces));
        Arbitrary<String> sdp = Arbitraries.strings().ofMaxLength(30);
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("offer", "answer", "candidate", "ping"), sdp, sdp)
                .as((type, a, b) -> type.equals("candidate")
                        ? "{\"type\":\"candidate\",\"to\":\"" + a + "\",\"candidate\":{\"candidate\":\"" + b + "\",\"sdpMid\":\"" + a + "\"}}"
                        : "{\"type\":\"" + type + "\",\"to\":\"" + a + "\",\"sdp\":\"" + b + "\"}");
        return Arbitraries.oneOf(near, shaped, Arbitraries.strings().ofMaxLength(60));
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
        JsonObject out = JSON.createReader(new StringReader(relayed)).readObject();
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

    /** Non-empty SDPs of any characters (paired surrogates among them), without the unpaired surrogates the decoder refuses. */
    @Provide
    Arbitrary<String> spellings() {
        return Arbitraries.oneOf(JsonStrings.any(), Arbitraries.strings().withChars("v=0\r\na:/ \"\\\t").ofMaxLength(60))
                .filter(sdp -> !sdp.isEmpty() && ParssonReference.wellFormed(sdp));
    }

    @Provide
    Arbitrary<List<String>> sdpLines() {
        Arbitrary<String> line = Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120),
                Arbitraries.strings().withChars("a=:/ \"\\\u00e9\u20ac\t\u0001").ofMaxLength(60));
        return line.list().ofMinSize(1).ofMaxSize(80);
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
                    JsonObjectBuilder object = JSON.createObjectBuilder();
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
                Arbitraries.strings().ofMaxLength(20).map(JSON::createValue),
                Arbitraries.integers().map(JSON::createValue),
                Arbitraries.doubles().map(d -> JSON.createValue(d)),
                Arbitraries.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonValue> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3).map(items -> {
            JsonArrayBuilder builder = JSON.createArrayBuilder();
            items.forEach(builder::add);
            return builder.build();
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf),
                net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1)).map(JsonObjectBuilder::build)));
    }
}
