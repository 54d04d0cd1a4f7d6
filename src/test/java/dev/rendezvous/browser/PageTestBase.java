package dev.rendezvous.browser;

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

/** Pages of the real WAR on Payara Micro, as tabs of one headless Chromium per test class. */
@ExtendWith(ArquillianExtension.class)
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

    /** Opens the page on {@link #room} as {@code name}, without waiting for anything. */
    protected Browser.Page open(String name) {
        return browser.open("?room=" + room + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    /** Opens the page and waits until the server has welcomed it. */
    protected Browser.Page join(String name) {
        Browser.Page page = open(name);
        page.await(name + " is welcomed", () -> !peerId(page).isEmpty());
        return page;
    }

    protected static String peerId(Browser.Page page) {
        return page.text("#my-id");
    }

    protected static String peerRow(String peerId) {
        return "#peers [data-peer='" + peerId + "']";
    }
}
