package dev.rendezvous.browser;

import dev.rendezvous.testkit.BuiltWar;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay-only pages ({@code &relay=1}) through a real coturn that checks the credentials the server
 * minted from the shared secret: they connect with the right secret and never with a wrong one.
 */
@Timeout(150)
class TurnRelayBrowserIT extends PageTestBase {

    private static final int TURN_PORT = Integer.getInteger("it.browser.turn.port", 3479);
    private static final String SECRET = "rendezvous-turn-test-secret";
    private static final String TURN_URL = "turn:127.0.0.1:" + TURN_PORT + "?transport=udp";
    private static final long TTL_SECONDS = 3600;
    private static final Duration NEVER_WITHIN = Duration.ofSeconds(15);
    private static final Logger LOG = Logger.getLogger(TurnRelayBrowserIT.class.getName());

    private Coturn coturn;
    private String testName;

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.turn.urls=" + TURN_URL, "signaling.turn.secret=" + SECRET,
                "signaling.turn.ttl=" + TTL_SECONDS);
    }

    @BeforeEach
    void name(TestInfo test) {
        testName = test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void stopCoturn() {
        if (coturn != null) {
            coturn.close();
            coturn = null;
        }
    }

    private void startCoturn(String secret) throws Exception {
        coturn = Coturn.start(TURN_PORT, secret, Browser.output().resolve("coturn").resolve(testName));
    }

    private Browser.Page joinRelayOnly(String name) {
        Browser.Page page = browser.open("?room=" + room + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&relay=1" + DIAGNOSTICS);
        page.await(name + " is welcomed", () -> !peerId(page).isEmpty());
        assertEquals(peerId(page), page.script("return window.rendezvous.peerId"));
        return page;
    }

    /**
     * No page hook exposes the ICE configuration from the welcome, so record what the page hands
     * to RTCPeerConnection. Installed on the first member before anyone else joins: its
     * connection to a newcomer is made only when that newcomer's peer-joined arrives.
     */
    private static void recordPeerConnectionConfigs(Browser.Page page) {
        page.script("""
                const Original = window.RTCPeerConnection;
                window.__configs = [];
                window.RTCPeerConnection = class extends Original {
                    constructor(configuration) {
                        window.__configs.push(JSON.parse(JSON.stringify(configuration ?? {})));
                        super(configuration);
                    }
                };
                """);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> recordedConfigs(Browser.Page page) {
        return (List<Map<String, Object>>) page.script("return window.__configs");
    }

    private static String hmacSha1Base64(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code <expiry>:<peer id>} as coturn writes it between angle brackets in its log. */
    private static String turnUser(String peerId) {
        return "\\d+:" + Pattern.quote(peerId);
    }

    private void awaitCoturnLog(String what, String regex) {
        Pattern pattern = Pattern.compile(regex);
        try {
            Awaitility.await(what).atMost(Browser.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> pattern.matcher(coturn.log()).find());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("coturn never logged that " + what + " (/" + regex + "/) in " + coturn.logFile(), e);
        }
    }

    /** Checks the condition throughout {@code period}, failing with {@code what} the first time it is false. */
    private static void holdsFor(Duration period, String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(condition.get(), what);
            Browser.pause(200);
        }
    }



    @Test
    void twoRelayOnlyPagesOpenADataChannelThroughCoturnWithTheServersCredentials() throws Exception {
        startCoturn(SECRET);
        Browser.Page ann = joinRelayOnly("Ann");
        recordPeerConnectionConfigs(ann);
        long bobJoined = System.nanoTime();
        Browser.Page bob = joinRelayOnly("Bob");
        String annId = peerId(ann);
        String bobId = peerId(bob);

        ann.await("the chat channel to Bob is open", () -> "open".equals(ann.text(peerRow(bobId) + " .channel")));
        bob.await("the chat channel to Ann is open", () -> "open".equals(bob.text(peerRow(annId) + " .channel")));
        ann.await("the route to Bob is relayed", () -> "relayed".equals(ann.text(peerRow(bobId) + " .route")));
        bob.await("the route to Ann is relayed", () -> "relayed".equals(bob.text(peerRow(annId) + " .route")));
        LOG.info(() -> String.format("Relay only through coturn: from Bob opening the page to both channels open and relayed: %d ms",
                Duration.ofNanos(System.nanoTime() - bobJoined).toMillis()));
        assertEquals("connected", ann.text(peerRow(bobId) + " .state"));
        assertEquals("connected", bob.text(peerRow(annId) + " .state"));

        String text = "Through the relay " + room;
        ann.find("#chat-input").sendKeys(text);
        ann.find("#chat-send").click();
        bob.await("Ann's message arrives", () -> bob.findAll("#chat-log .msg").stream()
                .anyMatch(m -> text.equals(Browser.childText(m, ".text")) && "Ann".equals(Browser.childText(m, ".from"))));

        // What Ann's page gave RTCPeerConnection: relay only, and only the server's TURN entry.
        List<Map<String, Object>> configs = recordedConfigs(ann);
        assertEquals(1, configs.size(), "one connection, to Bob: " + configs);
        Map<String, Object> config = configs.get(0);
        assertEquals("relay", config.get("iceTransportPolicy"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> servers = (List<Map<String, Object>>) config.get("iceServers");
        assertEquals(1, servers.size(), "only the server's ICE servers: " + servers);
        Map<String, Object> turn = servers.get(0);
        assertEquals(List.of(TURN_URL), turn.get("urls"));
        String username = (String) turn.get("username");
        assertTrue(Pattern.matches("\\d+:" + Pattern.quote(annId), username), "<expiry>:<Ann's peer id>, was " + username);
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        long now = Instant.now().getEpochSecond();
        assertTrue(expiry > now + TTL_SECONDS - 300 && expiry <= now + TTL_SECONDS, "expires in about an hour: " + expiry);
        assertEquals(hmacSha1Base64(SECRET, username), turn.get("credential"), "base64(HMAC-SHA1(secret, username))");

        // And coturn itself let both peers in under their own ids and relayed between them.
        for (String id : List.of(annId, bobId)) {
            awaitCoturnLog(id + " allocated a relay", "user <" + turnUser(id) + ">: incoming packet ALLOCATE processed, success");
            awaitCoturnLog(id + " was allowed to reach the other relay",
                    "user <" + turnUser(id) + ">: incoming packet (CREATE_PERMISSION|CHANNEL_BIND) processed, success");
        }
    }

    @Test
    void withAWrongSecretTheRelayNeverConnects() throws Exception {
        startCoturn("not-the-" + SECRET);
        Browser.Page ann = joinRelayOnly("Ann");
        Browser.Page bob = joinRelayOnly("Bob");
        String annId = peerId(ann);
        String bobId = peerId(bob);
        // Not failing for a trivial reason: both are in the room, see each other, and each tried
        // coturn with the credentials the server gave it, which coturn refused.
        ann.await("Ann lists Bob", () -> !ann.findAll(peerRow(bobId)).isEmpty());
        bob.await("Bob lists Ann", () -> !bob.findAll(peerRow(annId)).isEmpty());
        for (String id : List.of(annId, bobId)) {
            awaitCoturnLog(id + " was refused", "user <" + turnUser(id) + ">: incoming packet \\w+ processed, error 401");
        }

        holdsFor(NEVER_WITHIN, "no chat channel opens", () -> !"open".equals(ann.text(peerRow(bobId) + " .channel"))
                && !"open".equals(bob.text(peerRow(annId) + " .channel")));
        String annState = ann.text(peerRow(bobId) + " .state");
        String bobState = bob.text(peerRow(annId) + " .state");
        LOG.info(() -> "Wrong TURN secret: after " + NEVER_WITHIN.toSeconds() + " s Ann's connection to Bob is " + annState
                + ", Bob's to Ann is " + bobState);
        assertNotEquals("connected", annState);
        assertNotEquals("connected", bobState);
        assertNotEquals("relayed", ann.text(peerRow(bobId) + " .route"));
        assertNotEquals("relayed", bob.text(peerRow(annId) + " .route"));
        assertFalse(Pattern.compile("processed, success").matcher(coturn.log()).find(),
                "coturn accepted nothing from anyone: see " + coturn.logFile());
    }
}
