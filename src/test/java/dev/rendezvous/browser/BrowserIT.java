package dev.rendezvous.browser;

import dev.rendezvous.testkit.BuiltWar;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page as people use it: real Chromium peers, real DataChannels and media, through the real server. */
class BrowserIT extends PageTestBase {

    private static final Logger LOG = Logger.getLogger(BrowserIT.class.getName());
    /** Page load to chat DataChannel open, in ms, for every connection any test opened. */
    private static final List<Double> CHANNEL_OPEN_MS = new CopyOnWriteArrayList<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.get();
    }

    @AfterAll
    static void reportChannelOpenTimes() {
        double[] sorted = CHANNEL_OPEN_MS.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length > 0) {
            LOG.info(String.format("Page load to DataChannel open: median %.0f ms, min %.0f ms, max %.0f ms over %d connections",
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length));
        }
    }

    /** Waits until the channel is open, and keeps the time it took for the summary. */
    private static void awaitOpenAndNote(Browser.Page page, Browser.Page other) {
        CHANNEL_OPEN_MS.add(awaitChannelOpen(page, other));
    }

    private record Pair(Browser.Page ann, Browser.Page bob) {
    }

    /** Ann and Bob joined, with the chat channel open both ways. */
    private Pair connectedPair() {
        Browser.Page ann = join("Ann");
        Browser.Page bob = join("Bob");
        awaitOpenAndNote(ann, bob);
        awaitOpenAndNote(bob, ann);
        return new Pair(ann, bob);
    }


    @Test
    void twoPagesOpenADataChannelAndChatBothWays() throws Exception {
        Pair pair = connectedPair();
        Browser.Page ann = pair.ann();
        Browser.Page bob = pair.bob();

        say(ann, "Hello from Ann");
        awaitMessage(bob, "Ann", "Hello from Ann");
        say(bob, "Hi Ann, Bob here");
        awaitMessage(ann, "Bob", "Hi Ann, Bob here");
        awaitMessage(ann, "Ann", "Hello from Ann");
        assertTrue(ann.findAll("#chat-log .msg .time").stream().allMatch(t -> !t.getText().isBlank()), "messages show a time");
        String bobRow = peerRow(peerId(bob));
        ann.await("Bob's round-trip time and route are shown", () -> ann.text(bobRow + " .rtt").endsWith("ms")
                && "direct".equals(ann.text(bobRow + " .route")));

        Files.write(Browser.output().resolve("two-peers-chatting.png"), browser.screenshot(ann));
    }

    @Test
    void onlyAPageAskedForDiagnosticsHasTestHooks() {
        Browser.Page ann = join("Ann");
        assertEquals(peerId(ann), ann.script("return window.rendezvous.peerId"));
        Browser.Page bob = browser.open("?room=" + room + "&name=Bob");
        bob.await("Bob is welcomed", () -> !peerId(bob).isEmpty());
        assertEquals("undefined", bob.script("return typeof window.rendezvous"));
        awaitChannelOpen(ann, bob);
    }

    @Test
    void theSignalingClientRunsWithoutADom() {
        // A name outside ASCII, as the page's URLSearchParams escapes it, reaches the others whole.
        Browser.Page ann = join("Zoë Ann");
        // A module worker has WebSocket and EventTarget but no document or window.
        Object welcomed = ann.asyncScript("""
                const done = arguments[arguments.length - 1];
                const source = `
                    const { SignalingClient } = await import('${location.origin}/js/signaling.js');
                    const client = new SignalingClient('${location.origin.replace('http', 'ws')}/');
                    const states = [];
                    client.addEventListener('state', (e) => states.push(e.detail.state));
                    client.addEventListener('welcome', (e) => {
                        postMessage({ peers: e.detail.peers.map((p) => p.name), states, dom: typeof document });
                        client.leave();
                    });
                    client.connect('${arguments[0]}', 'Worker');`;
                const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
                        { type: 'module' });
                worker.onmessage = (e) => done(JSON.stringify(e.data));
                worker.onerror = (e) => done('worker failed: ' + e.message);
                """, room);
        assertEquals("{\"peers\":[\"Zoë Ann\"],\"states\":[\"connecting\",\"online\"],\"dom\":\"undefined\"}", welcomed);
        ann.await("Ann sees the worker leave again", () -> ann.findAll("#peers [data-peer]").isEmpty());
    }

    @Test
    void threePagesFormAFullMeshAndOneMessageReachesBothOthers() {
        Browser.Page ann = join("Ann");
        Browser.Page bob = join("Bob");
        Browser.Page cat = join("Cat");
        List<Browser.Page> pages = List.of(ann, bob, cat);
        for (Browser.Page page : pages) {
            for (Browser.Page other : pages) {
                if (other != page) {
                    awaitOpenAndNote(page, other);
                    page.await("the connection to " + peerId(other) + " is connected",
                            () -> "connected".equals(page.text(peerRow(peerId(other)) + " .state")));
                }
            }
            assertEquals(2, page.findAll("#peers [data-peer]").size());
        }
        say(cat, "Hello mesh");
        awaitMessage(ann, "Cat", "Hello mesh");
        awaitMessage(bob, "Cat", "Hello mesh");
    }

    @Test
    void aTwoMebibyteFileArrivesWithTheSameSha256AndAFinishedProgressBar() throws Exception {
        Pair pair = connectedPair();
        Browser.Page ann = pair.ann();
        Browser.Page bob = pair.bob();

        byte[] content = new byte[2 * 1024 * 1024];
        new Random(42).nextBytes(content);
        Path file = Browser.output().resolve("two-mebibytes.bin");
        Files.write(file, content);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        ann.find("#file-input").sendKeys(file.toAbsolutePath().toString());
        String incoming = "#transfers [data-direction='in']";
        bob.await("the file is verified", () -> "verified".equals(bob.text(incoming + " .result")));
        WebElement progress = bob.find(incoming + " progress");
        assertEquals(progress.getAttribute("max"), progress.getAttribute("value"), "the progress bar is full");
        assertEquals("two-mebibytes.bin", bob.find(incoming + " a[download]").getAttribute("download"));

        Object received = bob.asyncScript("""
                const done = arguments[arguments.length - 1];
                const link = document.querySelector(arguments[0] + ' a[download]');
                fetch(link.href).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
                    .then(d => done([...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('')));
                """, incoming);
        assertEquals(sha256, received, "the downloaded bytes hash to what was sent");
        String outgoing = "#transfers [data-direction='out']";
        ann.await("the sender's progress bar is full", () -> {
            WebElement sent = ann.find(outgoing + " progress");
            return sent.getAttribute("max").equals(sent.getAttribute("value"));
        });
    }

    @Test
    void aFakeCameraCallPlaysAtTheOtherPeer() {
        Pair pair = connectedPair();
        Browser.Page ann = pair.ann();
        Browser.Page bob = pair.bob();

        ann.find("#camera").click();
        assertEquals("true", ann.find("#camera").getAttribute("aria-pressed"));
        String tile = "#videos video[data-peer='" + peerId(ann) + "']";
        String playing = "const v = document.querySelector(arguments[0]);"
                + "return !!v && v.videoWidth > 0 && !v.paused && v.readyState >= 2 ? v.currentTime : -1;";
        bob.await("Ann's video plays at Bob", () -> ((Number) bob.script(playing, tile)).doubleValue() > 0);
        double first = ((Number) bob.script(playing, tile)).doubleValue();
        bob.await("Ann's video keeps playing", () -> ((Number) bob.script(playing, tile)).doubleValue() > first);
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) bob.script(
                "const v = document.querySelector(arguments[0]); return {w: v.videoWidth, h: v.videoHeight};", tile);
        assertTrue(((Number) size.get("w")).intValue() > 0 && ((Number) size.get("h")).intValue() > 0, size.toString());
    }

    @Test
    void aPageWhoseSignalingDropsResumesWithItsIdAndNobodySeesItLeave() {
        Pair pair = connectedPair();
        Browser.Page ann = pair.ann();
        Browser.Page bob = pair.bob();
        String annId = peerId(ann);
        bob.script("window.seenPeers = []; new MutationObserver(() => window.seenPeers.push("
                + "[...document.querySelectorAll('#peers [data-peer]')].map(e => e.dataset.peer).join())"
                + ").observe(document.querySelector('#peers'), {childList: true});");

        ann.script("window.rendezvous.dropSignaling()");
        ann.await("Ann resumed", () -> ((Number) ann.script("return window.rendezvous.resumes")).intValue() == 1);
        assertEquals(annId, peerId(ann), "the same id after the resume");
        say(ann, "Still here");
        awaitMessage(bob, "Ann", "Still here");
        say(bob, "Welcome back");
        awaitMessage(ann, "Bob", "Welcome back");
        assertEquals(List.of(), bob.script("return window.seenPeers"), "Bob's list of people never changed");
        assertEquals(annId, bob.find("#peers [data-peer]").getAttribute("data-peer"));
    }

    @Test
    void aReloadedPageLeavesComesBackAndConnectsAgain() {
        Pair pair = connectedPair();
        Browser.Page ann = pair.ann();
        Browser.Page bob = pair.bob();
        String before = peerId(ann);

        ann.reload();
        ann.await("Ann is welcomed again", () -> !peerId(ann).isEmpty() && !peerId(ann).equals(before));
        String after = peerId(ann);
        assertNotEquals(before, after);
        bob.await("Bob no longer lists Ann's old connection", () -> bob.findAll(peerRow(before)).isEmpty());
        awaitOpenAndNote(bob, ann);
        awaitOpenAndNote(ann, bob);
        say(ann, "Back again");
        awaitMessage(bob, "Ann", "Back again");
    }
}
