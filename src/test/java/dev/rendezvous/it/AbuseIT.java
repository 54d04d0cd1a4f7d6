package dev.rendezvous.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server under attack: forged, expired and missing tokens, foreign origins, floods. Nothing
 * gets in that should not, nothing leaks, and well-behaved members carry on.
 */
class AbuseIT extends SignalingTestBase {

    private static final String SECRET = "an HS256 secret of thirty-two bytes or more";
    private static final String TURN_SECRET = "shared with the TURN server";

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.auth.secret=" + SECRET,
                "signaling.origins=https://app.example",
                "signaling.rate.per-second=5",
                "signaling.rate.burst=10",
                "signaling.stun.urls=stun:127.0.0.1:3478",
                "signaling.turn.urls=turn:127.0.0.1:3478?transport=udp",
                "signaling.turn.secret=" + TURN_SECRET,
                "signaling.turn.ttl=600");
    }

    private static String token(String secret, JWSAlgorithm algorithm, Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), set.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private String tokenFor(String forRoom, Map<String, Object> more) throws Exception {
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("room", forRoom,
                "exp", Date.from(Instant.now().plusSeconds(600))));
        claims.putAll(more);
        return token(SECRET, JWSAlgorithm.HS256, claims);
    }

    private TestPeer withToken(String token, String name) {
        return connect(room, name, "token=" + token);
    }

    private void assertRefused(String token, String why) {
        TestPeer peer = withToken(token, "intruder");
        JsonObject error = peer.error("UNAUTHORIZED");
        assertEquals(4401, peer.awaitClose().code(), why);
        assertTrue(error.getString("message").length() > 5, why);
    }

    @Test
    void missingForgedExpiredAndMisdirectedTokensAreRefusedWith4401() throws Exception {
        Joined member = new Joined(withToken(tokenFor(room, Map.of()), "member"), null);
        JsonObject welcome = member.peer().welcome();
        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"room\":\"" + room + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}").getBytes());

        TestPeer none = connect(room, "intruder");
        none.error("UNAUTHORIZED");
        assertEquals(4401, none.awaitClose().code(), "no token");
        assertRefused("not.a.jwt", "garbage");
        assertRefused(noneHeader + "." + payload + ".", "alg none");
        assertRefused(token("a different secret of thirty-two bytes", JWSAlgorithm.HS256,
                Map.of("room", room, "exp", Date.from(Instant.now().plusSeconds(600)))), "wrong key");
        assertRefused(token(SECRET + SECRET, JWSAlgorithm.HS512,
                Map.of("room", room, "exp", Date.from(Instant.now().plusSeconds(600)))), "another algorithm");
        assertRefused(tokenFor(room, Map.of("exp", Date.from(Instant.now().minusSeconds(120)))), "expired");
        assertRefused(token(SECRET, JWSAlgorithm.HS256, Map.of("room", room)), "no exp");
        assertRefused(tokenFor("another-room", Map.of()), "another room");

        member.peer().assertNothingPending();
        assertEquals(0, welcome.getJsonArray("peers").size(), "no intruder ever joined");
    }

    /**
     * Payara runs {@code onOpen} inside the upgrade request. A refused socket closed before that
     * request was over lost its error (a few in a thousand, many refusals at a time), and the
     * request's recycling broke neighbouring connections.
     */
    @Test
    void manyRefusalsAtOnceEachGetTheirErrorThenTheirClose() throws Exception {
        int refusals = 1500;
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < refusals; i++) {
                String name = "intruder-" + i;
                outcomes.add(clients.submit(() -> refusedProperly(name)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                failures.add(outcome.get());
            }
            failures.removeIf(Objects::isNull);
            assertEquals(List.of(), failures, failures.size() + " of " + refusals + " refusals went wrong");
        } finally {
            clients.shutdownNow();
        }
        TestPeer member = withToken(tokenFor(room, Map.of()), "member");
        assertEquals(0, member.welcome().getJsonArray("peers").size(), "no intruder ever joined");
    }

    /** Null when the socket got {@code UNAUTHORIZED} then close 4401, else what happened instead. */
    private String refusedProperly(String name) {
        try (TestPeer peer = TestPeer.connect(signal(room, "name=" + name))) {
            peer.error("UNAUTHORIZED");
            int code = peer.awaitClose().code();
            return code == 4401 ? null : name + ": closed with " + code;
        } catch (AssertionError | RuntimeException e) {
            return name + ": " + e;
        }
    }

    @Test
    void aTokensNameAndCapacityApplyAndAWildcardTokenOpensAnyRoom() throws Exception {
        TestPeer first = withToken(tokenFor("*", Map.of("name", "From Token", "maxPeers", 1)), "from query");
        JsonObject welcome = first.welcome();
        assertEquals(1, welcome.getJsonObject("limits").getInt("maxPeers"));
        TestPeer second = withToken(tokenFor(room, Map.of("maxPeers", 1)), "second");
        second.error("ROOM_FULL");
        assertEquals(4409, second.awaitClose().code());
        TestPeer third = withToken(tokenFor(room, Map.of()), "third");
        assertEquals(List.of(peer(welcome.getString("peer"), "From Token")), third.welcome().getJsonArray("peers"));
    }


    @Test
    void pagesFromForeignOriginsAreRefusedAtTheHandshake() throws Exception {
        String path = signalPath(room, "token=" + tokenFor(room, Map.of()));
        try (RawClient evil = RawClient.open(path, "https://evil.example", null, 0);
             RawClient listed = RawClient.open(path, "https://app.example", null, 0);
             RawClient self = RawClient.open(path, "http://127.0.0.1:" + System.getProperty("it.http.port"), null, 0);
             RawClient noBrowser = RawClient.open(path, null, null, 0)) {
            assertEquals(403, evil.status(), "a foreign page gets no socket at all");
            assertEquals(101, listed.status());
            assertEquals(101, self.status(), "the server's own page");
            assertEquals(101, noBrowser.status(), "no Origin: not a browser");
            String listedId = listed.next(java.time.Duration.ofSeconds(5)).getString("peer");
            self.next(java.time.Duration.ofSeconds(5));
            noBrowser.next(java.time.Duration.ofSeconds(5));
            assertTrue(!listedId.isEmpty());
        }
        try (RawClient sneaky = RawClient.open(signalPath(room, null), "null", null, 0)) {
            assertEquals(403, sneaky.status(), "an opaque origin (sandboxed frame) is not the server's");
        }
    }

    @Test
    void aFloodIsRateLimitedThenCutOffWhileOthersCarryOn() throws Exception {
        TestPeer flooder = withToken(tokenFor(room, Map.of()), "flooder");
        String flooderId = flooder.welcome().getString("peer");
        TestPeer calm = withToken(tokenFor(room, Map.of()), "calm");
        calm.welcome();
        flooder.next("peer-joined");
        for (int i = 0; i < 40; i++) {
            flooder.send("{\"type\":\"ping\"}");
        }
        int pongs = 0;
        int limited = 0;
        while (true) {
            JsonObject reply;
            try {
                reply = flooder.next(java.time.Duration.ofSeconds(3));
            } catch (AssertionError quiet) {
                break;
            }
            if (reply.getString("type").equals("pong")) {
                pongs++;
            } else {
                assertEquals("RATE_LIMITED", reply.getString("code"));
                limited++;
            }
        }
        assertTrue(pongs >= 10 && pongs <= 12, "the burst goes through: " + pongs);
        assertTrue(limited >= 5, "the excess is refused, each with an error: " + limited);
        assertEquals(4429, flooder.awaitClose().code(), "sustained abuse ends the connection");
        assertEquals(flooderId, calm.next("peer-left").getString("peer"));
        calm.assertNothingPending();
    }

    @Test
    void everyWelcomeCarriesTurnCredentialsMintedForThatPeer() throws Exception {
        TestPeer peer = withToken(tokenFor(room, Map.of()), "ann");
        JsonObject welcome = peer.welcome();
        assertEquals("stun:127.0.0.1:3478", welcome.getJsonArray("iceServers").getJsonObject(0).getJsonArray("urls").getString(0));
        JsonObject turn = welcome.getJsonArray("iceServers").getJsonObject(1);
        assertTurnCredentials(turn, welcome.getString("peer"));
    }

    @Test
    void iceServersAreServedOverHttpOnlyWithAToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + System.getProperty("it.http.port") + "/api/ice-servers");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer x.y.z").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + tokenFor("*", Map.of())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject body = Json.createReader(new StringReader(answer.body())).readObject();
        assertEquals(600, body.getInt("ttl"));
        JsonObject turn = body.getJsonArray("iceServers").getJsonObject(1);
        assertTurnCredentials(turn, turn.getString("username").split(":")[1]);
    }

    @Test
    void withoutAnAdminTokenTheAdministrationApiIsNotThere() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + System.getProperty("it.http.port") + "/api/admin/";
        for (String[] request : new String[][] {{"GET", "rooms"}, {"GET", "rooms/" + room}, {"DELETE", "rooms/" + room},
                {"POST", "tokens"}}) {
            for (String authorization : new String[] {null, "Bearer " + SECRET}) {
                HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(base + request[1]))
                        .method(request[0], HttpRequest.BodyPublishers.ofString(request[0].equals("POST") ? "{\"room\":\"x\"}" : ""));
                if (authorization != null) {
                    probe.header("Authorization", authorization);
                }
                HttpResponse<String> answer = http.send(probe.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, answer.statusCode(), request[0] + " " + request[1] + ": " + answer.body());
            }
        }
    }

    private static void assertTurnCredentials(JsonObject turn, String user) throws Exception {
        assertEquals("turn:127.0.0.1:3478?transport=udp", turn.getJsonArray("urls").getString(0));
        String username = turn.getString("username");
        long expiry = Long.parseLong(username.split(":")[0]);
        long now = Instant.now().getEpochSecond();
        assertTrue(expiry > now + 590 && expiry <= now + 601, "expires after the configured ttl: " + username);
        assertEquals(expiry + ":" + user, username);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TURN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))),
                turn.getString("credential"));
    }
}
