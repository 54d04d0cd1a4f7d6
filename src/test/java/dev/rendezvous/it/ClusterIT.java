package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms that span two Payara Micro nodes of one data grid: node A is the one Arquillian manages,
 * node B a process of the test's own (so it can be killed). Both hold rooms of at most four.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends SignalingTestBase {

    private static final int MAX_PEERS = 4;
    private static final Map<String, String> SETTINGS = Map.of(
            "SIGNALING_ROOM_MAX_PEERS", Integer.toString(MAX_PEERS),
            "SIGNALING_RATE_PER_SECOND", "1000",
            "SIGNALING_RATE_BURST", "2000");
    /** What the README promises: a killed node's members are announced as left within this. */
    private static final Duration DEPARTURE_BOUND = Duration.ofSeconds(10);

    private static MicroProcess nodeB;

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.room.max-peers=" + MAX_PEERS,
                "signaling.rate.per-second=1000", "signaling.rate.burst=2000");
    }

    @BeforeAll
    static void secondNode() throws Exception {
        nodeB = SecondNode.start(portA(), SETTINGS);
    }

    @AfterAll
    static void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    private static int portA() {
        return Integer.getInteger("it.http.port");
    }

    /** A member of {@link #room} connected to the node on {@code port}, welcome read. */
    private Joined joinAt(int port, String name) {
        TestPeer peer = TestPeer.connect(SecondNode.uri(port, room + "?name=" + name));
        closeLater(peer);
        return new Joined(peer, peer.welcome());
    }

    @Test
    @Order(1)
    void peersOnDifferentNodesCompleteOfferAnswerAndCandidates() {
        Joined a = joinAt(portA(), "a");
        Joined b = joinAt(SecondNode.HTTP_PORT, "b");
        assertEquals(List.of(peer(a.id(), "a")), b.welcome().getJsonArray("peers"));
        assertEquals(b.id(), a.peer().next("peer-joined").getString("peer"));

        b.peer().send("{\"type\":\"offer\",\"to\":\"" + a.id() + "\",\"sdp\":\"v=0 offer\"}");
        JsonObject offer = a.peer().next("offer");
        assertEquals(b.id(), offer.getString("from"));
        assertEquals("v=0 offer", offer.getString("sdp"));
        a.peer().send("{\"type\":\"answer\",\"to\":\"" + b.id() + "\",\"sdp\":\"v=0 answer\"}");
        assertEquals(a.id(), b.peer().next("answer").getString("from"));
        a.peer().send("{\"type\":\"candidate\",\"to\":\"" + b.id() + "\",\"candidate\":{\"candidate\":\"c1\",\"sdpMid\":\"0\"}}");
        b.peer().send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c2\",\"sdpMid\":\"0\"}}");
        assertEquals("c1", b.peer().next("candidate").getJsonObject("candidate").getString("candidate"));
        JsonObject broadcast = a.peer().next("candidate");
        assertEquals(b.id(), broadcast.getString("from"));
        assertEquals("c2", broadcast.getJsonObject("candidate").getString("candidate"));

        b.peer().send("{\"type\":\"offer\",\"to\":\"nobody-with-this-id\",\"sdp\":\"v=0\"}");
        b.peer().error("UNKNOWN_PEER");
        a.peer().assertNothingPending();
        b.peer().assertNothingPending();
    }

    @Test
    @Order(2)
    void presenceAndJoinOrderAreTheSameOnBothNodesAndTheRoomFillsAcrossThem() {
        Joined a = joinAt(portA(), "a");
        Joined b = joinAt(SecondNode.HTTP_PORT, "b");
        a.peer().next("peer-joined");
        Joined c = joinAt(portA(), "c");
        assertEquals(List.of(peer(a.id(), "a"), peer(b.id(), "b")), c.welcome().getJsonArray("peers"), "join order");
        Joined d = joinAt(SecondNode.HTTP_PORT, "d");
        assertEquals(List.of(peer(a.id(), "a"), peer(b.id(), "b"), peer(c.id(), "c")), d.welcome().getJsonArray("peers"));
        for (Joined earlier : List.of(a, b)) {
            assertEquals(c.id(), earlier.peer().next("peer-joined").getString("peer"));
        }
        for (Joined earlier : List.of(a, b, c)) {
            assertEquals(d.id(), earlier.peer().next("peer-joined").getString("peer"));
        }

        for (int port : List.of(portA(), SecondNode.HTTP_PORT)) {
            TestPeer fifth = TestPeer.connect(SecondNode.uri(port, room + "?name=e"));
            closeLater(fifth);
            fifth.error("ROOM_FULL");
            assertEquals(4409, fifth.awaitClose().code(), "a full room, whichever node is asked");
        }

        b.peer().send("{\"type\":\"bye\"}");
        for (Joined stayed : List.of(a, c, d)) {
            assertEquals(b.id(), stayed.peer().next("peer-left").getString("peer"));
        }
        Joined e = joinAt(portA(), "e");
        assertEquals(List.of(peer(a.id(), "a"), peer(c.id(), "c"), peer(d.id(), "d")), e.welcome().getJsonArray("peers"),
                "the place b left is free again");
        for (Joined stayed : List.of(a, c, d)) {
            assertEquals(e.id(), stayed.peer().next("peer-joined").getString("peer"));
            stayed.peer().assertNothingPending();
        }
    }

    @Test
    @Order(3)
    void concurrentJoinsOnBothNodesNeverOverfillARoom() {
        for (int round = 0; round < 5; round++) {
            String contested = room + "-" + round;
            List<CompletableFuture<TestPeer>> attempts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int port = i % 2 == 0 ? portA() : SecondNode.HTTP_PORT;
                attempts.add(CompletableFuture.supplyAsync(() -> TestPeer.connect(SecondNode.uri(port, contested))));
            }
            int welcomed = 0;
            int full = 0;
            for (CompletableFuture<TestPeer> attempt : attempts) {
                TestPeer peer = closeLater(attempt.join());
                JsonObject first = peer.next();
                if (first.getString("type").equals("welcome")) {
                    welcomed++;
                } else {
                    assertEquals("ROOM_FULL", first.getString("code"), first::toString);
                    full++;
                }
            }
            assertEquals(MAX_PEERS, welcomed, "round " + round);
            assertEquals(12 - MAX_PEERS, full, "round " + round);
        }
    }

    @Test
    @Order(4)
    void aRoomSplitTwoAndTwoRelaysEverySignalOnceAndInOrder() {
        List<Joined> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Joined joined = joinAt(i % 2 == 0 ? portA() : SecondNode.HTTP_PORT, "p" + i);
            for (Joined earlier : peers) {
                earlier.peer().next("peer-joined");
            }
            peers.add(joined);
        }
        int rounds = 100;
        for (int n = 0; n < rounds; n++) {
            for (Joined sender : peers) {
                for (Joined target : peers) {
                    if (target != sender) {
                        sender.peer().send("{\"type\":\"offer\",\"to\":\"" + target.id() + "\",\"sdp\":\"" + n + "\"}");
                    }
                }
                sender.peer().send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"" + n + "\"}}");
            }
        }
        for (Joined receiver : peers) {
            Map<String, Integer> nextOffer = new HashMap<>();
            Map<String, Integer> nextCandidate = new HashMap<>();
            for (int i = 0; i < rounds * 3 * 2; i++) {
                JsonObject message = receiver.peer().next();
                String from = message.getString("from");
                boolean isOffer = message.getString("type").equals("offer");
                Map<String, Integer> expected = isOffer ? nextOffer : nextCandidate;
                int seq = Integer.parseInt(isOffer ? message.getString("sdp") : message.getJsonObject("candidate").getString("candidate"));
                assertEquals(expected.getOrDefault(from, 0), seq, () -> "from " + from + " in order, once: " + message);
                expected.put(from, seq + 1);
            }
            assertEquals(3, nextOffer.size());
            assertTrue(nextOffer.values().stream().allMatch(v -> v == rounds));
            assertTrue(nextCandidate.values().stream().allMatch(v -> v == rounds));
            receiver.peer().assertNothingPending();
        }
    }

    @Test
    @Order(5)
    void membersOfAKilledNodeAreAnnouncedAsLeftAndCanRejoinOnTheSurvivor() throws Exception {
        Joined a = joinAt(portA(), "a");
        Joined b1 = joinAt(SecondNode.HTTP_PORT, "b1");
        Joined b2 = joinAt(SecondNode.HTTP_PORT, "b2");
        a.peer().next("peer-joined");
        a.peer().next("peer-joined");
        b1.peer().next("peer-joined");

        long killed = System.nanoTime();
        nodeB.kill();
        List<String> left = List.of(a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"),
                a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(took.compareTo(DEPARTURE_BOUND) <= 0, "announced after " + took);
        System.out.printf("A killed node's members were announced as left after %d ms%n", took.toMillis());
        assertEquals(List.of(b1.id(), b2.id()).stream().sorted().toList(), left.stream().sorted().toList());

        Joined back = joinAt(portA(), "b1");
        assertEquals(List.of(peer(a.id(), "a")), back.welcome().getJsonArray("peers"), "the dead node's members are off the roster");
        assertEquals(back.id(), a.peer().next("peer-joined").getString("peer"));
        a.peer().assertNothingPending();
    }

    @Test
    @Order(6)
    void membersOfAFrozenNodeAreAnnouncedAsLeftWithinTheBound() throws Exception {
        // A node that hangs (or whose network is cut) sends no TCP reset: only the grid's
        // heartbeat timeout finds it gone.
        try (MicroProcess nodeC = SecondNode.start(portA(), SecondNode.THIRD_HTTP_PORT, SecondNode.THIRD_GRID_PORT, SETTINGS)) {
            Joined a = joinAt(portA(), "a");
            Joined c = joinAt(SecondNode.THIRD_HTTP_PORT, "c");
            a.peer().next("peer-joined");

            long frozen = System.nanoTime();
            nodeC.freeze();
            assertEquals(c.id(), a.peer().next("peer-left", DEPARTURE_BOUND.plusSeconds(5)).getString("peer"));
            Duration took = Duration.ofNanos(System.nanoTime() - frozen);
            System.out.printf("A frozen node's members were announced as left after %d ms%n", took.toMillis());
            assertTrue(took.compareTo(DEPARTURE_BOUND) <= 0, "announced after " + took);
        }
    }
}
