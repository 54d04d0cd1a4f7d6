package dev.rendezvous.browser;

import dev.rendezvous.browser.KeptCalls.Seen;
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
import static dev.rendezvous.browser.KeptCalls.assertKept;
import static dev.rendezvous.browser.KeptCalls.bytesIn;
import static dev.rendezvous.browser.KeptCalls.chatAround;
import static dev.rendezvous.browser.KeptCalls.downloadedSha256;
import static dev.rendezvous.browser.KeptCalls.report;
import static dev.rendezvous.browser.KeptCalls.seen;
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
            KeptCalls.watch(page);
        }
        return pages;
    }

    private Browser.Page join(String name) {
        Browser.Page page = browser.open("?room=" + room + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + DIAGNOSTICS);
        page.await(name + " is welcomed", () -> !peerId(page).isEmpty());
        return page;
    }

    /** Stops (SIGTERM) or kills the server and waits until every page knows it is gone. */
    private static void down(boolean kill, List<Browser.Page> pages) throws InterruptedException {
        if (kill) {
            micro.kill();
        } else {
            assertTrue(micro.stop(Duration.ofSeconds(60)), "Payara Micro stops within a minute");
        }
        for (Browser.Page page : pages) {
            page.await("the page sees the server gone", () -> !KeptCalls.online(page));
        }
    }

    /** Starts the server again on the same port and waits until every page is back. */
    private static void up(List<Browser.Page> pages) throws Exception {
        micro = MicroProcess.start(PORT, SETTINGS);
        for (Browser.Page page : pages) {
            page.await("the page is back", BACK, () -> KeptCalls.outages(page) == 1);
            assertEquals(Boolean.TRUE, page.script("return window.rendezvous.outages[0].resumed"), "it came back as itself");
            assertEquals(Boolean.TRUE, page.script("return window.rendezvous.outages[0].lost"), "to a server that had restarted");
        }
    }
}
