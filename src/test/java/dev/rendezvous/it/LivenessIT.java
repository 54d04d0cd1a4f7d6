package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members whose connections die, go silent or stall, and members who come back: heartbeats every
 * second, a 3 s resume grace and a 64 KiB outbox bound make every bound observable in a test.
 */
class LivenessIT extends SignalingTestBase {

    /** Silent for 2..3 heartbeat intervals, then the grace, then the next expiry round: 3 + 3 + 1 s. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Duration DEPARTURE_BOUND = Duration.ofSeconds(8);

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.heartbeat.interval=1",
                "signaling.resume.grace=3",
                "signaling.outbox.max-bytes=65536",
                "signaling.rate.per-second=5000",
                "signaling.rate.burst=5000");
    }

    private static String offerTo(String to, String sdp) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\"}";
    }

    /** Scrapes {@code /api/metrics} until this node counts {@code sockets} signaling sockets open. */
    private static void awaitOpenConnections(int sockets) {
        URI metrics = URI.create("http://127.0.0.1:" + Integer.getInteger("it.http.port") + "/api/metrics");
        String expected = "rendezvous_connections_open " + sockets;
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(metrics).timeout(TestPeer.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return scrape.body().lines().anyMatch(expected::equals);
        });
    }

    private TestPeer resume(JsonObject welcome, Integer received) {
        return connect(room, null, "resume=" + welcome.getString("resume") + (received == null ? "" : "&received=" + received));
    }

    @Test
    void aDroppedMemberResumesWithItsIdAndEveryMessageItMissedInOrder() throws Exception {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        assertFalse(b.welcome().getBoolean("resumed"));
        b.peer().abort();
        for (int i = 0; i < 5; i++) {
            a.peer().send(offerTo(b.id(), "missed " + i));
        }
        a.peer().send("{\"type\":\"candidate\",\"candidate\":null}");

        TestPeer back = resume(b.welcome(), 0);
        JsonObject welcome = back.welcome();
        assertTrue(welcome.getBoolean("resumed"));
        assertEquals(b.id(), welcome.getString("peer"));
        assertEquals(List.of(peer(a.id(), "a")), welcome.getJsonArray("peers"));
        assertNotEquals(b.welcome().getString("resume"), welcome.getString("resume"), "a fresh token");
        for (int i = 0; i < 5; i++) {
            JsonObject missed = back.next("offer");
            assertEquals("missed " + i, missed.getString("sdp"));
            assertEquals(a.id(), missed.getString("from"));
        }
        back.next("candidate");
        back.assertNothingPending();
        a.peer().send(offerTo(b.id(), "after"));
        assertEquals("after", back.next("offer").getString("sdp"));
        a.peer().assertSilentFor(Duration.ofSeconds(4));
        a.peer().assertNothingPending();
    }

    @Test
    void theReceivedCountDecidesWhatIsReplayed() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        for (int i = 1; i <= 3; i++) {
            a.peer().send(offerTo(b.id(), "m" + i));
            assertEquals("m" + i, b.peer().next("offer").getString("sdp"));
        }
        b.peer().abort();
        a.peer().send(offerTo(b.id(), "m4"));
        // The client says only the first arrived: m2 and m3 may have been lost in flight.
        TestPeer back = resume(b.welcome(), 1);
        back.welcome();
        for (String expected : List.of("m2", "m3", "m4")) {
            assertEquals(expected, back.next("offer").getString("sdp"));
        }
        back.assertNothingPending();
    }

    @Test
    void aResumeTokenWorksOnce() {
        List<Joined> ab = joinAll("a", "b");
        Joined b = ab.get(1);
        b.peer().abort();
        TestPeer back = resume(b.welcome(), 0);
        assertTrue(back.welcome().getBoolean("resumed"));
        back.abort();
        TestPeer again = resume(b.welcome(), 0);
        again.error("RESUME_FAILED");
        JsonObject fresh = again.welcome();
        assertFalse(fresh.getBoolean("resumed"));
        assertNotEquals(b.id(), fresh.getString("peer"));
    }

    @Test
    void afterTheGraceTheMemberIsGoneAndItsResumeJoinsAfresh() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        b.peer().abort();
        assertEquals(b.id(), a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
        TestPeer late = resume(b.welcome(), 0);
        late.error("RESUME_FAILED");
        JsonObject fresh = late.welcome();
        assertFalse(fresh.getBoolean("resumed"));
        assertEquals(List.of(peer(a.id(), "a")), fresh.getJsonArray("peers"));
        assertEquals(fresh.getString("peer"), a.peer().next("peer-joined").getString("peer"));
    }

    @Test
    void moreMissedMessagesThanAreKeptEndTheMemberAndRefuseItsResume() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        b.peer().abort();
        // Until the server has seen the drop, what it relays to b is handed to the dying socket,
        // not kept as missed: flood only once b's socket is no longer counted as open.
        awaitOpenConnections(1);
        for (int i = 0; i < 300; i++) {
            a.peer().send(offerTo(b.id(), "n" + i));
        }
        assertEquals(b.id(), a.peer().next("peer-left", Duration.ofSeconds(3)).getString("peer"),
                "an overflowing member leaves at the next expiry round, not after the grace");
        TestPeer late = resume(b.welcome(), 0);
        late.error("RESUME_FAILED");
        assertFalse(late.welcome().getBoolean("resumed"));
    }

    @Test
    void aResumeTakesTheMemberOverFromAConnectionNotYetSeenAsDropped() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        TestPeer takeover = resume(b.welcome(), 0);
        assertEquals(b.id(), takeover.welcome().getString("peer"));
        assertEquals(4410, b.peer().awaitClose().code());
        a.peer().send(offerTo(b.id(), "to the new connection"));
        assertEquals("to the new connection", takeover.next("offer").getString("sdp"));
        a.peer().assertNothingPending();
    }

    @Test
    void aResumeClaimingMoreThanWasSentIsRefusedAndEndsTheOldConnectionToo() {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        TestPeer impossible = resume(b.welcome(), 5);
        impossible.error("RESUME_FAILED");
        assertNotEquals(b.id(), impossible.welcome().getString("peer"));
        assertEquals(4410, b.peer().awaitClose().code(), "the old socket does not go on as a non-member");
        assertEquals(b.id(), a.peer().next("peer-left").getString("peer"));
    }

    @Test
    void aClientThatStopsAnsweringPingsIsClosedWith4408AndLeavesAfterTheGrace() throws Exception {
        Joined a = join("a");
        try (RawClient silent = RawClient.open(signalPath(room, "name=silent"), null, null, 0)) {
            String silentId = silent.next(Duration.ofSeconds(5)).getString("peer");
            assertEquals(silentId, a.peer().next("peer-joined").getString("peer"));
            assertEquals(4408, silent.awaitClose(Duration.ofSeconds(5)));
            assertEquals(silentId, a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
        }
        a.peer().assertNothingPending();
    }

    @Test
    void aConnectionWithFramesGoingBothWaysIsNotPingedAndIsOnceItFallsQuiet() throws Exception {
        Joined a = join("a");
        try (RawClient busy = RawClient.open(signalPath(room, "name=busy"), null, null, 0)) {
            String busyId = busy.next(Duration.ofSeconds(5)).getString("peer");
            assertEquals(busyId, a.peer().next("peer-joined").getString("peer"));
            // Five heartbeat intervals of traffic both ways: an application ping every 100 ms, each answered.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int exchanges = 0;
            while (System.nanoTime() < until) {
                busy.send("{\"type\":\"ping\"}");
                assertEquals("pong", busy.next(Duration.ofSeconds(5)).getString("type"));
                exchanges++;
                Thread.sleep(100);
            }
            int whileBusy = busy.pingsRead();
            // One may slip through a stall of this machine longer than an interval; without the rule, five or six come.
            assertTrue(whileBusy <= 1, whileBusy + " pings during " + exchanges + " exchanges");
            // Quiet, it is pinged again, and closed for never answering.
            assertEquals(4408, busy.awaitClose(Duration.ofSeconds(5)));
            assertTrue(busy.pingsRead() > whileBusy, "no ping once quiet");
            assertEquals(busyId, a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
        }
        a.peer().assertNothingPending();
    }

    @Test
    void aKilledClientProcessDisappearsWithinTheBound() throws Exception {
        Joined a = join("a");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process client = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KilledClient.class.getName(), signal(room, "name=doomed").toString())
                .redirectErrorStream(true).start();
        try {
            String doomed = a.peer().next("peer-joined", Duration.ofSeconds(30)).getString("peer");
            client.destroyForcibly();
            assertTrue(client.waitFor(10, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            assertEquals(doomed, a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "kept for the grace first, gone after " + took);
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    @SuppressWarnings("try") // the stalled client only has to be connected
    void aReaderBeyondItsBacklogBoundIsCutOffAndTheRoomCarriesOn() throws Exception {
        List<Joined> ab = joinAll("a", "b");
        Joined a = ab.get(0);
        Joined b = ab.get(1);
        try (RawClient stalled = RawClient.open(signalPath(room, "name=stalled"), null, null, 4096)) {
            String stalledId = a.peer().next("peer-joined").getString("peer");
            b.peer().next("peer-joined");
            // 400 x 60 KB = 24 MB: more than the kernel and container buffer for a 4 KiB window, so
            // the stalled reader is cut off, by the 64 KiB outbox bound or by the container refusing
            // more writes. Sent in step with b, which keeps up: how much waits for a reader that
            // does keep up depends on the container (Payara's buffers take a whole flood at once,
            // Undertow's writes complete only as the reader reads), and in step it stays under the
            // bound on either.
            String sdp = "s".repeat(60_000);
            boolean stalledLeft = false;
            for (int i = 0; i < 400; i++) {
                a.peer().send("{\"type\":\"offer\",\"sdp\":\"" + i + sdp + "\"}");
                JsonObject message = b.peer().next();
                if (message.getString("type").equals("peer-left") && !stalledLeft) {
                    assertEquals(stalledId, message.getString("peer"));
                    stalledLeft = true;
                    message = b.peer().next();
                }
                assertEquals("offer", message.getString("type"));
                assertTrue(message.getString("sdp").startsWith(i + "s"), "in order at " + i);
            }
            if (!stalledLeft) {
                assertEquals(stalledId, b.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
            }
            // Nothing else for the sender: its ping is answered once it has heard the stalled member left.
            assertEquals(stalledId, a.peer().next("peer-left", DEPARTURE_BOUND).getString("peer"));
            a.peer().assertNothingPending();
        }
    }
}
