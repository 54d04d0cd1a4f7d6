package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.awaitility.core.ConditionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating the server: Payara Micro's health endpoints answer for the WAR at {@code /}, and
 * {@code /api/metrics} moves by exactly the traffic clients send, counted as the clients saw it.
 */
class OpsIT extends SignalingTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.rate.per-second=5",
                "signaling.rate.burst=10",
                "signaling.message.max-bytes=1024");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + Integer.getInteger("it.http.port") + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(TestPeer.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void payaraMicrosHealthEndpointsAnswerUpForTheWarAtTheRoot() throws Exception {
        for (String path : List.of("/health/ready", "/health/live", "/health")) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
            assertEquals("UP", health.getString("status"), path);
        }
        JsonObject ready = Json.createReader(new StringReader(get("/health/ready").body())).readObject();
        assertEquals("rendezvous-relay", ready.getJsonArray("checks").getJsonObject(0).getString("name"));
        assertEquals("this node alone", ready.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("relay"));
        JsonObject live = Json.createReader(new StringReader(get("/health/live").body())).readObject();
        assertEquals("rendezvous-threads", live.getJsonArray("checks").getJsonObject(0).getString("name"));
    }

    @Test
    void theOpenApiDocumentListsThePublicResourcesAndNoAdministrationOperation() throws Exception {
        HttpResponse<String> response = get("/openapi");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("/api/ice-servers") && response.body().contains("/api/metrics"), response.body());
        // Payara lists an unpublished resource's operations under "/null/…": look for what they are about.
        String body = response.body();
        assertFalse(body.contains("rooms") || body.contains("tokens") || body.contains("admin"),
                "the administration API is off here: " + body);
    }

    /** Every sample of a scrape by series ({@code name} or {@code name{label="value"}}). */
    private static Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = get("/api/metrics");
        assertEquals(200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
            }
        }
        return samples;
    }

    /** How far each series moved since {@code before}; only those that moved. */
    private static Map<String, Long> moved(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Long> moved = new TreeMap<>();
        after.forEach((series, value) -> {
            long delta = Math.round(value - before.getOrDefault(series, 0.0));
            if (delta != 0 && !series.startsWith("rendezvous_relay_latency_seconds")) {
                moved.put(series, delta);
            }
        });
        return moved;
    }

    /** Scrapes until {@code series} has moved by {@code delta} since {@code before} (counts settle as closes are reported). */
    private static Map<String, Double> settled(Map<String, Double> before, String series, long delta) {
        AtomicReference<Map<String, Double>> now = new AtomicReference<>();
        settling().untilAsserted(() -> {
            now.set(scrape());
            assertEquals(delta, Math.round(now.get().get(series) - before.get(series)), series);
        });
        return now.get();
    }

    /** Scrapes at once, then every 100 ms for up to {@link #SETTLE}. */
    private static ConditionFactory settling() {
        return await().atMost(SETTLE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100));
    }

    private static String closed(int code) {
        return "rendezvous_connections_closed_total{code=\"" + code + "\"}";
    }

    private static String errors(String code) {
        return "rendezvous_errors_sent_total{code=\"" + code + "\"}";
    }

    @Test
    void metricsMoveByExactlyTheTrafficSent() throws Exception {
        Map<String, Double> before = scrape();
        List<Joined> ab = joinAll("a", "b");
        TestPeer a = ab.get(0).peer();
        TestPeer b = ab.get(1).peer();
        String aId = ab.get(0).id();
        String bId = ab.get(1).id();
        // Written to the clients through their queues (timed), counted as they arrive; welcomes and
        // refusals go first on a socket and are not queued.
        int queued = 1; // a: peer-joined b

        for (int i = 0; i < 3; i++) {
            a.send("{\"type\":\"offer\",\"to\":\"" + bId + "\",\"sdp\":\"o" + i + "\"}");
            b.next("offer");
        }
        for (int i = 0; i < 2; i++) {
            b.send("{\"type\":\"answer\",\"to\":\"" + aId + "\",\"sdp\":\"a" + i + "\"}");
            a.next("answer");
        }
        a.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\"}}");
        b.next("candidate");
        a.send("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"lost\"}");
        a.error("UNKNOWN_PEER");
        b.send("not json");
        b.error("BAD_MESSAGE");
        queued += 3 + 2 + 1 + 1 + 1;

        Map<String, Double> during = scrape();
        assertEquals(2, Math.round(during.get("rendezvous_connections_open") - before.get("rendezvous_connections_open")));
        assertEquals(1, Math.round(during.get("rendezvous_rooms_open") - before.get("rendezvous_rooms_open")));
        assertEquals(1, Math.round(during.get("rendezvous_room_peers_count") - before.get("rendezvous_room_peers_count")));
        assertEquals(2, Math.round(during.get("rendezvous_room_peers_sum") - before.get("rendezvous_room_peers_sum")));
        assertEquals(1, Math.round(during.get("rendezvous_room_peers_bucket{le=\"2\"}")
                - before.get("rendezvous_room_peers_bucket{le=\"2\"}")), "the one room of two");

        // b drops, saying it will be back, and resumes; a stranger's resume fails and it joins afresh.
        b.close(4000);
        settled(before, closed(4000), 1);
        TestPeer back = connect(room, null, "resume=" + ab.get(1).welcome().getString("resume"));
        assertTrue(back.welcome().getBoolean("resumed"));
        TestPeer stranger = connect(room, "x", "resume=" + UUID.randomUUID());
        stranger.error("RESUME_FAILED");
        stranger.welcome();
        a.next("peer-joined");
        back.next("peer-joined");
        stranger.send("{\"type\":\"bye\"}");
        a.next("peer-left");
        back.next("peer-left");
        back.send("{\"type\":\"bye\"}");
        a.next("peer-left");
        a.send("{\"type\":\"bye\"}");
        queued += 2 + 2 + 1;

        // A flood in a room of its own: each ping beyond the burst of 10 is refused, none closes the socket.
        TestPeer flooder = connect("ops-flood-" + UUID.randomUUID().toString().substring(0, 8), "f");
        flooder.welcome();
        for (int i = 0; i < 15; i++) {
            flooder.send("{\"type\":\"ping\"}");
        }
        int limited = 0;
        for (int i = 0; i < 15; i++) {
            JsonObject reply = flooder.next();
            if (reply.getString("type").equals("error")) {
                assertEquals("RATE_LIMITED", reply.getString("code"));
                limited++;
            }
        }
        assertTrue(limited >= 3, "refused: " + limited);
        flooder.close();
        queued += 15;

        TestPeer oversize = connect("ops-big-" + UUID.randomUUID().toString().substring(0, 8), "g");
        oversize.welcome();
        oversize.sendRegardless("{\"type\":\"offer\",\"to\":\"x\",\"sdp\":\"" + "s".repeat(1500) + "\"}");
        oversize.error("TOO_LARGE");
        assertEquals(1009, oversize.awaitClose().code());
        queued += 1;

        TestPeer badRoom = connect("bad.room", null);
        badRoom.error("BAD_ROOM");
        assertEquals(4400, badRoom.awaitClose().code());

        assertEquals(1000, a.awaitClose().code());
        assertEquals(1000, back.awaitClose().code());
        assertEquals(1000, stranger.awaitClose().code());

        Map<String, Long> expected = new TreeMap<>(Map.of(
                "rendezvous_messages_relayed_total{type=\"offer\"}", 3L,
                "rendezvous_messages_relayed_total{type=\"answer\"}", 2L,
                "rendezvous_messages_relayed_total{type=\"candidate\"}", 1L,
                errors("UNKNOWN_PEER"), 1L,
                errors("BAD_MESSAGE"), 1L,
                errors("RESUME_FAILED"), 1L,
                errors("RATE_LIMITED"), (long) limited,
                errors("TOO_LARGE"), 1L,
                errors("BAD_ROOM"), 1L,
                "rendezvous_rate_limited_total", (long) limited));
        expected.putAll(Map.of(
                closed(4000), 1L,
                closed(1000), 4L,
                closed(1009), 1L,
                closed(4400), 1L,
                "rendezvous_resumes_total{outcome=\"resumed\"}", 1L,
                "rendezvous_resumes_total{outcome=\"failed\"}", 1L));
        // The server counts a close when the container reports it, a moment after the client saw it.
        settling().untilAsserted(() ->
                assertEquals(expected, moved(before, scrape()), "every counter moved by the traffic, and nothing else moved"));
        Map<String, Double> after = settled(before, "rendezvous_relay_latency_seconds_count", queued);

        assertEquals(queued, Math.round(after.get("rendezvous_relay_latency_seconds_count")
                - before.get("rendezvous_relay_latency_seconds_count")));
        assertEquals(after.get("rendezvous_relay_latency_seconds_count"),
                after.get("rendezvous_relay_latency_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(after.get("rendezvous_relay_latency_seconds_sum") > before.get("rendezvous_relay_latency_seconds_sum"));
    }
}
