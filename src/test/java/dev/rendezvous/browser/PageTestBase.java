package dev.rendezvous.browser;

import dev.rendezvous.it.PreviousServerGone;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages of the real WAR on Payara Micro, as tabs of one headless Chromium per test class. */
@ExtendWith({PreviousServerGone.class, ArquillianExtension.class})
@RunAsClient
@Timeout(180)
abstract class PageTestBase {

    protected static Browser browser;
    protected String room;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser("http://127.0.0.1:" + System.getProperty("it.http.port") + "/");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void freshRoom() {
        room = "page-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closePages() {
        browser.reset();
    }

    /** The page's switch for its test hooks ({@code window.rendezvous}), which the suite reads. */
    static final String DIAGNOSTICS = "&diagnostics=1";

    /** Opens the page on {@link #room} as {@code name}, with its test hooks, without waiting for anything. */
    protected Browser.Page open(String name) {
        return browser.open("?room=" + room + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + DIAGNOSTICS);
    }

    /** Opens the page and waits until the server has welcomed it. */
    protected Browser.Page join(String name) {
        Browser.Page page = open(name);
        page.await(name + " is welcomed", () -> !peerId(page).isEmpty());
        return page;
    }

    /** Waits until {@code page}'s chat channel to {@code other} is open; ms from page load to open, as the page measured it. */
    protected static double awaitChannelOpen(Browser.Page page, Browser.Page other) {
        String otherId = peerId(other);
        page.await("the chat channel to " + otherId + " is open",
                () -> "open".equals(page.text(peerRow(otherId) + " .channel")));
        Object openedAt = page.script("return window.rendezvous.channelOpenAt[arguments[0]]", otherId);
        assertTrue(openedAt instanceof Number, "the page noted when the channel opened: " + openedAt);
        return ((Number) openedAt).doubleValue();
    }

    protected static void say(Browser.Page page, String text) {
        page.find("#chat-input").sendKeys(text);
        page.find("#chat-send").click();
    }

    protected static void awaitMessage(Browser.Page page, String from, String text) {
        page.await(from + "'s message '" + text + "' is shown", () -> page.findAll("#chat-log .msg").stream()
                .anyMatch(m -> text.equals(Browser.childText(m, ".text")) && from.equals(Browser.childText(m, ".from"))));
    }

    protected static String peerId(Browser.Page page) {
        return page.text("#my-id");
    }

    protected static String peerRow(String peerId) {
        return "#peers [data-peer='" + peerId + "']";
    }
}
