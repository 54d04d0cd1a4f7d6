package dev.rendezvous.browser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static dev.rendezvous.browser.PageTestBase.awaitMessage;
import static dev.rendezvous.browser.PageTestBase.peerId;
import static dev.rendezvous.browser.PageTestBase.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the restart suites check of pages whose signaling server went away and came back: that they
 * kept their ids, their people and every RTCPeerConnection, that chat goes on, and how long each
 * was away.
 */
final class KeptCalls {

    private static final Logger LOG = Logger.getLogger(KeptCalls.class.getName());

    private KeptCalls() {
    }

    /** Notes every change to the people list and to the status line's state from now on. */
    static void watch(Browser.Page page) {
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

    /** How many times the page has been away from signaling and come back. */
    static int outages(Browser.Page page) {
        return ((Number) page.script("return window.rendezvous.outages.length")).intValue();
    }

    /** Whether the page is connected to signaling now. */
    static boolean online(Browser.Page page) {
        return "online".equals(page.script("return window.rendezvous.signalingState"));
    }

    /** Every page says something; every other page shows it. */
    static void chatAround(List<Browser.Page> pages, String when) {
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

    /** Bytes of the incoming file transfer the page has received so far. */
    static long bytesIn(Browser.Page page) {
        Object value = page.script("const p = document.querySelector(\"#transfers [data-direction='in'] progress\"); return p ? p.value : 0;");
        return ((Number) value).longValue();
    }

    /** The SHA-256 of the file the page offers for download in {@code transfer}, as the page hashes it. */
    static String downloadedSha256(Browser.Page page, String transfer) {
        return (String) page.asyncScript("""
                const done = arguments[arguments.length - 1];
                const link = document.querySelector(arguments[0] + ' a[download]');
                fetch(link.href).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
                    .then(d => done([...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('')));
                """, transfer);
    }

    /**
     * Same id, same people, no RTCPeerConnection made or closed, the people list never changed, and
     * a page that was away said reconnecting, then back.
     */
    static void assertKept(List<Browser.Page> pages, Map<Browser.Page, Seen> before) {
        for (Browser.Page page : pages) {
            Seen then = before.get(page);
            Seen now = Seen.of(page);
            assertEquals(then.id(), now.id(), "the same id");
            assertEquals(then.id(), page.script("return window.rendezvous.peerId"));
            assertEquals(then.peers(), now.peers(), "the same people");
            assertEquals(List.of(), page.script("return window.watched.peers"), "the people list never changed");
            assertEquals(then.created(), now.created(), "no RTCPeerConnection made");
            assertEquals(then.closed(), now.closed(), "no RTCPeerConnection closed");
            if (outages(page) > then.outages()) {
                @SuppressWarnings("unchecked")
                List<String> states = (List<String>) page.script("return window.watched.status");
                assertTrue(states.contains("reconnecting") && states.lastIndexOf("back") > states.indexOf("reconnecting"),
                        "the status line said reconnecting, then back: " + states);
            }
        }
    }

    /** Logs, per page, how long it was away each time, and the RTCPeerConnections made and closed since {@code before}. */
    static void report(String scenario, List<Browser.Page> pages, Map<Browser.Page, Seen> before) {
        Map<String, String> away = new LinkedHashMap<>();
        int created = 0;
        int closed = 0;
        for (Browser.Page page : pages) {
            @SuppressWarnings("unchecked")
            List<Number> ms = (List<Number>) page.script("return window.rendezvous.outages.map(o => o.awayMs)");
            List<Number> these = ms.subList(before.get(page).outages(), ms.size());
            away.put(page.text("#my-name"), these.isEmpty() ? "never"
                    : String.join(" + ", these.stream().map(m -> String.format("%.1f s", m.doubleValue() / 1000)).toList()));
            Seen now = Seen.of(page);
            created += now.created() - before.get(page).created();
            closed += now.closed() - before.get(page).closed();
        }
        LOG.info(String.format("Restart: %s — signaling away %s; RTCPeerConnections created %d, closed %d",
                scenario, away, created, closed));
    }

    static Map<Browser.Page, Seen> seen(List<Browser.Page> pages) {
        Map<Browser.Page, Seen> seen = new LinkedHashMap<>();
        pages.forEach(page -> seen.put(page, Seen.of(page)));
        return seen;
    }

    /** What a page shows of itself and its people, how many RTCPeerConnections it has made and closed, and its outages so far. */
    record Seen(String id, List<String> peers, int created, int closed, int outages) {

        @SuppressWarnings("unchecked")
        static Seen of(Browser.Page page) {
            Map<String, Object> counts = (Map<String, Object>) page.script("return window.rendezvous.peerConnections");
            List<String> peers = page.findAll("#peers [data-peer]").stream().map(e -> e.getAttribute("data-peer")).sorted().toList();
            return new Seen(peerId(page), peers, ((Number) counts.get("created")).intValue(),
                    ((Number) counts.get("closed")).intValue(), KeptCalls.outages(page));
        }
    }
}
