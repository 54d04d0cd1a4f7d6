package dev.rendezvous.signaling;

import dev.rendezvous.ice.IceServer;
import dev.rendezvous.room.Peer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own messages, written by hand, say exactly what JSON-B says of the same records
 * (their mapping is the reference), whatever the strings hold, and always encode as UTF-8.
 */
class OutboundEncoderTest {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Property(tries = 2000)
    void welcomesMatchJsonB(@ForAll("strings") String room, @ForAll("strings") String peer,
                            @ForAll("peers") List<Peer> peers, @ForAll("iceServers") List<IceServer> iceServers,
                            @ForAll("limits") Outbound.Limits limits, @ForAll("optionalStrings") String resume,
                            @ForAll boolean resumed, @ForAll("lost") Boolean lost) {
        assertSameJson(new Outbound.Welcome(room, peer, peers, iceServers, limits, resume, resumed, lost));
    }

    @Property(tries = 1000)
    void announcementsMatchJsonB(@ForAll("strings") String peer, @ForAll("optionalStrings") String name) {
        assertSameJson(new Outbound.PeerJoined(peer, name));
        assertSameJson(new Outbound.PeerLeft(peer));
    }

    @Property(tries = 1000)
    void errorsMatchJsonB(@ForAll ErrorCode code, @ForAll("optionalStrings") String message) {
        assertSameJson(new Outbound.ErrorReply(code, message));
    }

    @Property(tries = 10)
    void pongMatchesJsonB() {
        assertSameJson(new Outbound.Pong());
    }

    private static void assertSameJson(Outbound message) {
        String ours = OutboundEncoder.INSTANCE.encode(message);
        assertEquals(parse(JSONB.toJson(message)), parse(ours), ours);
        assertTrue(ours.startsWith("{\"type\":\""), "type comes first: " + ours);
        try {
            // What the container does with the text: a strict UTF-8 encoder throws on a lone surrogate.
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(ours));
        } catch (CharacterCodingException e) {
            throw new AssertionError("not UTF-8 encodable: " + ours, e);
        }
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Provide
    Arbitrary<String> strings() {
        return JsonStrings.any();
    }

    @Provide
    Arbitrary<String> optionalStrings() {
        return JsonStrings.optional();
    }

    @Provide
    Arbitrary<List<Peer>> peers() {
        return Combinators.combine(strings(), optionalStrings()).as(Peer::new).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<IceServer>> iceServers() {
        Arbitrary<List<String>> urls = strings().injectNull(0.1).list().ofMaxSize(3).injectNull(0.2);
        return Combinators.combine(urls, optionalStrings(), optionalStrings()).as(IceServer::new).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Outbound.Limits> limits() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
                .as(Outbound.Limits::new).injectNull(0.1);
    }

    @Provide
    Arbitrary<Boolean> lost() {
        return Arbitraries.of(true, false).injectNull(0.5);
    }
}
