package dev.rendezvous.browser;

import dev.rendezvous.testkit.MicroProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.logging.Logger;

import static dev.rendezvous.browser.PageTestBase.DIAGNOSTICS;
import static dev.rendezvous.browser.PageTestBase.awaitChannelOpen;
import static dev.rendezvous.browser.PageTestBase.awaitMessage;
import static dev.rendezvous.browser.PageTestBase.peerId;
import static dev.rendezvous.browser.PageTestBase.peerRow;
import static dev.rendezvous.browser.PageTestBase.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pages keep their calls while the signaling server goes away and comes back: a Payara Micro of the
 * test's own, with a fixed resume secret, is stopped (SIGTERM) or killed and started again on the
 * same port under pages that chat and send files over their own links. The pages come back under
 * their ids, keep every RTCPeerConnection, and reconcile their people lists with the server's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class RestartBrowserIT {

    private static final int PORT = Integer.getInteger("it.restart.port", 18095);
    private static final Map<String, String> SETTINGS = Map.of("SIGNALING_RESUME_SECRET", "restart-browser-secret");
    /** The server's signaling.resume.grace (its default), which the page waits for a member that is not back. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** From the server being ready to every page being back: the page's backoff reaches 15 s, ±30 %. */
    private static final Duration BACK = Duration.ofSeconds(45);
    /** Sent while the server is down: large enough to outlast a stop on a fast machine. */
    private static final int FILE_BYTES = 48 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(RestartBrowserIT.class.getName());

    private static MicroProcess micro;
    private static Browser browser;
    private String room;

    @BeforeAll
    static void start() throws Exception {
        micro = MicroProcess.start(PORT, SETTINGS);
        browser = new Browser("http://127.0.0.1:" + PORT + "/");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (micro != null) {
            micro.close();
        }
    }

    @BeforeEach
    void freshRoom() {
        room = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closePages() {
        browser.reset();
    }

    @Test
    @Order(1)
    void twoPagesChatOnThroughAStopAndKeepTheirConnectionsIdsAndPeople() throws Exception {
        List<Browser.Page> pages = connected("Ann", "Bob");
        Map<Browser.Page, Seen> before = seen(pages);

        down(false, pages);
        chatAround(pages, "while the server is stopped");
        Files.write(Browser.output().resolve("restart-away.png"), browser.screenshot(pages.get(0)));
        up(pages);
        Files.write(Browser.output().resolve("restart-back.png"), browser.screenshot(pages.get(0)));
        chatAround(pages, "after the restart");

        assertKept(pages, before);
        report("SIGTERM, restart on the same port", pages, before);
    }

    @Test
    @Order(2)
    void twoPagesChatOnThroughAKillAndACameraTurnedOnMeanwhileReachesTheOtherAfterwards() throws Exception {
        List<Browser.Page> pages = connected("Ann", "Bob");
        Browser.Page ann = pages.get(0);
        Browser.Page bob = pages.get(1);
        Map<Browser.Page, Seen> before = seen(pages);

        down(true, pages);
        chatAround(pages, "while the server is dead");
        // Its offer has nobody to carry it, and the restarted server forgets it: the page must make it again.
        ann.find("#camera").click();
        ann.await("Ann's camera is on", () -> "true".equals(ann.find("#camera").getAttribute("aria-pressed"))
                && ann.find("#camera").isEnabled());
        up(pages);
        chatAround(pages, "after the restart");
        String tile = "#videos video[data-peer='" + peerId(ann) + "']";
        String playing = "const v = document.querySelector(arguments[0]);"
                + "return !!v && v.videoWidth > 0 && !v.paused && v.readyState >= 2 ? v.currentTime : -1;";
        bob.await("Ann's video plays at Bob", () -> ((Number) bob.script(playing, tile)).doubleValue() > 0);

        assertKept(pages, before);
        report("kill -9, restart on the same port, a camera turned on meanwhile", pages, before);
    }

    @Test
    @Order(3)
    void aFileSentWhileTheServerIsDownArrivesWholeAndANewcomerAfterTheRestartConnectsToEveryone() throws Exception {
        List<Browser.Page> pages = connected("Ann", "Bob", "Cat");
        Browser.Page ann = pages.get(0);
        Map<Browser.Page, Seen> before = seen(pages);
        byte[] content = new byte[FILE_BYTES];
        new Random(7).nextBytes(content);
        Path file = Browser.output().resolve("restart-file.bin");
        Files.write(file, content);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        ann.find("#file-input").sendKeys(file.toAbsolutePath().toString());
        for (Browser.Page receiver : pages.subList(1, 3)) {
            receiver.await("the file starts arriving", () -> bytesIn(receiver) > 0);
        }
        down(false, pages);
        List<Long> whileDown = new ArrayList<>();
        for (Browser.Page receiver : pages.subList(1, 3)) {
            whileDown.add(bytesIn(receiver));
        }
        assertTrue(whileDown.stream().anyMatch(bytes -> bytes < FILE_BYTES),
                "the transfer was still running when the server had gone: " + whileDown + " of " + FILE_BYTES + " bytes");
        up(pages);
        for (Browser.Page receiver : pages.subList(1, 3)) {
            String incoming = "#transfers [data-direction='in']";
            receiver.await("the file is verified", Duration.ofSeconds(120), () -> "verified".equals(receiver.text(incoming + " .result")));
            assertEquals(sha256, downloadedSha256(receiver, incoming), "the bytes the page offers hash to what was sent");
        }
        assertKept(pages, before);
        report("three pages, a " + FILE_BYTES / (1024 * 1024) + " MiB file on its way (received when the server had gone: "
                + whileDown + " bytes), SIGTERM", pages, before);

        Browser.Page dan = join("Dan");
        for (Browser.Page page : pages) {
            awaitChannelOpen(dan, page);
            awaitChannelOpen(page, dan);
        }
        say(dan, "Hello, I came after the restart");
        for (Browser.Page page : pages) {
            awaitMessage(page, "Dan", "Hello, I came after the restart");
        }
        for (Browser.Page page : pages) {
            Seen now = Seen.of(page);
            assertEquals(before.get(page).created() + 1, now.created(), "one connection more: to Dan");
            assertEquals(before.get(page).closed(), now.closed(), "none closed");
        }
        LOG.info(() -> "Newcomer after the restart: chat open with all " + pages.size() + " pages");
    }

    @Test
    @Order(4)
    void aPageClosedWhileTheServerIsDownIsDroppedByTheOthersWithinTheGrace() throws Exception {
        List<Browser.Page> pages = connected("Ann", "Bob", "Cat");
        Browser.Page cat = pages.get(2);
        String catId = peerId(cat);
        List<Browser.Page> staying = pages.subList(0, 2);
        Map<Browser.Page, Seen> before = seen(staying);
        for (Browser.Page page : staying) {
            page.script("const row = arguments[0];"
                    + "new MutationObserver(() => { if (!document.querySelector(row)) { window.catGoneAt ??= Date.now(); } })"
                    + ".observe(document.querySelector('#peers'), {childList: true});", peerRow(catId));
        }

        down(false, pages);
        cat.close();
        up(staying);
        for (Browser.Page page : staying) {
            page.await("Cat is shown as not back yet", () -> "away".equals(page.find(peerRow(catId)).getAttribute("data-presence")));
        }
        for (Browser.Page page : staying) {
            page.await("Cat is dropped", GRACE.plusSeconds(15), () -> page.findAll(peerRow(catId)).isEmpty());
        }
        chatAround(staying, "after Cat has gone");

        List<String> dropped = new ArrayList<>();
        for (Browser.Page page : staying) {
            long backAt = ((Number) page.script("return window.rendezvous.outages[0].backAt")).longValue();
            long goneAt = ((Number) page.script("return window.catGoneAt")).longValue();
            assertTrue(goneAt - backAt <= GRACE.toMillis() + 5000, "dropped within the grace of its return: " + (goneAt - backAt) + " ms");
            dropped.add(String.format("%.1f s", (goneAt - backAt) / 1000.0));
            Seen now = Seen.of(page);
            assertEquals(before.get(page).id(), now.id());
            assertEquals(before.get(page).created(), now.created(), "no connection made");
            assertEquals(before.get(page).closed() + 1, now.closed(), "only the one to Cat closed");
            assertNotEquals(before.get(page).peers(), now.peers());
        }
        report("a page closed while the server was down (SIGTERM); dropped " + dropped + " after its peers were back",
                staying, before);
    }

    /** Opens one page per name in a fresh room and waits until every pair has its chat channel open. */
    private List<Browser.Page> connected(String... names) {
        List<Browser.Page> pages = new ArrayList<>();
        for (String name : names) {
            pages.add(join(name));
        }
        for (Browser.Page page : pages) {
            for (Browser.Page other : pages) {
                if (other != page) {
                    awaitChannelOpen(page, other);
                }
            }
            watch(page);
        }
        return pages;
    }

    private Browser.Page join(String name) {
        Browser.Page page = browser.open("?room=" + room + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + DIAGNOSTICS);
        page.await(name + " is welcomed", () -> !peerId(page).isEmpty());
        return page;
    }

    /** Notes every change to the people list and to the status line's state from now on. */
    private static void watch(Browser.Page page) {
        page.script("""
                window.watched = { peers: [], status: [] };
                const list = () => [...document.querySelectorAll('#peers [data-peer]')].map(e => e.dataset.peer).join();
                new MutationObserver(() => window.watched.peers.push(list()))
                    .observe(document.querySelector('#peers'), { childList: true });
                const status = document.querySelector('#status');
                new MutationObserver(() => window.watched.status.at(-1) === status.dataset.state
                        || window.watched.status.push(status.dataset.state))
                    .observe(status, { attributes: true, attributeFilter: ['data-state'] });
                """);
    }

    /** Stops (SIGTERM) or kills the server and waits until every page knows it is gone. */
    private static void down(boolean kill, List<Browser.Page> pages) throws InterruptedException {
        if (kill) {
            micro.kill();
        } else {
            assertTrue(micro.stop(Duration.ofSeconds(60)), "Payara Micro stops within a minute");
        }
        for (Browser.Page page : pages) {
            page.await("the page sees the server gone", () -> !"online".equals(page.script("return window.rendezvous.signalingState")));
        }
    }

    /** Starts the server again on the same port and waits until every page is back. */
    private static void up(List<Browser.Page> pages) throws Exception {
        micro = MicroProcess.start(PORT, SETTINGS);
        for (Browser.Page page : pages) {
            page.await("the page is back", BACK, () -> ((Number) page.script("return window.rendezvous.outages.length")).intValue() == 1);
            assertEquals(Boolean.TRUE, page.script("return window.rendezvous.outages[0].resumed"), "it came back as itself");
            assertEquals(Boolean.TRUE, page.script("return window.rendezvous.outages[0].lost"), "to a server that had restarted");
        }
    }

    /** Every page says something; every other page shows it. */
    private static void chatAround(List<Browser.Page> pages, String when) {
        for (Browser.Page page : pages) {
            String name = page.text("#my-name");
            String text = name + " " + when;
            say(page, text);
            for (Browser.Page other : pages) {
                if (other != page) {
                    awaitMessage(other, name, text);
                }
            }
        }
    }

    private static long bytesIn(Browser.Page page) {
        Object value = page.script("const p = document.querySelector(\"#transfers [data-direction='in'] progress\"); return p ? p.value : 0;");
        return ((Number) value).longValue();
    }

    private static String downloadedSha256(Browser.Page page, String transfer) {
        return (String) page.asyncScript("""
                const done = arguments[arguments.length - 1];
                const link = document.querySelector(arguments[0] + ' a[download]');
                fetch(link.href).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
                    .then(d => done([...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('')));
                """, transfer);
    }

    /** Same id, same people, no RTCPeerConnection made or closed, and the status line said reconnecting, then back. */
    private static void assertKept(List<Browser.Page> pages, Map<Browser.Page, Seen> before) {
        for (Browser.Page page : pages) {
            Seen then = before.get(page);
            Seen now = Seen.of(page);
            assertEquals(then.id(), now.id(), "the same id");
            assertEquals(then.id(), page.script("return window.rendezvous.peerId"));
            assertEquals(then.peers(), now.peers(), "the same people");
            assertEquals(List.of(), page.script("return window.watched.peers"), "the people list never changed");
            assertEquals(then.created(), now.created(), "no RTCPeerConnection made");
            assertEquals(then.closed(), now.closed(), "no RTCPeerConnection closed");
            @SuppressWarnings("unchecked")
            List<String> states = (List<String>) page.script("return window.watched.status");
            assertTrue(states.contains("reconnecting") && states.indexOf("back") > states.indexOf("reconnecting"),
                    "the status line said reconnecting, then back: " + states);
        }
    }

    private static void report(String scenario, List<Browser.Page> pages, Map<Browser.Page, Seen> before) {
        Map<String, String> away = new LinkedHashMap<>();
        int created = 0;
        int closed = 0;
        for (Browser.Page page : pages) {
            Number ms = (Number) page.script("return window.rendezvous.outages[0].awayMs");
            away.put(page.text("#my-name"), String.format("%.1f s", ms.doubleValue() / 1000));
            Seen now = Seen.of(page);
            created += now.created() - before.get(page).created();
            closed += now.closed() - before.get(page).closed();
        }
        String line = String.format("Restart: %s — signaling away %s; RTCPeerConnections created %d, closed %d",
                scenario, away, created, closed);
        LOG.info(line);
    }

    private static Map<Browser.Page, Seen> seen(List<Browser.Page> pages) {
        Map<Browser.Page, Seen> seen = new LinkedHashMap<>();
        pages.forEach(page -> seen.put(page, Seen.of(page)));
        return seen;
    }

    /** What a page shows of itself and its people, and how many RTCPeerConnections it has made and closed. */
    private record Seen(String id, List<String> peers, int created, int closed) {

        @SuppressWarnings("unchecked")
        static Seen of(Browser.Page page) {
            Map<String, Object> counts = (Map<String, Object>) page.script("return window.rendezvous.peerConnections");
            List<String> peers = page.findAll("#peers [data-peer]").stream().map(e -> e.getAttribute("data-peer")).sorted().toList();
            return new Seen(peerId(page), peers, ((Number) counts.get("created")).intValue(), ((Number) counts.get("closed")).intValue());
        }
    }
}
