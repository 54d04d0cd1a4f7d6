package dev.rendezvous.browser;

import dev.rendezvous.testkit.MicroProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

import static dev.rendezvous.browser.PageTestBase.DIAGNOSTICS;
import static dev.rendezvous.browser.PageTestBase.awaitMessage;
import static dev.rendezvous.browser.PageTestBase.peerId;
import static dev.rendezvous.browser.PageTestBase.peerRow;
import static dev.rendezvous.browser.PageTestBase.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page in Firefox ESR (WebDriver BiDi through puppeteer-core) with the page in Chromium: they
 * chat over a DataChannel between the two browsers' WebRTC stacks, and keep that connection while
 * a Payara Micro of the test's own is stopped and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class FirefoxBrowserIT {

    private static final int PORT = Integer.getInteger("it.firefox.port", 18096);
    private static final String BASE = "http://127.0.0.1:" + PORT + "/";
    private static final Map<String, String> SETTINGS = Map.of("SIGNALING_RESUME_SECRET", "firefox-browser-secret");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** From the server being ready to both pages being back: the page's backoff reaches 15 s, ±30 %. */
    private static final Duration BACK = Duration.ofSeconds(45);
    private static final Logger LOG = Logger.getLogger(FirefoxBrowserIT.class.getName());

    private static MicroProcess micro;
    private static Browser chromium;
    private static Firefox firefox;
    private final List<Firefox.Tab> tabs = new ArrayList<>();
    private String room;

    @BeforeAll
    static void start() throws Exception {
        micro = MicroProcess.start(PORT, SETTINGS);
        chromium = new Browser(BASE);
        firefox = Firefox.start(Browser.output().resolve("firefox"));
    }

    @AfterAll
    static void stop() {
        if (firefox != null) {
            firefox.close();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (micro != null) {
            micro.close();
        }
    }

    @BeforeEach
    void freshRoom() {
        room = "firefox-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closePages() {
        tabs.forEach(Firefox.Tab::close);
        chromium.reset();
    }

    @Test
    @Order(1)
    void aFirefoxPageAndAChromiumPageChatBothWays() {
        Firefox.Tab fox = foxJoins();
        Browser.Page ann = annJoins();
        connected(fox, ann);

        fox.say("Hello from Firefox");
        awaitMessage(ann, "Fox", "Hello from Firefox");
        say(ann, "Hello from Chromium");
        fox.await("Ann's message is shown", WAIT, fox.shows("Ann", "Hello from Chromium"));
    }

    @Test
    @Order(2)
    void aFirefoxPageKeepsItsConnectionToAChromiumPageThroughAServerRestart() throws Exception {
        Firefox.Tab fox = foxJoins();
        Browser.Page ann = annJoins();
        connected(fox, ann);
        String foxId = fox.string("window.rendezvous.peerId");
        String annId = peerId(ann);
        JsonObject foxCounts = fox.eval("return window.rendezvous.peerConnections;").asJsonObject();
        Object annCounts = ann.script("return window.rendezvous.peerConnections");

        assertTrue(micro.stop(Duration.ofSeconds(60)), "Payara Micro stops within a minute");
        fox.await("Firefox sees the server gone", WAIT, "window.rendezvous.signalingState !== 'online'");
        fox.say("Firefox, server down");
        awaitMessage(ann, "Fox", "Firefox, server down");
        say(ann, "Chromium, server down");
        fox.await("Ann's message is shown", WAIT, fox.shows("Ann", "Chromium, server down"));

        micro = MicroProcess.start(PORT, SETTINGS);
        fox.await("Firefox is back", BACK, "window.rendezvous.outages.length === 1");
        ann.await("Chromium is back", BACK, () -> ((Number) ann.script("return window.rendezvous.outages.length")).intValue() == 1);
        JsonObject foxOutage = fox.eval("return window.rendezvous.outages[0];").asJsonObject();
        assertTrue(foxOutage.getBoolean("resumed") && foxOutage.getBoolean("lost"), "Firefox came back as itself after a restart");
        assertEquals(foxId, fox.string("window.rendezvous.peerId"));
        assertEquals(annId, peerId(ann));
        assertEquals(List.of(annId), fox.peers());
        assertEquals(foxCounts, fox.eval("return window.rendezvous.peerConnections;").asJsonObject(), "Firefox made or closed no connection");
        assertEquals(annCounts, ann.script("return window.rendezvous.peerConnections"), "Chromium made or closed no connection");

        fox.say("Firefox, server back");
        awaitMessage(ann, "Fox", "Firefox, server back");
        say(ann, "Chromium, server back");
        fox.await("Ann's message is shown", WAIT, fox.shows("Ann", "Chromium, server back"));
        long annAwayMs = ((Number) ann.script("return window.rendezvous.outages[0].awayMs")).longValue();
        LOG.info(String.format("Restart: SIGTERM with a Firefox page and a Chromium page — signaling away {Fox=%.1f s, Ann=%.1f s}; "
                + "RTCPeerConnections created 0, closed 0 (before and after: Fox %s, Ann %s)",
                foxOutage.getJsonNumber("awayMs").longValue() / 1000.0, annAwayMs / 1000.0, foxCounts, annCounts));
    }

    private Firefox.Tab foxJoins() {
        Firefox.Tab fox = firefox.open(BASE + "?room=" + room + "&name=Fox" + DIAGNOSTICS);
        tabs.add(fox);
        fox.await("Fox is welcomed", WAIT, "window.rendezvous?.peerId");
        return fox;
    }

    private Browser.Page annJoins() {
        Browser.Page ann = chromium.open("?room=" + room + "&name=Ann" + DIAGNOSTICS);
        ann.await("Ann is welcomed", () -> !peerId(ann).isEmpty());
        return ann;
    }

    private static void connected(Firefox.Tab fox, Browser.Page ann) {
        String foxId = fox.string("window.rendezvous.peerId");
        ann.await("the chat channel to Firefox is open", () -> "open".equals(ann.text(peerRow(foxId) + " .channel")));
        fox.await("the chat channel to Chromium is open", WAIT,
                "document.querySelector(\"" + peerRow(peerId(ann)).replace("'", "\\'") + " .channel\")?.textContent === 'open'");
    }
}
