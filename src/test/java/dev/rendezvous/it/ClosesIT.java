package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Closes the server decides reach a client that is still sending: its errors, then its close frame,
 * then the end of TCP once the client answered (a server that ends TCP with the client's frames
 * unread makes the kernel reset it, and the client loses what was on its way, close frame included).
 */
class ClosesIT extends SignalingTestBase {

    private static final int MAX_BYTES = 4096;
    private static final int TRIES = 50;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Well under the server's linger timeout: the end follows the client's close frame, not the timeout. */
    private static final Duration END = Duration.ofSeconds(2);
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool();
    private static final byte[] PING = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.rate.per-second=10",
                "signaling.rate.burst=20",
                "signaling.message.max-bytes=" + MAX_BYTES);
    }

    @AfterAll
    static void stopWriters() {
        WRITERS.shutdownNow();
    }

    /** What one client saw: the messages before the close, the close code (-1: none), how TCP ended. */
    private record Outcome(List<JsonObject> messages, int code, String end) {

        long errors(String code) {
            return messages.stream().filter(m -> code.equals(m.getString("code", null))).count();
        }
    }

    /** Writes frames, one {@code sender} call after another, until the client has read the server's close. */
    private interface Sender {
        void send(RawClient client, int n) throws IOException;
    }

    /**
     * Opens {@code path}, reads the welcome (when {@code joined}), then sends without pause while
     * reading until the server's close frame; answers it as RFC 6455 asks, and sees how TCP ends.
     */
    private Outcome closedWhileSending(String path, boolean joined, Sender sender) throws Exception {
        try (RawClient client = RawClient.open(path, null, null, 0)) {
            assertEquals(101, client.status());
            if (joined) {
                assertEquals("welcome", client.next(WAIT).getString("type"));
            }
            AtomicBoolean stop = new AtomicBoolean();
            Future<?> writer = WRITERS.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    sender.send(client, n);
                }
                return null;
            });
            List<JsonObject> messages = new ArrayList<>();
            int code;
            try {
                code = client.awaitClose(WAIT, messages);
            } finally {
                stop.set(true);
            }
            try {
                writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException writeFailed) {
                // What a WebSocket library reports as 1006: the socket failed under a send.
                return new Outcome(messages, code, "failed under the client's sending (" + writeFailed.getCause() + ")");
            } catch (TimeoutException blocked) {
                return new Outcome(messages, code, "not read by the server: the writer is stuck");
            }
            if (code < 0) {
                return new Outcome(messages, code, "ended without a close frame");
            }
            try {
                client.sendClose(code);
            } catch (IOException gone) {
                return new Outcome(messages, code, "ended before the client's close frame (" + gone.getMessage() + ")");
            }
            return new Outcome(messages, code, client.awaitEnd(END));
        }
    }

    /** Runs {@code TRIES} clients one after another; fails listing every one that saw something else. */
    private void everyTry(String what, Try one) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            String failure;
            try {
                failure = one.run(i);
            } catch (AssertionError | IOException e) {
                failure = e.toString();
            }
            if (failure != null) {
                failures.add(i + ": " + failure);
            }
        }
        assertEquals(List.of(), failures, what + ": " + failures.size() + " of " + TRIES + " tries went wrong");
    }

    private interface Try {
        /** Null when the client saw what the protocol promises, else what it saw. */
        String run(int i) throws Exception;
    }

    private static String expect(Outcome outcome, int code, boolean errorFirst, String error) {
        if (outcome.code() != code || !"closed".equals(outcome.end()) || (errorFirst && outcome.errors(error) == 0)) {
            return "close " + outcome.code() + ", " + outcome.errors(error) + " " + error + ", TCP " + outcome.end();
        }
        return null;
    }

    @Test
    void aFloodingClientStillReadsItsRateLimitedErrorsAndThe4429() throws Exception {
        everyTry("flood", i -> {
            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0 flood " + i + "\"}";
            Outcome outcome = closedWhileSending(signalPath(room + "-" + i, "name=flooder"), true,
                    (client, n) -> client.send(offer));
            return expect(outcome, 4429, true, "RATE_LIMITED");
        });
    }

    @Test
    void aFragmentedMessageOverTheLimitGets1009WhileItsFragmentsKeepComing() throws Exception {
        byte[] fragment = new byte[1024];
        Arrays.fill(fragment, (byte) 'a');
        everyTry("fragments", i -> {
            Outcome outcome = closedWhileSending(signalPath(room + "-" + i, null), true,
                    (client, n) -> client.sendFrame(n == 0 ? 0x01 : 0x00, fragment));
            return expect(outcome, 1009, false, "TOO_LARGE");
        });
    }

    /**
     * A frame larger than Tyrus's input buffer (4 MiB), which Tyrus once answered with 1011 "Buffer
     * overflow." and a stack trace in the log for every read after it: not read at all now.
     */
    @Test
    void aFrameFarOverEveryBufferGets1009WhileTheClientKeepsSending() throws Exception {
        byte[] huge = new byte[5 << 20];
        Arrays.fill(huge, (byte) 'a');
        everyTry("a 5 MiB frame", i -> {
            Outcome outcome = closedWhileSending(signalPath(room + "-huge-" + i, null), true,
                    (client, n) -> client.sendFrame(n == 0 ? 0x81 : 0x89, n == 0 ? huge : PING));
            return expect(outcome, 1009, false, "TOO_LARGE");
        });
    }

    /** The same through the JDK's WebSocket client, which reports a failed send as the end of the socket. */
    @Test
    void aLibraryClientSendingAFragmentedMessageOverTheLimitSees1009() throws Exception {
        String fragment = "a".repeat(1024);
        everyTry("fragments from the JDK client", i -> {
            try (TestPeer peer = TestPeer.connect(signal(room + "-jdk-" + i, null))) {
                peer.welcome();
                // On until the server's close arrives or the socket fails; a server that buffers
                // without bound would take it all (a hundred times the limit, here).
                for (int sent = 0; sent < 100 * MAX_BYTES / fragment.length() && peer.sendFragment(fragment, false); sent++) {
                    // the next fragment
                }
                int code = peer.awaitClose().code();
                return code == 1009 ? null : "close " + code;
            } catch (java.util.concurrent.CompletionException failed) {
                return "failed: " + failed.getCause();
            }
        });
    }

    @Test
    void aMessageOverTheLimitGetsTooLargeThen1009WhileTheClientKeepsSending() throws Exception {
        String large = "{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(MAX_BYTES + MAX_BYTES / 2) + "\"}";
        everyTry("one large frame", i -> {
            Outcome outcome = closedWhileSending(signalPath(room + "-" + i, null), true,
                    (client, n) -> client.sendFrame(n == 0 ? 0x81 : 0x89, n == 0 ? large.getBytes(StandardCharsets.UTF_8) : PING));
            return expect(outcome, 1009, true, "TOO_LARGE");
        });
    }

    /** On WildFly, Undertow itself answers text that is not UTF-8 and ends TCP at once (docs/PROTOCOL.md). */
    @Test
    void textThatIsNotUtf8Gets1007WhileTheClientKeepsSending() throws Exception {
        assumeFalse("wildfly".equals(System.getProperty("arquillian.launch")), "Undertow ends TCP right after its own 1007");
        byte[] notUtf8 = {'{', '"', (byte) 0xff, '"', '}'};
        everyTry("not UTF-8", i -> {
            Outcome outcome = closedWhileSending(signalPath(room + "-" + i, null), true,
                    (client, n) -> client.sendFrame(n == 0 ? 0x81 : 0x89, n == 0 ? notUtf8 : PING));
            return expect(outcome, 1007, false, "BAD_MESSAGE");
        });
    }

    /**
     * The read that holds a refused frame may end inside the next frame. Tyrus drops the rest of that
     * read, so what it reads next starts mid-frame, makes no sense to it, and it asks to close again:
     * that must not end TCP before the client's close frame, or the client's frames meet a reset.
     */
    @Test
    void aConnectionRefusedInTheMiddleOfAFrameLastsUntilTheClientsCloseFrame() throws Exception {
        assumeFalse("wildfly".equals(System.getProperty("arquillian.launch")), "Undertow ends TCP right after its own 1007");
        byte[] notUtf8 = {'{', '"', (byte) 0xff, '"', '}'};
        // Read from its fourth byte (the mask's second) on, this ping starts with 0x09: a fragmented ping.
        byte[] ping = RawClient.frame(true, 0x9, PING, new byte[] {0x11, 0x09, 0x22, 0x33});
        byte[] refused = RawClient.frame(true, 0x1, notUtf8, new byte[] {0x44, 0x55, 0x66, 0x77});
        try (RawClient client = RawClient.open(signalPath(room, null), null, null, 0)) {
            assertEquals("welcome", client.next(WAIT).getString("type"));
            // The refused frame and the ping's first three bytes in one segment; the rest once refused.
            byte[] first = Arrays.copyOf(refused, refused.length + 3);
            System.arraycopy(ping, 0, first, refused.length, 3);
            client.sendBytes(first);
            assertEquals(1007, client.awaitClose(WAIT));
            client.sendBytes(Arrays.copyOfRange(ping, 3, ping.length));
            assertEquals("still open after " + END, client.awaitEnd(END), "TCP lasts until the client's close frame");
            client.sendClose(1007);
            assertEquals("closed", client.awaitEnd(END));
        }
    }

    @Test
    void aRefusedClientStillReadsItsErrorAndCloseWhileSending() throws Exception {
        everyTry("refusal", i -> {
            Outcome outcome = closedWhileSending(signalPath("not.a.room", null), false,
                    (client, n) -> client.send("{\"type\":\"ping\"}"));
            return expect(outcome, 4400, true, "BAD_ROOM");
        });
    }
}
