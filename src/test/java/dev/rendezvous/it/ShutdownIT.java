package dev.rendezvous.it;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that stops (SIGTERM, as {@code docker stop} does) closes every socket with 1012, and
 * its members come back as themselves once it is up again, with the credential of their last
 * welcome: same ids, the others hear them join again, and they are told what was on its way is lost.
 */
@Timeout(400)
class ShutdownIT {

    private static final int PORT = Integer.getInteger("it.shutdown.port", 18085);
    private static final Map<String, String> SETTINGS = Map.of("SIGNALING_RESUME_SECRET", "restart-test-secret");
    private static final String ROOM = "ws://127.0.0.1:" + PORT + "/signal/restart";

    @Test
    void membersComeBackAsThemselvesAfterTheServerRestarts() throws Exception {
        JsonObject ann;
        JsonObject bob;
        try (MicroProcess micro = MicroProcess.start(PORT, SETTINGS)) {
            TestPeer a = TestPeer.connect(URI.create(ROOM + "?name=Ann"));
            ann = a.welcome();
            TestPeer b = TestPeer.connect(URI.create(ROOM + "?name=Bob"));
            bob = b.welcome();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return micro.stop(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(1012, a.awaitClose().code(), "service restart: come back");
            assertNotEquals(200, readiness(), "readiness went DOWN before the sockets closed");
            assertEquals(1012, b.awaitClose().code());
            assertTrue(stopped.get(60, TimeUnit.SECONDS), "Payara Micro stops within a minute");
        }
        try (MicroProcess micro = MicroProcess.start(PORT, SETTINGS)) {
            TestPeer a = TestPeer.connect(resume(ann, 2));
            JsonObject annBack = a.welcome();
            assertEquals(ann.getString("peer"), annBack.getString("peer"));
            assertTrue(annBack.getBoolean("resumed"));
            assertTrue(annBack.getBoolean("lost"), "what was on its way to Ann is gone");
            assertEquals(List.of(), annBack.getJsonArray("peers"), "nobody else is back yet");

            TestPeer b = TestPeer.connect(resume(bob, 0));
            JsonObject bobBack = b.welcome();
            assertEquals(bob.getString("peer"), bobBack.getString("peer"));
            assertEquals(ann.getString("peer"), bobBack.getJsonArray("peers").getJsonObject(0).getString("peer"));
            assertEquals("Ann", bobBack.getJsonArray("peers").getJsonObject(0).getString("name"), "the name comes back too");
            JsonObject back = a.next("peer-joined");
            assertEquals(bob.getString("peer"), back.getString("peer"), "Ann hears Bob is back, under his old id");
            assertEquals("Bob", back.getString("name"));

            b.send("{\"type\":\"offer\",\"to\":\"" + ann.getString("peer") + "\",\"sdp\":\"after the restart\"}");
            assertEquals("after the restart", a.next("offer").getString("sdp"));

            TestPeer again = TestPeer.connect(resume(bob, 0));
            again.error("RESUME_FAILED");
            assertFalse(again.welcome().getBoolean("resumed"), "a credential works once: Bob's next one retired it");

            TestPeer stranger = TestPeer.connect(URI.create(ROOM + "?resume=" + forged(ann.getString("resume"))));
            stranger.error("RESUME_FAILED");
            assertFalse(stranger.welcome().getBoolean("resumed"));
        }
    }

    /** The status of /health/ready; 0 when nothing answers (the port is closed). */
    private static int readiness() throws InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException closed) {
            return 0;
        }
    }

    private static URI resume(JsonObject welcome, int received) {
        return URI.create(ROOM + "?resume=" + URLEncoder.encode(welcome.getString("resume"), StandardCharsets.UTF_8)
                + "&received=" + received);
    }

    /** The same claim with a signature of the right shape that nobody made. */
    private static String forged(String credential) {
        String signature = credential.substring(credential.lastIndexOf('.') + 1);
        return credential.substring(0, credential.lastIndexOf('.') + 1) + (signature.startsWith("A") ? "B" : "A") + signature.substring(1);
    }
}
