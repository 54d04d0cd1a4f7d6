package dev.rendezvous.soak;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.RawClient;
import jakarta.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection the server closes on another thread while its frames are being delivered leaves no
 * endpoint and no WebSocket session behind, on the real Payara Micro. Runs only with
 * {@code -Dsoak=true} (the {@code soak} profile).
 *
 * <p>Tyrus looks the connection's endpoint up for every frame it delivers; a lookup that comes just
 * after the close forgot the endpoint used to get a fresh one from {@code EndpointFactory}, kept
 * with the closed session for as long as the application ran. Here each of {@link #CHAINS} members
 * is resumed {@link #LINKS} times on a new socket while its old socket streams pongs, so the old
 * one is closed (4410) on the server's closer thread while a reading thread is delivering its
 * pongs; once all have left, none of the per-connection objects may be live. With
 * {@code EndpointFactory}'s refusal removed it failed 6 runs of 6, each leaving 47 to 90
 * endpoints (and as many sessions) behind from its 200 closes; with it, 8 runs of 8 left none.
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClosedWhileReadingIT {

    private static final Logger LOG = Logger.getLogger(ClosedWhileReadingIT.class.getName());
    /** The soak's port: the soak tests run one after the other, each with a Payara Micro of its own. */
    private static final int PORT = Integer.getInteger("soak.port", 18091);
    /**
     * Members superseded at once. A few keep the server busy reading pongs, so that a reading
     * thread is often descheduled inside the lookup; on two cores before the fix, 4 of them hit
     * the race at about a quarter of their closes, and a single one still at a fifth.
     */
    private static final int CHAINS = 4;
    private static final int LINKS = 50;
    /** Each socket's ping (one per write of pongs) counts against the rate; nothing else is sent. */
    private static final Map<String, String> SERVER = Map.of(
            "SIGNALING_RATE_PER_SECOND", "100000",
            "SIGNALING_RATE_BURST", "100000");
    /** The server's per-member and per-connection objects, as {@link SoakIT} counts them. */
    private static final List<String> PER_CONNECTION = List.of(
            "dev.rendezvous.room.Member", "dev.rendezvous.room.Mailbox", "dev.rendezvous.room.Peer",
            "dev.rendezvous.room.Room", "dev.rendezvous.room.Resumptions$Place",
            "dev.rendezvous.signaling.SignalingEndpoint", "dev.rendezvous.signaling.SessionOutbox",
            "dev.rendezvous.signaling.RateLimiter", "dev.rendezvous.signaling.InboundDecoder",
            "org.glassfish.tyrus.core.TyrusSession");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long closes may still be finishing on the server once every client has seen its own. */
    private static final Duration CLOSES_SETTLE = Duration.ofSeconds(20);

    @Test
    void aConnectionClosedWhileItsPongsAreDeliveredLeavesNoEndpointBehind() throws Exception {
        long began = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService chains = Executors.newFixedThreadPool(CHAINS);
        ExecutorService pongers = Executors.newFixedThreadPool(CHAINS);
        try (MicroProcess micro = MicroProcess.start(PORT, SERVER)) {
            long booted = System.nanoTime();
            List<Future<Long>> running = new ArrayList<>();
            for (int chain = 0; chain < CHAINS; chain++) {
                String room = "closed-" + run + "-" + chain;
                running.add(chains.submit(() -> chain(room, pongers)));
            }
            long pongs = 0;
            for (Future<Long> chain : running) {
                pongs += chain.get();
            }
            long closed = System.nanoTime();
            Map<String, Long> left = perConnectionObjects(micro.pid());
            long orphans = left.getOrDefault("dev.rendezvous.signaling.SignalingEndpoint", 0L);
            long delivered = pongs;
            LOG.info(() -> String.format("Closed while reading %s: %d sockets closed with 4410 while ponging (%d pongs"
                            + " read before their closes); %d endpoints left behind; live after everyone left: %s;"
                            + " boot %.1f s, closes %.1f s, total %.1f s",
                    run, CHAINS * LINKS, delivered, orphans, left, seconds(booted - began), seconds(closed - booted),
                    seconds(System.nanoTime() - began)));
            assertEquals(Map.of(), left, "per-connection objects still live after everyone left");
        } finally {
            chains.shutdownNow();
            pongers.shutdownNow();
        }
    }

    /**
     * One member, resumed {@link #LINKS} times, each old socket streaming pongs until it is closed;
     * returns how many pongs the server was seen to read.
     */
    private static long chain(String room, ExecutorService pongers) throws Exception {
        PongingSocket current = PongingSocket.open(room, "");
        String token = current.welcome().getString("resume");
        long pongs = 0;
        for (int link = 0; link < LINKS; link++) {
            Future<Integer> closed = pongers.submit(current::pongUntilClosed);
            PongingSocket next = PongingSocket.open(room, "?resume=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            JsonObject welcome = next.welcome();
            assertTrue(welcome.getBoolean("resumed"), () -> room + ": the resume was refused: " + welcome);
            token = welcome.getString("resume");
            assertEquals(4410, closed.get(WAIT.toSeconds(), TimeUnit.SECONDS), room + ": the superseded socket's close");
            pongs += current.pongsRead();
            current.answerClose(4410);
            current.close();
            current = next;
        }
        current.answerClose(1000);
        assertEquals(1000, current.awaitClose(), room + ": the server answers the last socket's close");
        current.close();
        return pongs;
    }

    /**
     * The live objects of {@link #PER_CONNECTION} classes, read again until there are none or
     * {@link #CLOSES_SETTLE} has passed: a close the client has seen may still be finishing on the
     * server (a superseded socket lingers until the client's close frame).
     */
    private static Map<String, Long> perConnectionObjects(long pid) {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>();
        try {
            await().atMost(CLOSES_SETTLE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last.set(ServerHeap.liveInstances(pid, PER_CONNECTION));
                        return last.get().isEmpty();
                    });
        } catch (ConditionTimeoutException stillLive) {
            // The last reading says what is left; the test reports it.
        }
        return last.get();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A member's socket on a bare socket ({@link RawClient}): it reads the welcome and the close, and streams unsolicited pongs. */
    private static final class PongingSocket implements AutoCloseable {

        /** Pong frames per write: empty, masked, 6 bytes each; a {@code ping} message follows them. */
        private static final int PONGS_PER_WRITE = 4096;
        private static final int WRITES_AHEAD = 2;
        private static final byte[] PONGS = pongsThenPing();

        private final RawClient client;
        /** Pings answered while ponging: written and read by the ponging thread, read after it is done. */
        private int answered;

        private PongingSocket(RawClient client) {
            this.client = client;
        }

        private static byte[] pongsThenPing() {
            byte[] mask = new byte[4];
            new SecureRandom().nextBytes(mask);
            ByteArrayOutputStream frames = new ByteArrayOutputStream(PONGS_PER_WRITE * 6 + 21);
            for (int i = 0; i < PONGS_PER_WRITE; i++) {
                frames.writeBytes(RawClient.frame(true, 0xA, new byte[0], mask));
            }
            frames.writeBytes(RawClient.frame(true, 0x1, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), mask));
            return frames.toByteArray();
        }

        static PongingSocket open(String room, String query) throws IOException {
            RawClient client = RawClient.open(PORT, "/signal/" + room + query, null, null, 0);
            assertEquals(101, client.status(), () -> room + ": the upgrade was refused: " + client.head());
            return new PongingSocket(client);
        }

        /** The first message, which must be a welcome. */
        JsonObject welcome() throws IOException {
            JsonObject welcome = client.next(WAIT);
            assertEquals("welcome", welcome.getString("type"), () -> "the first message: " + welcome);
            return welcome;
        }

        /** Reads until the server's close frame: its code (-1 if the connection just ended). */
        int awaitClose() throws IOException {
            return client.awaitClose(WAIT);
        }

        /**
         * Streams pongs until the server's close frame, and returns its code. Each write of pongs
         * ends with a {@code ping} message, and at most {@link #WRITES_AHEAD} writes go unanswered:
         * the server always has pongs to read, but never more than it reads in a moment (on
         * loopback its receive buffer would grow to megabytes, read long after the close).
         */
        int pongUntilClosed() throws IOException {
            int unanswered = 0;
            answered = 0;
            while (true) {
                if (unanswered < WRITES_AHEAD) {
                    client.sendBytes(PONGS);
                    unanswered++;
                    continue;
                }
                RawClient.Frame frame = client.nextFrame(WAIT);
                if (frame.isClose()) {
                    return frame.closeCode();
                }
                unanswered--;
                answered++;
            }
        }

        /** How many pongs the server had read before its close, as far as its answers to the pings tell. */
        long pongsRead() {
            return (long) answered * PONGS_PER_WRITE;
        }

        /** Sends a close frame with {@code code}. */
        void answerClose(int code) throws IOException {
            client.sendClose(code);
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }
}
