package dev.rendezvous.browser;

import dev.rendezvous.it.MicroProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(ClusterBrowserIT.class.getName());

    @Test
    void pagesServedByDifferentNodesOpenADataChannelAndChatBothWays() throws Exception {
        List<Integer> grid = List.of(GRID_A, GRID_B);
        try (MicroProcess nodeA = MicroProcess.startNode(HTTP_A, GRID_A, grid, CLUSTER, Map.of());
             MicroProcess nodeB = MicroProcess.startNode(HTTP_B, GRID_B, grid, CLUSTER, Map.of())) {
            MicroProcess.awaitCluster(nodeA.port(), nodeB.port(), FORMATION);
            // No base: each page names the node that serves it.
            try (Browser browser = new Browser("")) {
                String room = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
                Browser.Page ann = join(browser, nodeA.port(), room, "Ann");
                Browser.Page bob = join(browser, nodeB.port(), room, "Bob");
                double annOpenMs = PageTestBase.awaitChannelOpen(ann, bob);
                double bobOpenMs = PageTestBase.awaitChannelOpen(bob, ann);
                LOG.info(() -> String.format("Across the cluster, page load to DataChannel open: Ann (node A) %.0f ms, "
                        + "Bob (node B) %.0f ms", annOpenMs, bobOpenMs));

                PageTestBase.say(ann, "Hello from node A");
                PageTestBase.awaitMessage(bob, "Ann", "Hello from node A");
                PageTestBase.say(bob, "Hi from node B");
                PageTestBase.awaitMessage(ann, "Bob", "Hi from node B");
            }
        }
    }

    private static Browser.Page join(Browser browser, int port, String room, String name) {
        Browser.Page page = browser.open("http://127.0.0.1:" + port + "/?room=" + room + "&name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + PageTestBase.DIAGNOSTICS);
        page.await(name + " is welcomed", () -> !PageTestBase.peerId(page).isEmpty());
        return page;
    }
}
