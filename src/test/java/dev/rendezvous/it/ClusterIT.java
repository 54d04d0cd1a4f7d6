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

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms that span two Payara Micro nodes of one data grid: node A is the one Arquillian manages,
 * node B a process of the test's own (so it can be killed), and a third node some tests add and
 * stop, kill or freeze. All hold rooms of at most four and sign resume credentials with one
 * secret, so a member resumes on whichever node it reaches.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends SignalingTestBase {

    private static final int MAX_PEERS = 4;
    /** Short, to keep the suite fast: how long a member that dropped keeps its place, on any node. */
    private static final Duration GRACE = Duration.ofSeconds(4);
    private static final String SECRET = "cluster-test-secret";
    private static final Map<String, String> SETTINGS = Map.of(
            "SIGNALING_ROOM_MAX_PEERS", Integer.toString(MAX_PEERS),
            "SIGNALING_RATE_PER_SECOND", "1000",
            "SIGNALING_RATE_BURST", "2000",
            "SIGNALING_RESUME_SECRET", SECRET,
            "SIGNALING_RESUME_GRACE", Long.toString(GRACE.toSeconds()));
    /**
     * What PROTOCOL.md promises: the members of a node that went and did not come back are announced
     * as left within the grace plus the time the grid takes to notice (its heartbeat timeout, checked
     * once a second, and scheduling: 2 s of slack, as PROTOCOL.md allows). A stopping node first waits
     * up to the grace for its members to move.
     */
    private static final Duration DEPARTURE_BOUND = GRACE.plusSeconds(MicroProcess.GRID_SILENCE_SECONDS + 2);

    private static MicroProcess nodeB;

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.room.max-peers=" + MAX_PEERS,
                "signaling.rate.per-second=1000", "signaling.rate.burst=2000",
                "signaling.resume.secret=" + SECRET, "signaling.resume.grace=" + GRACE.toSeconds());
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

    /** Connects to the node on {@code port} with the credential of {@code welcome}, after {@code received} member messages. */
    private TestPeer resumeAt(int port, JsonObject welcome, int received) {
        String query = "?resume=" + URLEncoder.encode(welcome.getString("resume"), StandardCharsets.UTF_8) + "&received=" + received;
        return closeLater(TestPeer.connect(SecondNode.uri(port, room + query)));
    }

    @Test
    @Order(5)
    void membersOfAStoppedNodeResumeElsewhereWithWhatTheyMissedAndOnlyThoseNotBackAreAnnouncedOnce() throws Exception {
        try (MicroProcess nodeC = SecondNode.start(portA(), SecondNode.THIRD_HTTP_PORT, SecondNode.THIRD_GRID_PORT, SETTINGS)) {
            Joined a = joinAt(portA(), "a");
            Joined b = joinAt(SecondNode.HTTP_PORT, "b");
            Joined c1 = joinAt(SecondNode.THIRD_HTTP_PORT, "c1");
            Joined c2 = joinAt(SecondNode.THIRD_HTTP_PORT, "c2");
            for (Joined joined : List.of(b, c1, c2)) {
                assertEquals(joined.id(), a.peer().next("peer-joined").getString("peer"));
            }
            b.peer().next("peer-joined");
            b.peer().next("peer-joined");
            assertEquals(c2.id(), c1.peer().next("peer-joined").getString("peer"));

            // a sends c1 numbered candidates all along: before its node stops, while it is away, and after it is back.
            int count = 300;
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < count; i++) {
                    a.peer().send("{\"type\":\"candidate\",\"to\":\"" + c1.id() + "\",\"candidate\":{\"candidate\":\"a:" + i + "\"}}");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            });
            List<JsonObject> beforeClose = until(c1.peer(), m -> m.getString("type").equals("candidate")
                    && m.getJsonObject("candidate").getString("candidate").equals("a:30"));

            // SIGTERM, as docker stop sends: the node closes its sockets with 1012, then waits for its members to move.
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return nodeC.stop(Duration.ofSeconds(90));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(1012, c1.peer().awaitClose().code(), "service restart: come back");
            long closed = System.nanoTime();
            beforeClose.addAll(c1.peer().pending());
            assertEquals(1012, c2.peer().awaitClose().code());
            // While it waits for its members to move, the stopping node sends newcomers away before the
            // upgrade, so that a balancer passes them on to another node.
            assertEquals(503, upgradeStatus(SecondNode.THIRD_HTTP_PORT), "a stopping node answers 503");
            b.peer().send("{\"type\":\"candidate\",\"to\":\"" + c1.id() + "\",\"candidate\":{\"candidate\":\"from b\"}}");

            // Every member message counts: the peer-joined read above, and all that came before the close.
            TestPeer back = resumeAt(SecondNode.HTTP_PORT, c1.welcome(), 1 + beforeClose.size());
            JsonObject welcome = back.welcome();
            System.out.printf("A member of a stopped node resumed on another %d ms after its socket closed%n",
                    Duration.ofNanos(System.nanoTime() - closed).toMillis());
            assertEquals(c1.id(), welcome.getString("peer"), "the same member");
            assertTrue(welcome.getBoolean("resumed"));
            assertFalse(welcome.containsKey("lost"), "the stopping node handed over what it missed");
            assertEquals(List.of(peer(a.id(), "a"), peer(b.id(), "b")),
                    welcome.getJsonArray("peers").stream().filter(p -> !p.asJsonObject().getString("peer").equals(c2.id())).toList(),
                    "join order kept");
            sending.get(60, TimeUnit.SECONDS);
            a.peer().send("{\"type\":\"answer\",\"to\":\"" + c1.id() + "\",\"sdp\":\"after the move\"}");
            List<JsonObject> got = until(back, m -> m.getString("type").equals("answer"));
            List<String> fromA = new ArrayList<>(signals(beforeClose, "candidate"));
            fromA.addAll(signals(got, "candidate").stream().filter(c -> c.startsWith("a:")).toList());
            assertEquals(IntStream.range(0, count).mapToObj(i -> "a:" + i).toList(), fromA, "each once, in order, across the move");
            assertEquals(List.of("from b"), signals(got, "candidate").stream().filter(c -> c.equals("from b")).toList());
            System.out.printf("Of %d signals sent across the stop, %d arrived before the close and %d after the resume;"
                    + " none lost, none twice%n", count, signals(beforeClose, "candidate").size(), count - signals(beforeClose, "candidate").size());
            back.send("{\"type\":\"offer\",\"to\":\"" + a.id() + "\",\"sdp\":\"from its new node\"}");

            // Nobody hears the one that came back leave; the one that did not is announced once, after the grace.
            List<JsonObject> heardByA = until(a.peer(), m -> isLeft(m, c2.id()));
            Duration took = Duration.ofNanos(System.nanoTime() - closed);
            System.out.printf("A member of a stopped node that did not come back was announced as left %d ms after its socket closed%n",
                    took.toMillis());
            assertTrue(took.compareTo(GRACE) >= 0, "not before the grace ran out: " + took);
            assertEquals(List.of("from its new node"), signals(heardByA, "offer"), "a keeps it as the same member");
            got.addAll(until(back, m -> isLeft(m, c2.id())));
            for (List<JsonObject> heard : List.of(heardByA, until(b.peer(), m -> isLeft(m, c2.id())), got)) {
                assertEquals(List.of(c2.id()), heard.stream().filter(m -> m.getString("type").equals("peer-left"))
                        .map(m -> m.getString("peer")).toList(), () -> "announced once, and only the one not back: " + heard);
                assertTrue(heard.stream().noneMatch(m -> m.getString("type").equals("peer-joined")), heard::toString);
            }
            for (TestPeer stays : List.of(a.peer(), b.peer(), back)) {
                stays.assertSilentFor(Duration.ofSeconds(1));
                stays.assertNothingPending();
            }
            assertTrue(stopped.get(90, TimeUnit.SECONDS), "the node stopped");
        }
    }

    @Test
    @Order(6)
    void membersOfAKilledNodeResumeOnTheSurvivorAsThemselvesAndOnlyThoseNotBackAreAnnouncedOnce() throws Exception {
        Joined a = joinAt(portA(), "a");
        Joined b1 = joinAt(SecondNode.HTTP_PORT, "b1");
        Joined b2 = joinAt(SecondNode.HTTP_PORT, "b2");
        a.peer().next("peer-joined");
        a.peer().next("peer-joined");
        b1.peer().next("peer-joined");

        long killed = System.nanoTime();
        nodeB.kill();
        TestPeer back = resumeAt(portA(), b1.welcome(), 1);
        JsonObject welcome = back.welcome();
        System.out.printf("A member of a killed node resumed on the survivor %d ms after the kill%n",
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        assertEquals(b1.id(), welcome.getString("peer"), "the same member");
        assertTrue(welcome.getBoolean("resumed"));
        assertTrue(welcome.getBoolean("lost"), "what its node kept for it died with the node");
        assertEquals(List.of(peer(a.id(), "a"), peer(b2.id(), "b2")), welcome.getJsonArray("peers"));
        back.send("{\"type\":\"offer\",\"to\":\"" + a.id() + "\",\"sdp\":\"back\"}");

        List<JsonObject> heardByA = until(a.peer(), m -> isLeft(m, b2.id()));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("A killed node's member that did not come back was announced as left after %d ms%n", took.toMillis());
        assertTrue(took.compareTo(GRACE) >= 0 && took.compareTo(DEPARTURE_BOUND) <= 0, "announced after " + took);
        assertEquals(List.of("back"), signals(heardByA, "offer"), "a keeps it as the same member, never told it left");
        List<JsonObject> heardByB1 = until(back, m -> isLeft(m, b2.id()));
        for (List<JsonObject> heard : List.of(heardByA, heardByB1)) {
            assertEquals(List.of(b2.id()), heard.stream().filter(m -> m.getString("type").startsWith("peer-"))
                    .map(m -> m.getString("peer")).toList(), heard::toString);
        }
        a.peer().assertNothingPending();
        back.assertNothingPending();

        Joined again = joinAt(portA(), "b2");
        assertEquals(List.of(peer(a.id(), "a"), peer(b1.id(), "b1")), again.welcome().getJsonArray("peers"),
                "the dead node's member that did not come back is off the roster");
        assertEquals(again.id(), a.peer().next("peer-joined").getString("peer"));
    }

    @Test
    @Order(7)
    void membersOfAFrozenNodeAreAnnouncedAsLeftWithinTheBound() throws Exception {
        // A node that hangs (or whose network is cut) sends no TCP reset: only the grid's
        // heartbeat timeout finds it gone; its members then keep their places for the grace.
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

    /** Reads {@code peer}'s messages up to and including the first that {@code last} accepts. */
    private static List<JsonObject> until(TestPeer peer, Predicate<JsonObject> last) {
        List<JsonObject> read = new ArrayList<>();
        long deadline = System.nanoTime() + DEPARTURE_BOUND.plus(GRACE).toNanos();
        do {
            read.add(peer.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        } while (!last.test(read.get(read.size() - 1)));
        return read;
    }

    private static boolean isLeft(JsonObject message, String id) {
        return message.getString("type").equals("peer-left") && message.getString("peer").equals(id);
    }

    /** The sdp of each offer or answer, or the candidate string of each candidate, of that type, in order. */
    private static List<String> signals(List<JsonObject> messages, String type) {
        return messages.stream().filter(m -> m.getString("type").equals(type))
                .map(m -> type.equals("candidate") ? m.getJsonObject("candidate").getString("candidate") : m.getString("sdp")).toList();
    }

    /** The HTTP status a WebSocket upgrade on {@code port} gets: 101 when it is accepted (then closed at once). */
    private static int upgradeStatus(int port) throws Exception {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal/stopping-probe"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }
}
