package dev.rendezvous.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administration API, black box: only the admin token opens it; rooms and members are listed,
 * a removed member's socket closes with 4403 and the others hear it left once, a closed room's
 * members get 4404, and minted access tokens let their holders in with their name and capacity.
 */
class AdminIT extends SignalingTestBase {

    private static final String ADMIN_TOKEN = "an admin token of at least thirty-two characters";
    private static final String SECRET = "an HS256 secret of thirty-two bytes or more";
    /** A server of this test's own, with the admin token from the environment and no access tokens. */
    private static final int OTHER_PORT = Integer.getInteger("it.admin.other.port", 18581);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.admin.token=" + ADMIN_TOKEN, "signaling.auth.secret=" + SECRET);
    }

    private record Answer(int status, JsonObject body, HttpResponse<String> raw) {
    }

    private static Answer call(int port, String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/admin/" + path))
                .timeout(TestPeer.WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = response.body().isEmpty() || !response.headers().firstValue("Content-Type").orElse("").contains("json")
                ? null : Json.createReader(new StringReader(response.body())).readObject();
        return new Answer(response.statusCode(), json, response);
    }

    private static Answer admin(String method, String path, String body) throws Exception {
        return call(Integer.getInteger("it.http.port"), method, path, body, "Bearer " + ADMIN_TOKEN);
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.raw().body());
        assertEquals(code, answer.body().getString("error"), answer.raw().body());
        assertTrue(answer.body().getString("message").length() > 5, answer.raw().body());
    }

    private static String tokenFor(String forRoom) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("room", forRoom)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Override
    protected Joined join(String name) {
        try {
            TestPeer peer = connect(room, name, "token=" + tokenFor(room));
            return new Joined(peer, peer.welcome());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ids of a room's members, in join order, as the API shows them. */
    private static List<String> idsIn(String room) throws Exception {
        Answer answer = admin("GET", "rooms/" + room, null);
        assertEquals(200, answer.status(), answer.raw().body());
        return answer.body().getJsonArray("peers").getValuesAs(JsonObject.class).stream().map(p -> p.getString("peer")).toList();
    }

    private static List<String> ids(Joined... members) {
        return java.util.Arrays.stream(members).map(Joined::id).toList();
    }

    @Test
    void aMissingOrWrongTokenGets401OnEveryEndpointAndChangesNothing() throws Exception {
        List<Joined> members = joinAll("ann", "bob");
        String bob = members.get(1).id();
        int port = Integer.getInteger("it.http.port");
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + ADMIN_TOKEN + "x",
                "Bearer " + ADMIN_TOKEN.substring(1), ADMIN_TOKEN, "Basic " + ADMIN_TOKEN}) {
            for (String[] request : new String[][] {{"GET", "rooms"}, {"GET", "rooms/" + room},
                    {"DELETE", "rooms/" + room + "/members/" + bob}, {"DELETE", "rooms/" + room},
                    {"POST", "tokens"}, {"GET", "no/such/operation"}, {"POST", "rooms"},
                    {"GET", "rooms/" + room + "/members/" + bob}, {"OPTIONS", "rooms"}, {"OPTIONS", "tokens"},
                    {"OPTIONS", "rooms/" + room}}) {
                Answer answer = call(port, request[0], request[1], request[0].equals("POST") ? "{\"room\":\"x\"}" : null, authorization);
                String what = request[0] + " " + request[1] + " with " + authorization;
                assertProblem(answer, 401, "UNAUTHORIZED");
                assertEquals("Bearer", answer.raw().headers().firstValue("WWW-Authenticate").orElse(null), what);
                assertFalse(answer.raw().body().contains("eyJ"), "no token minted: " + what);
            }
        }
        for (Joined member : members) {
            member.peer().assertNothingPending();
        }
        assertEquals(ids(members.get(0), members.get(1)), idsIn(room), "both still there");
        // Nor does a description of the API say it is there.
        HttpResponse<String> wadl = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/application.wadl"))
                .timeout(TestPeer.WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, wadl.statusCode());
        assertFalse(wadl.body().contains("admin"), wadl.body());
    }

    @Test
    void aRequestMatchingNoOperationGetsTheApisJsonErrorNotAnHtmlPage() throws Exception {
        Joined ann = joinAll("ann").get(0);
        assertProblem(admin("GET", "no/such/operation", null), 404, "NOT_FOUND");
        assertProblem(admin("GET", "rooms/" + room + "/members", null), 404, "NOT_FOUND");

        Answer wrongMethod = admin("GET", "rooms/" + room + "/members/" + ann.id(), null);
        assertProblem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        String allow = wrongMethod.raw().headers().firstValue("Allow").orElse("");
        assertTrue(allow.contains("DELETE") && !allow.contains("GET"), allow);
        assertProblem(admin("PUT", "rooms", "{}"), 405, "METHOD_NOT_ALLOWED");

        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Integer.getInteger("it.http.port") + "/api/admin/rooms"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Accept", "text/plain").timeout(TestPeer.WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(406, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("\"error\":\"NOT_ACCEPTABLE\""), plain.body());

        ann.peer().assertNothingPending();
        assertEquals(List.of(ann.id()), idsIn(room), "nothing changed");
    }

    @Test
    void roomsAreListedWithTheirMemberCountsAndARoomWithItsMembersInJoinOrder() throws Exception {
        List<Joined> members = joinAll("ann", "bob", "cy");
        String otherRoom = room + "-2";
        TestPeer elsewhere = connect(otherRoom, "dee", "token=" + tokenFor(otherRoom));
        elsewhere.welcome();

        Answer rooms = admin("GET", "rooms", null);
        assertEquals(200, rooms.status());
        List<JsonObject> listed = rooms.body().getJsonArray("rooms").getValuesAs(JsonObject.class);
        assertTrue(listed.contains(Json.createObjectBuilder().add("room", room).add("members", 3).build()), listed::toString);
        assertTrue(listed.contains(Json.createObjectBuilder().add("room", otherRoom).add("members", 1).build()), listed::toString);

        Answer one = admin("GET", "rooms/" + room, null);
        assertEquals(200, one.status());
        assertEquals(Json.createObjectBuilder().add("room", room).add("peers", Json.createArrayBuilder()
                .add(peer(members.get(0).id(), "ann")).add(peer(members.get(1).id(), "bob")).add(peer(members.get(2).id(), "cy")))
                .build(), one.body());

        assertProblem(admin("GET", "rooms/nobody-here", null), 404, "NO_SUCH_ROOM");
        assertProblem(admin("GET", "rooms/" + URLEncoder.encode("a b", StandardCharsets.UTF_8).replace("+", "%20"), null),
                400, "BAD_REQUEST");
    }

    @Test
    void aRemovedMemberIsClosedWith4403CannotResumeAndTheOthersHearItLeftOnce() throws Exception {
        List<Joined> members = joinAll("ann", "bob", "cy");
        Joined ann = members.get(0);
        Joined bob = members.get(1);
        Joined cy = members.get(2);

        Answer kicked = admin("DELETE", "rooms/" + room + "/members/" + bob.id(), null);
        assertEquals(204, kicked.status(), kicked.raw().body());
        TestPeer.Closed closed = bob.peer().awaitClose();
        assertEquals(4403, closed.code());
        assertEquals("removed by an administrator", closed.reason());
        bob.peer().assertSilentFor(Duration.ofMillis(1));
        for (Joined other : List.of(ann, cy)) {
            assertEquals(bob.id(), other.peer().next("peer-left").getString("peer"));
            other.peer().assertNothingPending();
        }
        assertEquals(ids(ann, cy), idsIn(room));
        assertProblem(admin("DELETE", "rooms/" + room + "/members/" + bob.id(), null), 404, "NO_SUCH_MEMBER");

        TestPeer back = connect(room, "bob", "token=" + tokenFor(room) + "&resume=" + bob.welcome().getString("resume"));
        back.error("RESUME_FAILED");
        JsonObject fresh = back.welcome();
        assertFalse(fresh.getBoolean("resumed"));
        assertNotEquals(bob.id(), fresh.getString("peer"), "a removed membership is over for good");
        ann.peer().next("peer-joined");
        ann.peer().assertNothingPending();
    }

    @Test
    void aMemberAwayWithinItsResumeGraceIsRemovedAtOnce() throws Exception {
        List<Joined> members = joinAll("ann", "bob");
        Joined ann = members.get(0);
        Joined bob = members.get(1);
        bob.peer().abort();
        ann.peer().assertNothingPending();
        assertEquals(ids(ann, bob), idsIn(room), "kept for resume");

        assertEquals(204, admin("DELETE", "rooms/" + room + "/members/" + bob.id(), null).status());
        assertEquals(bob.id(), ann.peer().next("peer-left", Duration.ofSeconds(5)).getString("peer"),
                "at once, not when the 30 s grace runs out");
        TestPeer back = connect(room, "bob", "token=" + tokenFor(room) + "&resume=" + bob.welcome().getString("resume"));
        back.error("RESUME_FAILED");
        assertNotEquals(bob.id(), back.welcome().getString("peer"));
        ann.peer().next("peer-joined");
        ann.peer().assertNothingPending();
    }

    @Test
    void closingARoomClosesEveryMembersSocketWith4404AndTheRoomIsGone() throws Exception {
        List<Joined> members = joinAll("ann", "bob", "cy");
        Answer closed = admin("DELETE", "rooms/" + room, null);
        assertEquals(200, closed.status(), closed.raw().body());
        assertEquals(Json.createObjectBuilder().add("room", room).add("removed", Json.createArrayBuilder()
                .add(members.get(0).id()).add(members.get(1).id()).add(members.get(2).id())).build(), closed.body());
        for (Joined member : members) {
            TestPeer.Closed close = member.peer().awaitClose();
            assertEquals(4404, close.code());
            assertEquals("room closed by an administrator", close.reason());
        }
        assertProblem(admin("GET", "rooms/" + room, null), 404, "NO_SUCH_ROOM");
        assertFalse(admin("GET", "rooms", null).body().getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                .anyMatch(listed -> listed.getString("room").equals(room)));
        assertProblem(admin("DELETE", "rooms/" + room, null), 404, "NO_SUCH_ROOM");
    }

    @Test
    void aMintedTokenAdmitsItsHolderWithItsNameAndCapacity() throws Exception {
        long before = Instant.now().getEpochSecond();
        Answer minted = admin("POST", "tokens", "{\"room\":\"" + room + "\",\"name\":\"Minted Ann\",\"maxPeers\":2,\"ttl\":600}");
        assertEquals(200, minted.status(), minted.raw().body());
        assertEquals(room, minted.body().getString("room"));
        long exp = minted.body().getJsonNumber("exp").longValue();
        assertTrue(exp >= before + 600 && exp <= Instant.now().getEpochSecond() + 600, "expires after the ttl: " + exp);
        assertEquals("no-store", minted.raw().headers().firstValue("Cache-Control").orElse(null));

        TestPeer ann = connect(room, "from the query", "token=" + minted.body().getString("token"));
        JsonObject welcome = ann.welcome();
        assertEquals(2, welcome.getJsonObject("limits").getInt("maxPeers"));
        String anyRoom = admin("POST", "tokens", "{\"room\":\"*\",\"maxPeers\":2}").body().getString("token");
        TestPeer bob = connect(room, "bob", "token=" + anyRoom);
        assertEquals(List.of(peer(welcome.getString("peer"), "Minted Ann")), bob.welcome().getJsonArray("peers"));
        TestPeer third = connect(room, "cy", "token=" + anyRoom);
        third.error("ROOM_FULL");
        assertEquals(4409, third.awaitClose().code(), "the token's capacity holds");
        TestPeer elsewhere = connect(room + "-x", "dee", "token=" + minted.body().getString("token"));
        elsewhere.error("UNAUTHORIZED");

        assertProblem(admin("POST", "tokens", "{\"room\":\"a b\"}"), 400, "BAD_REQUEST");
        assertProblem(admin("POST", "tokens", "{\"room\":\"r\",\"ttl\":999999}"), 400, "BAD_REQUEST");
        assertProblem(admin("POST", "tokens", "{\"room\":\"r\",\"maxpeers\":2}"), 400, "BAD_REQUEST");
        assertProblem(admin("POST", "tokens", "not json"), 400, "BAD_REQUEST");
        assertProblem(admin("POST", "tokens", null), 400, "BAD_REQUEST");
    }

    /**
     * Payara's Grizzly passes the body of a request that asks to upgrade on as the connection's raw
     * bytes, never ending: read, it kept the client waiting until it gave up. Over a raw socket, as
     * Java's client will not send {@code Upgrade}.
     */
    @Test
    void aTokenRequestThatAlsoAsksToUpgradeIsRefusedAtOnceAndAGetThatDoesIsServed() throws Exception {
        String body = "{\"room\":\"" + room + "\"}";
        String post = "POST /api/admin/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_TOKEN
                + "\r\nContent-Type: application/json\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        String refused = rawExchange(post);
        assertTrue(refused.startsWith("HTTP/1.1 400 "), refused);
        assertTrue(refused.contains("\"error\":\"BAD_REQUEST\""), refused);

        String get = "GET /api/admin/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_TOKEN
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        String served = rawExchange(get);
        assertTrue(served.startsWith("HTTP/1.1 200 "), served);
        assertTrue(served.contains("\"rooms\""), served);
    }

    /** Sends {@code request} on a connection of its own; what came back up to the end of the first JSON object. */
    private static String rawExchange(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Integer.getInteger("it.http.port"))) {
            socket.setSoTimeout((int) TestPeer.WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            int depth = 0;
            boolean inBody = false;
            for (int b = in.read(); b != -1; b = in.read()) {
                answer.append((char) b);
                inBody = inBody || answer.indexOf("\r\n\r\n") >= 0;
                if (inBody && b == '{') {
                    depth++;
                } else if (inBody && b == '}' && --depth == 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    /** A second server: the admin token from the environment, no access tokens to mint. */
    @Test
    @Timeout(300)
    @SuppressWarnings("try") // the server only has to run while the calls are made
    void withoutAnAuthSecretMintingIsAConflictAndTheTokenCanComeFromTheEnvironment() throws Exception {
        try (MicroProcess other = MicroProcess.start(OTHER_PORT, Map.of("SIGNALING_ADMIN_TOKEN", ADMIN_TOKEN))) {
            assertProblem(call(OTHER_PORT, "POST", "tokens", "{\"room\":\"r\"}", "Bearer " + ADMIN_TOKEN), 409, "TOKENS_OFF");
            assertProblem(call(OTHER_PORT, "GET", "rooms", null, "Bearer wrong"), 401, "UNAUTHORIZED");
            assertEquals(200, call(OTHER_PORT, "GET", "rooms", null, "Bearer " + ADMIN_TOKEN).status());
        }
    }
}
