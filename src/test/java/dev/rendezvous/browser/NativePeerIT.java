package dev.rendezvous.browser;

import dev.rendezvous.it.BuiltWar;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/PEER.md proved: a native peer written from that document alone (Node.js and libdatachannel,
 * src/test/node/peer.mjs) joins a room with the page in Chromium, chats both ways and receives a
 * file from the page, whoever joins first and however it orders its signals.
 */
class NativePeerIT extends PageTestBase {

    private static final Logger LOG = Logger.getLogger(NativePeerIT.class.getName());
    private static final String NATIVE = "Robot";
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();

    /** Who joins first, and how the native peer behaves (its command-line flags). */
    enum Scenario {
        NATIVE_FIRST(true),
        PAGE_FIRST(false),
        NATIVE_FIRST_CANDIDATES_BEFORE_DESCRIPTION(true, "--candidates-first"),
        PAGE_FIRST_CANDIDATES_BEFORE_DESCRIPTION(false, "--candidates-first"),
        NATIVE_FIRST_IN_BAND_CHANNELS(true, "--in-band"),
        PAGE_FIRST_IN_BAND_CHANNELS(false, "--in-band");

        final boolean nativeFirst;
        final String[] flags;

        Scenario(boolean nativeFirst, String... flags) {
            this.nativeFirst = nativeFirst;
            this.flags = flags;
        }
    }

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.get();
    }

    @BeforeAll
    static void nodeModulesAreInstalled() {
        NativePeer.requireModules();
    }

    @AfterAll
    static void reportTimings() {
        LOG.info(() -> "Native peer and page, from the second one's start:\n  " + String.join("\n  ", TIMINGS));
    }

    private NativePeer startNative(String name, String... flags) throws Exception {
        return NativePeer.start("ws://127.0.0.1:" + System.getProperty("it.http.port") + "/", room, name,
                Browser.output().resolve("native").resolve(room), flags);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource
    void aNativePeerChatsWithThePageBothWaysAndReceivesAFileFromIt(Scenario scenario) throws Exception {
        byte[] content = new byte[300_001];
        new Random(7).nextBytes(content);
        Path file = Browser.output().resolve("for-the-native-peer.bin");
        Files.write(file, content);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        Browser.Page first = scenario.nativeFirst ? null : join("Ann");
        // The timings run from the start of whoever joins second.
        long second = System.nanoTime();
        try (NativePeer robot = startNative(NATIVE, scenario.flags)) {
            String robotId = robot.await("welcome").getString("peer");
            if (scenario.nativeFirst) {
                second = System.nanoTime();
            }
            Browser.Page page = scenario.nativeFirst ? join("Ann") : first;
            String annId = peerId(page);

            robot.await("channel-open", e -> annId.equals(e.getString("peer")) && "chat".equals(e.getString("label")));
            page.await("the page's chat with the native peer is open",
                    () -> "open".equals(page.text(peerRow(robotId) + " .channel")));
            long open = System.nanoTime();

            say(page, "Hello " + NATIVE);
            robot.await("chat", e -> annId.equals(e.getString("peer")) && ("Hello " + NATIVE).equals(e.getString("text")));
            robot.chat("Hello Ann, " + NATIVE + " here");
            awaitMessage(page, NATIVE, "Hello Ann, " + NATIVE + " here");
            long chatted = System.nanoTime();

            page.find("#file-input").sendKeys(file.toAbsolutePath().toString());
            JsonObject received = robot.await("file", e -> annId.equals(e.getString("peer")));
            assertEquals("for-the-native-peer.bin", received.getString("name"));
            assertEquals(content.length, received.getInt("size"));
            assertEquals(sha256, received.getString("sha256"), "the bytes the native peer got hash to what was sent");
            assertEquals("verified", received.getString("result"));
            page.await("the page shows the native peer's verdict",
                    () -> "verified".equals(page.text("#transfers [data-direction='out'] .result")));
            long verified = System.nanoTime();

            assertEquals(List.of(), page.script("return window.rendezvous.failures"), "the page reported no failure");
            assertEquals(List.of(), robot.seen("candidate-failed"), "every candidate of the page applied");
            assertEquals(List.of(), robot.seen("unexpected-channel"), "the page opened no channel in-band");
            TIMINGS.add(String.format("%-44s channels open %5d ms, chat both ways %5d ms, 300 kB file verified %5d ms (%d chunks)",
                    scenario, millis(second, open), millis(second, chatted), millis(second, verified), received.getInt("chunks")));
        }
    }

    @Test
    void aNewcomerThatNeverOffersIsOfferedToByThePageAfterTenSeconds() throws Exception {
        Browser.Page ann = join("Ann");
        String annId = peerId(ann);
        try (NativePeer robot = startNative(NATIVE, "--never-offer")) {
            String robotId = robot.await("welcome").getString("peer");
            long welcomed = System.nanoTime();
            robot.await("offer-received", e -> annId.equals(e.getString("peer")));
            Duration waited = Duration.ofNanos(System.nanoTime() - welcomed);
            // The page's 10 s start when it hears peer-joined, a moment before the welcome reaches the robot.
            assertTrue(waited.toMillis() >= 9_500 && waited.toMillis() < 20_000, "the page offered after " + waited.toMillis() + " ms");
            ann.await("the page's chat with the native peer is open",
                    () -> "open".equals(ann.text(peerRow(robotId) + " .channel")));
            say(ann, "You never offered");
            robot.await("chat", e -> "You never offered".equals(e.getString("text")));
            robot.chat("So you did");
            awaitMessage(ann, NATIVE, "So you did");
            TIMINGS.add(String.format("%-44s the page's offer came %5d ms after the native peer's welcome",
                    "NATIVE_NEVER_OFFERS", waited.toMillis()));
        }
    }

    @Test
    void aPageThatTurnsItsCameraOnOffersAgainAndChatGoesOn() throws Exception {
        Browser.Page ann = join("Ann");
        String annId = peerId(ann);
        try (NativePeer robot = startNative(NATIVE)) {
            String robotId = robot.await("welcome").getString("peer");
            ann.await("the page's chat with the native peer is open",
                    () -> "open".equals(ann.text(peerRow(robotId) + " .channel")));
            robot.await("answer-received", e -> annId.equals(e.getString("peer")));

            // The native peer made the first offer; the camera's m-line is the page's to offer.
            ann.find("#camera").click();
            robot.await("offer-received", e -> annId.equals(e.getString("peer")));
            robot.await("answer-sent", e -> annId.equals(e.getString("peer")));
            say(ann, "Can you see me?");
            robot.await("chat", e -> "Can you see me?".equals(e.getString("text")));
            robot.chat("No camera here, but I read you");
            awaitMessage(ann, NATIVE, "No camera here, but I read you");
            assertEquals("connected", ann.text(peerRow(robotId) + " .state"));
            assertEquals(List.of(), ann.script("return window.rendezvous.failures"), "the page reported no failure");
        }
    }

    private static long millis(long from, long to) {
        return Duration.ofNanos(to - from).toMillis();
    }
}
