package dev.rendezvous.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake on the wire: whatever {@code onOpen} writes, a welcome or a refusal, reaches the
 * client only after that client's own {@code 101} response, with thousands of sockets opening at once.
 */
class HandshakeIT extends SignalingTestBase {

    private static final String SECRET = "an HS256 secret of thirty-two bytes or more";
    private static final String STATUS_LINE = "HTTP/1.1 101 ";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static WebArchive war() {
        // Every join in its own room, nothing parked for resume, and no cap on one client address.
        return BuiltWar.configuredWith(
                "signaling.auth.secret=" + SECRET,
                "signaling.resume.grace=0",
                "signaling.connections.per-address=100000");
    }

    @Test
    @Timeout(900)
    void everySocketGetsItsOwnUpgradeResponseBeforeItsOwnFirstFrame() throws Exception {
        int rounds = Integer.getInteger("it.handshake.rounds", 3);
        int sockets = Integer.getInteger("it.handshake.sockets", 2000);
        ExecutorService clients = Executors.newFixedThreadPool(Integer.getInteger("it.handshake.concurrency", 64));
        try {
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<Future<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < sockets; i++) {
                    String ownRoom = room + "-" + round + "-" + i;
                    boolean joins = i % 2 == 0;
                    outcomes.add(clients.submit(() -> joins ? joined(ownRoom) : refused(ownRoom)));
                }
                for (Future<String> outcome : outcomes) {
                    failures.add(outcome.get());
                }
            }
            failures.removeIf(Objects::isNull);
            assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                    failures.size() + " of " + rounds * sockets + " sockets went wrong");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRequestThatIsNoHandshakeGets426AndTheProtocolToSwitchTo() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + System.getProperty("it.http.port") + signalPath(room, "token=" + token(room)));
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(426, answer.statusCode(), method);
            assertEquals(Optional.of("websocket"), answer.headers().firstValue("Upgrade"), method);
            assertEquals(Optional.of("13"), answer.headers().firstValue("Sec-WebSocket-Version"), method);
            assertTrue(answer.body().startsWith("This is a WebSocket endpoint"), method + ": " + answer.body());
        }
        // None of them joined the room, and a handshake to it still does.
        try (RawClient client = RawClient.open(signalPath(room, "token=" + token(room)), null, null, 0)) {
            assertNull(wrongHead(client));
            JsonObject welcome = client.next(WAIT);
            assertEquals("welcome", welcome.getString("type"));
            assertEquals(0, welcome.getJsonArray("peers").size());
        }
    }

    /** Null when the socket got 101 then a welcome to its own room, else what it got instead. */
    private String joined(String ownRoom) {
        try (RawClient client = RawClient.open(signalPath(ownRoom, "token=" + token(ownRoom)), null, null, 0)) {
            String wrongHead = wrongHead(client);
            if (wrongHead != null) {
                return ownRoom + " (join): " + wrongHead;
            }
            JsonObject first = client.next(WAIT);
            if (!first.getString("type").equals("welcome") || !first.getString("room").equals(ownRoom)) {
                return ownRoom + " (join): first frame " + first;
            }
            return null;
        } catch (Exception | AssertionError e) {
            return ownRoom + " (join): " + e;
        }
    }

    /** Null when the socket got 101, then UNAUTHORIZED, then close 4401, else what it got instead. */
    private String refused(String ownRoom) {
        try (RawClient client = RawClient.open(signalPath(ownRoom, null), null, null, 0)) {
            String wrongHead = wrongHead(client);
            if (wrongHead != null) {
                return ownRoom + " (refusal): " + wrongHead;
            }
            JsonObject first = client.next(WAIT);
            if (!first.getString("type").equals("error") || !first.getString("code").equals("UNAUTHORIZED")) {
                return ownRoom + " (refusal): first frame " + first;
            }
            int code = client.awaitClose(WAIT);
            return code == 4401 ? null : ownRoom + " (refusal): closed with " + code;
        } catch (Exception | AssertionError e) {
            return ownRoom + " (refusal): " + e;
        }
    }

    /** Null when the first bytes on the socket are a 101 response and nothing else, else those bytes. */
    private static String wrongHead(RawClient client) {
        String head = client.head();
        if (head.startsWith(STATUS_LINE) && head.indexOf("HTTP/", 1) < 0) {
            return null;
        }
        return "first bytes [" + head.replaceAll("[^\\x20-\\x7e]", "·") + "]";
    }

    private static String token(String forRoom) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("room", forRoom)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
