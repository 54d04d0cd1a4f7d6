package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol v1 end to end: the built WAR on a real Payara Micro, driven by real WebSocket clients. */
class SignalingIT extends SignalingTestBase {

    private static final Duration QUIET = Duration.ofMillis(500);

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.get();
    }

    @Test
    void welcomeCarriesTheServerAssignedIdThePeersAlreadyThereIceServersAndLimits() {
        Joined ann = join("Ann");
        assertEquals("welcome", ann.welcome().getString("type"));
        assertEquals(room, ann.welcome().getString("room"));
        assertTrue(ann.id().matches("[A-Za-z0-9_-]{22}"), ann.id());
        assertEquals(0, ann.welcome().getJsonArray("peers").size());
        assertEquals(0, ann.welcome().getJsonArray("iceServers").size());
        assertEquals(8, ann.welcome().getJsonObject("limits").getInt("maxPeers"));
        assertEquals(65536, ann.welcome().getJsonObject("limits").getInt("maxMessageBytes"));

        Joined bob = join("  Bob\u0007 ");
        assertEquals(List.of(peer(ann.id(), "Ann")), bob.welcome().getJsonArray("peers"));
        JsonObject joined = ann.peer().next("peer-joined");
        assertEquals(bob.id(), joined.getString("peer"));
        assertEquals("Bob", joined.getString("name"), "names are trimmed and stripped of control characters");

        Joined anonymous = join(null);
        assertEquals(List.of(peer(ann.id(), "Ann"), peer(bob.id(), "Bob")),
                anonymous.welcome().getJsonArray("peers"), "in join order");
        assertEquals("", ann.peer().next("peer-joined").getString("name"));
        assertEquals(3, Set.of(ann.id(), bob.id(), anonymous.id()).size());
    }


    @Test
    void twoPeersCompleteOfferAnswerAndCandidatesBothWays() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);

        b.peer().send("{\"type\":\"offer\",\"to\":\"" + a.id() + "\",\"sdp\":\"v=0 offer\"}");
        JsonObject offer = a.peer().next("offer");
        assertEquals(b.id(), offer.getString("from"));
        assertEquals(a.id(), offer.getString("to"));
        assertEquals("v=0 offer", offer.getString("sdp"));

        a.peer().send("{\"type\":\"answer\",\"to\":\"" + b.id() + "\",\"sdp\":\"v=0 answer\"}");
        JsonObject answer = b.peer().next("answer");
        assertEquals(a.id(), answer.getString("from"));
        assertEquals("v=0 answer", answer.getString("sdp"));

        String line = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";
        b.peer().send("{\"type\":\"candidate\",\"to\":\"" + a.id() + "\",\"candidate\":{\"candidate\":\"" + line
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"}}");
        a.peer().send("{\"type\":\"candidate\",\"to\":\"" + b.id() + "\",\"candidate\":{\"candidate\":\"" + line
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        JsonObject atA = a.peer().next("candidate");
        assertEquals(b.id(), atA.getString("from"));
        assertEquals(line, atA.getJsonObject("candidate").getString("candidate"));
        assertEquals("uf", atA.getJsonObject("candidate").getString("usernameFragment"));
        JsonObject atB = b.peer().next("candidate");
        assertEquals(a.id(), atB.getString("from"));
        assertEquals("0", atB.getJsonObject("candidate").getString("sdpMid"));
        assertEquals(0, atB.getJsonObject("candidate").getInt("sdpMLineIndex"));

        a.peer().send("{\"type\":\"candidate\",\"to\":\"" + b.id() + "\",\"candidate\":null}");
        JsonObject end = b.peer().next("candidate");
        assertEquals(JsonValue.NULL, end.get("candidate"), "end of candidates is relayed as null");
    }

    @Test
    void broadcastReachesEveryOtherMemberAndTargetedOnlyTheAddressee() {
        List<Joined> abc = joinAll("a", "b", "c");
        Joined a = abc.get(0);
        Joined b = abc.get(1);
        Joined c = abc.get(2);

        a.peer().send("{\"type\":\"offer\",\"sdp\":\"to all\"}");
        assertEquals("to all", b.peer().next("offer").getString("sdp"));
        assertEquals("to all", c.peer().next("offer").getString("sdp"));
        a.peer().assertNothingPending();

        a.peer().send("{\"type\":\"offer\",\"to\":\"" + c.id() + "\",\"sdp\":\"to c\"}");
        assertEquals("to c", c.peer().next("offer").getString("sdp"));
        a.peer().assertNothingPending();
        b.peer().assertNothingPending();
        c.peer().assertNothingPending();
    }

    @Test
    void theSenderNeverReceivesItsOwnMessage() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        a.peer().send("{\"type\":\"candidate\",\"candidate\":null}");
        b.peer().next("candidate");
        a.peer().assertNothingPending();
        a.peer().send("{\"type\":\"offer\",\"to\":\"" + a.id() + "\",\"sdp\":\"self\"}");
        a.peer().error("UNKNOWN_PEER");
        b.peer().assertNothingPending();
    }

    @Test
    void aSpoofedFromIsReplacedAndUnknownFieldsAreDropped() {
        Joined a = join("a");
        Joined b = join("b");
        Joined c = join("c");
        a.peer().send("{\"type\":\"offer\",\"to\":\"" + b.id() + "\",\"from\":\"" + c.id()
                + "\",\"sdp\":\"x\",\"admin\":true,\"nested\":{\"k\":1}}");
        assertEquals(c.id(), b.peer().next("peer-joined").getString("peer"));
        JsonObject offer = b.peer().next("offer");
        assertEquals(a.id(), offer.getString("from"));
        assertEquals(Set.of("type", "from", "to", "sdp"), offer.keySet());
    }

    @Test
    void nothingLeaksAcrossRooms() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        String otherRoom = room + "-other";
        TestPeer c = connect(otherRoom, "c");
        String cId = c.welcome().getString("peer");

        a.peer().send("{\"type\":\"offer\",\"sdp\":\"room one only\"}");
        b.peer().next("offer");
        a.peer().send("{\"type\":\"offer\",\"to\":\"" + cId + "\",\"sdp\":\"cross\"}");
        a.peer().error("UNKNOWN_PEER");
        // a's broadcast had been fully handled before its error came back; c's pong now comes
        // after anything that could have leaked to it.
        c.assertNothingPending();
        c.send("{\"type\":\"offer\",\"sdp\":\"room two\"}");
        c.assertNothingPending();
        a.peer().assertNothingPending();
        b.peer().assertNothingPending();
    }

    @Test
    void peerLeftGoesOutExactlyOnceWhenAMemberCloses() throws InterruptedException {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        b.peer().close();
        assertEquals(b.id(), a.peer().next("peer-left").getString("peer"));
        a.peer().assertSilentFor(QUIET);
        a.peer().assertNothingPending();
    }

    @Test
    void byeAnnouncesTheDepartureOnceAndTheServerClosesWith1000() throws InterruptedException {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        b.peer().send("{\"type\":\"bye\"}");
        assertEquals(b.id(), a.peer().next("peer-left").getString("peer"));
        assertEquals(1000, b.peer().awaitClose().code());
        a.peer().assertSilentFor(QUIET);
        a.peer().assertNothingPending();
        Joined c = join("c");
        assertEquals(List.of(peer(a.id(), "a")), c.welcome().getJsonArray("peers"));
    }

    @Test
    void theNinthPeerIsRefusedWithRoomFullAndClose4409() {
        List<Joined> members = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            members.add(join("p" + i));
        }
        TestPeer ninth = connect(room, "ninth");
        ninth.error("ROOM_FULL");
        assertEquals(4409, ninth.awaitClose().code());
        Joined first = members.get(0);
        for (int i = 1; i < 8; i++) {
            assertEquals(members.get(i).id(), first.peer().next("peer-joined").getString("peer"));
        }
        first.peer().assertNothingPending();

        members.get(7).peer().close();
        first.peer().next("peer-left");
        Joined late = join("late");
        assertEquals(7, late.welcome().getJsonArray("peers").size(), "a freed place can be taken");
    }

    @Test
    void concurrentJoinsNeverOverfillARoom() {
        List<CompletableFuture<JsonObject>> attempts = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            attempts.add(CompletableFuture.supplyAsync(() -> connect(room, "racer").next()));
        }
        long welcomed = attempts.stream().map(CompletableFuture::join)
                .filter(first -> first.getString("type").equals("welcome")).count();
        long refused = attempts.stream().map(CompletableFuture::join)
                .filter(first -> first.getString("type").equals("error")
                        && first.getString("code").equals("ROOM_FULL")).count();
        assertEquals(8, welcomed);
        assertEquals(6, refused);
    }

    @Test
    void aBadRoomNameIsRefusedWithBadRoomAndClose4400() {
        for (String bad : List.of("bad.name", "a%20b", "x".repeat(65), "%C3%A4", "")) {
            TestPeer peer = connect(bad, null);
            peer.error("BAD_ROOM");
            assertEquals(4400, peer.awaitClose().code(), bad);
        }
    }

    @Test
    void everyRecoverableErrorKeepsTheSocketOpenAndUsable() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        List<String> badMessages = List.of("not json", "[1,2]", "{\"type\":7}", "{\"sdp\":\"x\"}",
                "{\"type\":\"offer\",\"sdp\":\"\"}", "{\"type\":\"offer\",\"sdp\":42}",
                "{\"type\":\"candidate\",\"candidate\":\"x\"}", "{\"type\":\"offer\",\"to\":1,\"sdp\":\"x\"}",
                "{\"type\":\"ping\"} {}");
        for (String bad : badMessages) {
            a.peer().send(bad);
            assertFalse(a.peer().error("BAD_MESSAGE").getString("message").isEmpty());
        }
        a.peer().send("{\"type\":\"welcome\"}");
        a.peer().error("UNKNOWN_TYPE");
        a.peer().send("{\"type\":\"hello\"}");
        a.peer().error("UNKNOWN_TYPE");
        a.peer().send("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"x\"}");
        a.peer().error("UNKNOWN_PEER");
        a.peer().sendBinary(new byte[] {1, 2, 3});
        a.peer().error("BAD_MESSAGE");

        b.peer().assertNothingPending();
        a.peer().send("{\"type\":\"offer\",\"to\":\"" + b.id() + "\",\"sdp\":\"still works\"}");
        assertEquals("still works", b.peer().next("offer").getString("sdp"));
        a.peer().assertNothingPending();
    }

    @Test
    void aMessageOverTheLimitIsTooLargeAndClosesWith1009() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        String prefix = "{\"type\":\"offer\",\"sdp\":\"";
        String fits = prefix + "s".repeat(65536 - prefix.length() - 2) + "\"}";
        b.peer().send(fits);
        assertEquals(65536 - prefix.length() - 2, a.peer().next("offer").getString("sdp").length());

        b.peer().send(fits.replaceFirst("s", "ss"));
        b.peer().error("TOO_LARGE");
        assertEquals(1009, b.peer().awaitClose().code());
        assertEquals(b.id(), a.peer().next("peer-left").getString("peer"));
        a.peer().assertNothingPending();
    }

    @Test
    void aFrameFarOverTheLimitIsCutOffWith1009() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        b.peer().sendRegardless("{\"type\":\"offer\",\"sdp\":\"" + "s".repeat(1 << 20) + "\"}");
        assertEquals(1009, b.peer().awaitClose().code());
        assertEquals(b.id(), a.peer().next("peer-left").getString("peer"));
    }

    @Test
    void pingIsAnsweredWithPong() {
        Joined a = join("a");
        a.peer().send("{\"type\":\"ping\",\"ignored\":1}");
        assertEquals(Set.of("type"), a.peer().next("pong").keySet());
    }

    @Test
    void aMemberWhoseConnectionDiesNeverStopsTheFanOutAndIsAnnouncedAsLeft() {
        List<Joined> abc = joinAll("a", "b", "c");
        Joined a = abc.get(0);
        Joined b = abc.get(1);
        Joined c = abc.get(2);
        c.peer().abort();
        for (int i = 0; i < 50; i++) {
            a.peer().send("{\"type\":\"offer\",\"sdp\":\"n" + i + "\"}");
        }
        int received = 0;
        while (received < 50) {
            JsonObject message = b.peer().next();
            if (message.getString("type").equals("peer-left")) {
                assertEquals(c.id(), message.getString("peer"));
                continue;
            }
            assertEquals("n" + received++, message.getString("sdp"), "in order, none lost");
        }
    }
}
