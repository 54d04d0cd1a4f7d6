package dev.rendezvous.signaling;

import dev.rendezvous.ice.IceServer;
import dev.rendezvous.room.Peer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {

    private final InboundDecoder decoder = new InboundDecoder(1024);
    private final OutboundEncoder encoder = new OutboundEncoder();

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    private Inbound.Invalid invalid(String text) {
        return assertInstanceOf(Inbound.Invalid.class, decoder.decode(text));
    }

    @Test
    void offerRoundTripsWithTheServerSetSender() {
        Offer in = assertInstanceOf(Offer.class,
                decoder.decode("{\"type\":\"offer\",\"to\":\"B\",\"sdp\":\"v=0\\r\\n\"}"));
        assertEquals(new Offer(null, "B", "v=0\r\n"), in);
        String out = encoder.encode(in.from("A"));
        assertEquals(parse("{\"type\":\"offer\",\"from\":\"A\",\"to\":\"B\",\"sdp\":\"v=0\\r\\n\"}"), parse(out));
        assertEquals(in, decoder.decode(out));
    }

    @Test
    void answerRoundTripsAndBroadcastHasNoTo() {
        Answer in = assertInstanceOf(Answer.class, decoder.decode("{\"type\":\"answer\",\"sdp\":\"x\"}"));
        assertNull(in.to());
        assertEquals(parse("{\"type\":\"answer\",\"from\":\"A\",\"sdp\":\"x\"}"), parse(encoder.encode(in.from("A"))));
        assertEquals(in, decoder.decode(encoder.encode(in.from("A"))));
    }

    @Test
    void candidateRoundTripsEveryField() {
        String text = "{\"type\":\"candidate\",\"to\":\"B\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"}}";
        Candidate in = assertInstanceOf(Candidate.class, decoder.decode(text));
        assertEquals(parse(text).getJsonObject("candidate"), in.candidate());
        JsonObject out = parse(encoder.encode(in.from("A")));
        assertEquals("A", out.getString("from"));
        assertEquals(parse(text).getJsonObject("candidate"), out.getJsonObject("candidate"));
        assertEquals(in, decoder.decode(encoder.encode(in)));
    }

    @Test
    void endOfCandidatesIsRelayedAsNull() {
        Candidate in = assertInstanceOf(Candidate.class, decoder.decode("{\"type\":\"candidate\",\"to\":\"B\",\"candidate\":null}"));
        assertEquals(JsonValue.NULL, in.candidate());
        JsonObject out = parse(encoder.encode(in.from("A")));
        assertTrue(out.containsKey("candidate"));
        assertEquals(JsonValue.NULL, out.get("candidate"));
        assertEquals(in, decoder.decode(encoder.encode(in)));
    }

    @Test
    void escapedKeysAndDeepButAllowedNestingAreRead() {
        assertEquals(new Offer(null, null, "x"), decoder.decode("{\"\\u0074ype\":\"offer\",\"\\u0073dp\":\"x\"}"));
        String deepest = "[".repeat(31) + "]".repeat(31);
        assertEquals(new Offer(null, null, "x"), decoder.decode("{\"type\":\"offer\",\"sdp\":\"x\",\"n\":" + deepest + "}"));
        assertEquals(new Offer(null, null, "😀"), decoder.decode("{\"type\":\"offer\",\"sdp\":\"\\ud83d\\ude00\"}"));
    }

    @Test
    void pingAndByeDecodeIgnoringExtraFields() {
        assertInstanceOf(Inbound.Ping.class, decoder.decode("{\"type\":\"ping\",\"extra\":[1,2]}"));
        assertInstanceOf(Inbound.Bye.class, decoder.decode("{\"extra\":true,\"type\":\"bye\"}"));
    }

    @Test
    void unknownFieldsAndClaimedSenderAreDropped() {
        Offer in = assertInstanceOf(Offer.class,
                decoder.decode("{\"type\":\"offer\",\"from\":\"forged\",\"sdp\":\"x\",\"evil\":{\"a\":1}}"));
        JsonObject out = parse(encoder.encode(in.from("real")));
        assertEquals("real", out.getString("from"));
        assertEquals(List.of("type", "from", "sdp").stream().sorted().toList(), out.keySet().stream().sorted().toList());
        Candidate candidate = assertInstanceOf(Candidate.class, decoder.decode(
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":null,\"secret\":1}}"));
        assertEquals(parse("{\"candidate\":\"c\"}"), parse(encoder.encode(candidate)).getJsonObject("candidate"));
    }

    @Test
    void serverMessagesHaveTheirDocumentedShape() {
        Outbound.Welcome welcome = new Outbound.Welcome("r1", "me", List.of(new Peer("p1", "Ann")),
                List.of(new IceServer(List.of("stun:s:3478"), null, null),
                        new IceServer(List.of("turn:t:3478"), "u", "c")),
                new Outbound.Limits(8, 65536, 30), "tok", true, null);
        assertEquals(parse("{\"type\":\"welcome\",\"room\":\"r1\",\"peer\":\"me\",\"peers\":[{\"peer\":\"p1\",\"name\":\"Ann\"}],"
                        + "\"iceServers\":[{\"urls\":[\"stun:s:3478\"]},{\"urls\":[\"turn:t:3478\"],\"username\":\"u\",\"credential\":\"c\"}],"
                        + "\"limits\":{\"maxPeers\":8,\"maxMessageBytes\":65536,\"resumeGraceSeconds\":30},\"resume\":\"tok\",\"resumed\":true}"),
                parse(encoder.encode(welcome)));
        Outbound.Welcome back = new Outbound.Welcome("r1", "me", List.of(), List.of(), new Outbound.Limits(8, 65536, 30), "tok", true, true);
        assertEquals(parse("{\"type\":\"welcome\",\"room\":\"r1\",\"peer\":\"me\",\"peers\":[],\"iceServers\":[],"
                        + "\"limits\":{\"maxPeers\":8,\"maxMessageBytes\":65536,\"resumeGraceSeconds\":30},\"resume\":\"tok\",\"resumed\":true,\"lost\":true}"),
                parse(encoder.encode(back)));
        assertEquals(parse("{\"type\":\"peer-joined\",\"peer\":\"p\",\"name\":\"\"}"),
                parse(encoder.encode(new Outbound.PeerJoined("p", ""))));
        assertEquals(parse("{\"type\":\"peer-left\",\"peer\":\"p\"}"), parse(encoder.encode(new Outbound.PeerLeft("p"))));
        assertEquals(parse("{\"type\":\"pong\"}"), parse(encoder.encode(new Outbound.Pong())));
        assertEquals(parse("{\"type\":\"error\",\"code\":\"UNKNOWN_PEER\",\"message\":\"m\"}"),
                parse(encoder.encode(new Outbound.ErrorReply(ErrorCode.UNKNOWN_PEER, "m"))));
        assertTrue(encoder.encode(new Outbound.Pong()).startsWith("{\"type\":"), "type comes first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "[]", "42", "\"offer\"", "null", "{\"type\":\"offer\",\"sdp\":\"x\"} trailing{",
            "{\"type\":5}", "{}", "{\"type\":null}", "{\"type\":[\"offer\"]}",
            "{\"type\":\"offer\",\"sdp\":\"a\",\"sdp\":\"b\"}",
            "{\"type\":\"offer\",\"\\u0074ype\":\"answer\",\"sdp\":\"a\"}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a\",\"candidate\":\"b\"}}",
            "{\"type\":\"offer\",\"sdp\":\"x\\ud800\"}",
            "{\"type\":\"offer\",\"sdp\":\"x\",\"\\udc00\":1}",
            "{\"type\":\"offer\",\"sdp\":\"x\",\"n\":01}",
            // A backslash-u escape with other scripts' digits (Arabic-Indic, fullwidth), which Character.digit would take as hex.
            "{\"type\":\"\\u\u0660\u0660\u0037\u0030ing\"}",
            "{\"type\":\"\\u\uff10\uff10\uff17\uff10ing\"}",
            "{\"type\":\"offer\",\"sdp\":\"v=0\\u\uff10\uff10\uff14\uff21\"}",
            "{\"\\u\u0660\u0660\u0037\u0034ype\":\"ping\"}",
            "{\"type\":\"offer\",\"sdp\":\"x\",\"n\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"})
    void malformedTextIsBadMessage(String text) {
        assertEquals(ErrorCode.BAD_MESSAGE, invalid(text).code(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"offer\"}",
            "{\"type\":\"offer\",\"sdp\":\"\"}",
            "{\"type\":\"offer\",\"sdp\":5}",
            "{\"type\":\"offer\",\"sdp\":null}",
            "{\"type\":\"answer\",\"sdp\":{\"a\":1}}",
            "{\"type\":\"offer\",\"sdp\":\"x\",\"to\":7}",
            "{\"type\":\"answer\",\"sdp\":\"x\",\"to\":[\"a\"]}",
            "{\"type\":\"candidate\"}",
            "{\"type\":\"candidate\",\"candidate\":\"candidate:1\"}",
            "{\"type\":\"candidate\",\"candidate\":{}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":1}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":0}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":\"0\"}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":-1}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1.5}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1e100}}",
            // Exponents no int holds: BigDecimal refuses them (it once threw out of the decoder).
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1e9999999999}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1E+99999999999}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":0e-99999999999}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":-7e2147483648}}",
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"usernameFragment\":false}}",
            "{\"type\":\"candidate\",\"to\":{},\"candidate\":null}"})
    void illTypedFieldsAreBadMessage(String text) {
        assertEquals(ErrorCode.BAD_MESSAGE, invalid(text).code(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"welcome", "pong", "error", "peer-joined", "peer-left", "OFFER", "hello", ""})
    void typesClientsMayNotSendAreUnknownType(String type) {
        assertEquals(ErrorCode.UNKNOWN_TYPE, invalid("{\"type\":\"" + type + "\"}").code());
    }

    @Test
    void messagesOverTheLimitAreTooLargeCountingUtf8Bytes() {
        String prefix = "{\"type\":\"offer\",\"sdp\":\"";
        String suffix = "\"}";
        String fits = prefix + "a".repeat(1024 - prefix.length() - suffix.length()) + suffix;
        assertInstanceOf(Offer.class, decoder.decode(fits));
        assertEquals(ErrorCode.TOO_LARGE, invalid(fits.replaceFirst("a", "aa")).code());
        // 400 three-byte characters: 400 chars but 1200 bytes.
        assertEquals(ErrorCode.TOO_LARGE, invalid(prefix + "€".repeat(400) + suffix).code());
        assertInstanceOf(Offer.class, decoder.decode(prefix + "€".repeat(300) + suffix));
    }

    @Test
    void utf8LengthCountsSurrogatePairsAsFourBytes() {
        assertFalse(InboundDecoder.utf8LengthExceeds("😀".repeat(10), 40));
        assertTrue(InboundDecoder.utf8LengthExceeds("😀".repeat(10), 39));
        assertFalse(InboundDecoder.utf8LengthExceeds("é".repeat(10), 20));
        assertTrue(InboundDecoder.utf8LengthExceeds("é".repeat(10), 19));
    }

    @Test
    void aMessageOfManyEscapedStringsCostsMemoryInProportionToItsLength() {
        // 10,000 escaped strings in 50 KB: unescaped into one array, not one as long as the rest of the text each (500 MB).
        StringBuilder message = new StringBuilder("{\"type\":\"ping\",\"x\":[\"\\n\"");
        message.append(",\"\\n\"".repeat(9_999)).append("],\"\\t\":{\"\\r\":\"\\u0041\"}}");
        String text = message.toString();
        InboundDecoder large = new InboundDecoder(1 << 20);
        assertInstanceOf(Inbound.Ping.class, large.decode(text));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Inbound again = large.decode(text);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertInstanceOf(Inbound.Ping.class, again);
        assertTrue(allocated < 100L * text.length(), allocated + " bytes allocated to decode " + text.length() + " characters");
    }

    @Test
    void deeplyNestedInputIsRefusedNotThrown() {
        String deep = "{\"type\":\"offer\",\"sdp\":\"x\",\"n\":" + "[".repeat(400) + "]".repeat(400) + "}";
        Inbound result = new InboundDecoder(1 << 20).decode(deep);
        assertTrue(result instanceof Offer || result instanceof Inbound.Invalid);
        Inbound deeper = new InboundDecoder(1 << 20).decode("[".repeat(100_000));
        assertEquals(ErrorCode.BAD_MESSAGE, assertInstanceOf(Inbound.Invalid.class, deeper).code());
    }
}
