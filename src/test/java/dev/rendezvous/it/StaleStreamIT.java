package dev.rendezvous.it;

import dev.rendezvous.it.stale.Stage;
import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the real Payara Micro, a byte written to a closed upgraded connection's stream goes out on the
 * next socket that connection's recycled response serves, ahead of that socket's own {@code 101};
 * through the product's upgrade path ({@code HandshakeFilter}, {@code LingeringUpgrade},
 * {@code GatedOutput}) the same write reaches no socket.
 *
 * <p>Nothing is left to timing. A round closes a victim connection on the container's reading thread,
 * which puts its request and response in that thread's cache (Grizzly's {@code ThreadCache}); then
 * probe sockets come one at a time, each held on the worker thread that took it, so that the next is
 * taken by another, until the thread holding the victim's response takes one and serves it with that
 * response. That probe's request waits while a thread of its own writes into the victim's stream, then
 * upgrades: whatever its socket receives before its {@code 101} came through the stale stream. Seen on
 * Payara Micro 6.2025.10: the write commits the probe's response, so its socket gets a {@code 200} head
 * and the late bytes, and never its {@code 101}.
 */
class StaleStreamIT extends SignalingTestBase {

    private static final int ROUNDS = 100;
    /** More than the container's largest worker pool (200): a round that finds no victim response fails, it does not pass. */
    private static final int MOST_PROBES = 250;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String UPGRADED = "HTTP/1.1 101 ";
    private static final String REFUSED_BY_THE_GATE = "X-Stale-Late-Write: refused by dev.rendezvous.signaling.GatedOutput";

    private final List<Socket> upgradedProbes = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.get().addPackage(Stage.class.getPackage());
    }

    @AfterEach
    void closeProbes() throws IOException {
        // Closed only now: each round's upgraded probe stays open, so no request of its own is recycled meanwhile.
        for (Socket probe : upgradedProbes) {
            probe.close();
        }
    }

    @Test
    @Timeout(60)
    void aWriteToAClosedConnectionsStreamReachesTheNextSocketAheadOfIts101() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String mark = "LATE-" + round + "-";
            try (Socket victim = open("/stale/victim?mark=" + mark)) {
                assertTrue(head(victim).startsWith(UPGRADED), "the victim is upgraded");
                victim.getOutputStream().write('x');
                awaitEnd(victim);
            }
            String received = nextServedByTheVictimsResponse(mark);
            if (!received.startsWith(UPGRADED) && received.contains(mark)) {
                leaks.add(received);
            }
        }
        assertEquals(ROUNDS, leaks.size(), "rounds whose late write reached the next socket ahead of its 101, of " + ROUNDS);
    }

    @Test
    @Timeout(60)
    void throughTheProductsUpgradeTheSameWriteReachesNoSocket() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String mark = "LATE-" + round + "-";
            try (RawClient victim = RawClient.open(signalPath(room + "-" + round, "stale=" + mark), null, null, 0)) {
                assertEquals("welcome", victim.next(WAIT).getString("type"));
                // The client closes first: Tyrus closes the connection on the thread that read the close frame.
                victim.sendClose(1000);
                assertEquals(1000, victim.awaitClose(WAIT));
            }
            String received = nextServedByTheVictimsResponse(mark);
            // A clean 101, after a late write the product's gate refused.
            if (!received.startsWith(UPGRADED) || received.contains(mark) || !received.contains(REFUSED_BY_THE_GATE)) {
                leaks.add(received);
            }
        }
        assertEquals(List.of(), leaks.subList(0, Math.min(5, leaks.size())),
                leaks.size() + " of " + ROUNDS + " rounds reached the next socket or wrote past the gate");
    }

    /**
     * Opens probes until the container serves one with the victim's response, then lets the held ones
     * go; returns what that probe received: its head, and when that is not a {@code 101}, on to the mark.
     */
    private String nextServedByTheVictimsResponse(String mark) throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MOST_PROBES; i++) {
                Socket probe = open("/stale/probe");
                String head = head(probe);
                if (!head.contains("X-Stale: held")) {
                    upgradedProbes.add(probe);
                    return head.startsWith(UPGRADED) ? head : head + upToMark(probe, mark);
                }
                held.add(probe);
            }
            throw new AssertionError("no probe of " + MOST_PROBES + " was served by the victim's response");
        } finally {
            for (Socket probe : held) {
                probe.close();
            }
        }
    }

    private static Socket open(String path) throws IOException {
        int port = Integer.getInteger("it.http.port");
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) WAIT.toMillis());
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: stale\r\nConnection: Upgrade\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Every byte up to and including the first blank line, one char per byte. */
    private static String head(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed after [" + head.toString(StandardCharsets.ISO_8859_1) + "]");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The bytes that follow, up to the mark, or up to the end or {@link #WAIT} when it does not come. */
    private static String upToMark(Socket socket, String mark) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        try {
            int b;
            while (received.indexOf(mark) < 0 && (b = in.read()) >= 0) {
                received.append((char) b);
            }
        } catch (SocketTimeoutException nothingMore) {
            received.append("[nothing more within ").append(WAIT).append(']');
        }
        return received.toString();
    }

    /** Reads until the server ends the connection: by then it has closed the upgraded connection. */
    private static void awaitEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
            // nothing is expected; the end is what matters
        }
    }
}
