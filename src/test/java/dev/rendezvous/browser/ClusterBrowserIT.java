package dev.rendezvous.browser;

import dev.rendezvous.it.MicroProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two pages served by different nodes of a two-node cluster: their signaling crosses the data grid. */
@Timeout(400)
class ClusterBrowserIT {

    private static final int HTTP_A = 18311;
    private static final int HTTP_B = 18312;
    private static final int GRID_A = 16311;
    private static final int GRID_B = 16312;
    private static final String CLUSTER = "rdv-browser";
    /** Two nodes took 20–150 s to find each other on a loaded machine. */
    private static final Duration FORMATION = Duration.ofSeconds(240);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ClusterBrowserIT.class.getName());

    @Test
    void pagesServedByDifferentNodesOpenADataChannelAndChatBothWays() throws Exception {
        List<Integer> grid = List.of(GRID_A, GRID_B);
        try (MicroProcess nodeA = MicroProcess.startNode(HTTP_A, GRID_A, grid, CLUSTER, Map.of());
             MicroProcess nodeB = MicroProcess.startNode(HTTP_B, GRID_B, grid, CLUSTER, Map.of())) {
            awaitOneCluster(nodeA.port(), nodeB.port());
            // No base: each page names the node that serves it.
            try (Browser browser = new Browser("")) {
                String room = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
                Browser.Page ann = join(browser, nodeA.port(), room, "Ann");
                Browser.Page bob = join(browser, nodeB.port(), room, "Bob");
                double annOpenMs = awaitChannelOpen(ann, bob);
                double bobOpenMs = awaitChannelOpen(bob, ann);
                LOG.info(() -> String.format("Across the cluster, page load to DataChannel open: Ann (node A) %.0f ms, "
                        + "Bob (node B) %.0f ms", annOpenMs, bobOpenMs));

                say(ann, "Hello from node A");
                awaitMessage(bob, "Ann", "Hello from node A");
                say(bob, "Hi from node B");
                awaitMessage(ann, "Bob", "Hi from node B");
            }
        }
    }

    /**
     * Deployed is not clustered: until the grid has formed, each node keeps its rooms to itself.
     * Probes until a member joining on B is told about one already on A, and A hears of it.
     */
    private static void awaitOneCluster(int portA, int portB) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + FORMATION.toNanos();
        int attempts = 0;
        String lastSeen = "no probe finished";
        while (System.nanoTime() < deadline) {
            attempts++;
            String room = "probe-" + UUID.randomUUID().toString().substring(0, 8);
            try (Probe onA = Probe.join(portA, room); Probe onB = Probe.join(portB, room)) {
                String a = onA.next("welcome").getString("peer");
                JsonObject welcomeOnB = onB.next("welcome");
                String b = welcomeOnB.getString("peer");
                boolean bSeesA = welcomeOnB.getJsonArray("peers").stream()
                        .anyMatch(p -> a.equals(p.asJsonObject().getString("peer")));
                if (bSeesA && b.equals(onA.next("peer-joined").getString("peer"))) {
                    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                    int tries = attempts;
                    LOG.info(() -> "The two nodes formed one cluster " + seconds + " s after both were deployed ("
                            + tries + " probes)");
                    return;
                }
                lastSeen = "B's welcome listed " + welcomeOnB.getJsonArray("peers");
            } catch (AssertionError | RuntimeException notYet) {
                lastSeen = notYet.toString();
            }
            Browser.pause(1000);
        }
        throw new AssertionError("the nodes did not form one cluster within " + FORMATION + "; last probe: " + lastSeen);
    }

    private static Browser.Page join(Browser browser, int port, String room, String name) {
        Browser.Page page = browser.open("http://127.0.0.1:" + port + "/?room=" + room + "&name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8));
        page.await(name + " is welcomed", () -> !PageTestBase.peerId(page).isEmpty());
        return page;
    }

    /** Waits until {@code page}'s chat channel to {@code other} is open: ms from page load, as the page measured it. */
    private static double awaitChannelOpen(Browser.Page page, Browser.Page other) {
        String otherId = PageTestBase.peerId(other);
        page.await("the chat channel to " + otherId + " is open",
                () -> "open".equals(page.text(PageTestBase.peerRow(otherId) + " .channel")));
        Object openedAt = page.script("return window.rendezvous.channelOpenAt[arguments[0]]", otherId);
        assertTrue(openedAt instanceof Number, "the page noted when the channel opened: " + openedAt);
        return ((Number) openedAt).doubleValue();
    }

    private static void say(Browser.Page page, String text) {
        page.find("#chat-input").sendKeys(text);
        page.find("#chat-send").click();
    }

    private static void awaitMessage(Browser.Page page, String from, String text) {
        page.await(from + "'s message '" + text + "' is shown", () -> page.findAll("#chat-log .msg").stream()
                .anyMatch(m -> text.equals(Browser.childText(m, ".text")) && from.equals(Browser.childText(m, ".from"))));
    }

    /** A bare signaling member on one node, for the formation probe: every message lands in a queue. */
    private static final class Probe implements WebSocket.Listener, AutoCloseable {

        private static final HttpClient HTTP = HttpClient.newHttpClient();

        private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Probe join(int port, String room) {
            Probe probe = new Probe();
            probe.socket = HTTP.newWebSocketBuilder().connectTimeout(PROBE_WAIT)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal/" + room), probe)
                    .orTimeout(PROBE_WAIT.toSeconds(), TimeUnit.SECONDS).join();
            return probe;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** The next message, which must have this type. */
        JsonObject next(String type) throws InterruptedException {
            JsonObject message = received.poll(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null || !(message.get("type") instanceof JsonString t) || !type.equals(t.getString())) {
                throw new AssertionError("expected " + type + ", got " + message);
            }
            return message;
        }

        /** A normal close ends the membership at once (a dropped socket would linger for a resume). */
        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(PROBE_WAIT.toSeconds(), TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }
}
