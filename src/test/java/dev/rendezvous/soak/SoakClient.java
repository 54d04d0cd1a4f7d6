package dev.rendezvous.soak;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One simulated member. It sends numbered signals ({@code "<client>:<seq>"}) to each roommate and
 * checks, per sender, that what it receives continues that sender's numbering: a number too high is
 * a gap, one too low a duplicate. Only one thread at a time drives a client (the soak hands clients
 * to tasks phase by phase); frames arrive on the HTTP client's threads into the socket's queue.
 */
final class SoakClient {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());
    private static final String[] KINDS = {"offer", "answer", "candidate"};

    final int index;
    final String room;
    private final URI base;
    private final HttpClient http;
    private final Tally tally;
    /** Every client's current peer id, shared by all clients: who a {@code from} is. */
    private final Map<String, SoakClient> byPeer;

    private SoakSocket socket;
    private String peer;
    private String resumeToken;
    /** Member messages received on the current socket since its welcome: the resume's {@code received}. */
    private long memberMessages;
    /** When the current socket's welcome arrived (System.nanoTime). */
    private long welcomedAt;
    private final Map<String, Integer> sentTo = new HashMap<>();
    private final Map<String, Integer> nextFrom = new HashMap<>();
    /** Presence heard since last asked: "joined:<id>:<name>" and "left:<id>". */
    private final List<String> presence = new ArrayList<>();

    SoakClient(int index, String room, URI base, HttpClient http, Tally tally, Map<String, SoakClient> byPeer) {
        this.index = index;
        this.room = room;
        this.base = base;
        this.http = http;
        this.tally = tally;
        this.byPeer = byPeer;
    }

    String peer() {
        return peer;
    }

    String name() {
        return "c" + index;
    }

    /** Joins afresh (a new identity); returns the ids the welcome lists as already present. */
    List<String> join() {
        long start = System.nanoTime();
        JsonObject welcome = open("name=" + name(), "join");
        tally.joined(welcomedAt - start);
        assertEquals(false, welcome.getBoolean("resumed"), () -> name() + ": a fresh join is not a resume: " + welcome);
        if (peer != null) {
            byPeer.remove(peer);
        }
        peer = welcome.getString("peer");
        byPeer.put(peer, this);
        sentTo.clear();
        nextFrom.clear();
        return welcomed(welcome);
    }

    /**
     * Drops the socket without a close frame and resumes on a new one, saying how many member
     * messages arrived on the old one; returns the ids the resumed welcome lists.
     */
    List<String> dropAndResume() {
        socket.abandon();
        // Frames queued before the drop count as received; later ones never reached the client.
        for (SoakSocket.Frame frame = socket.frames.poll(); frame != null; frame = socket.frames.poll()) {
            handle(frame);
        }
        long start = System.nanoTime();
        JsonObject welcome = open("resume=" + encode(resumeToken) + "&received=" + memberMessages, "resume of " + peer);
        tally.resumed(welcomedAt - start);
        assertEquals(peer, welcome.getString("peer"), () -> name() + ": a resume keeps the peer id: " + welcome);
        assertEquals(true, welcome.getBoolean("resumed"), () -> name() + ": resumed must be true: " + welcome);
        return welcomed(welcome);
    }

    private List<String> welcomed(JsonObject welcome) {
        assertEquals(room, welcome.getString("room"));
        resumeToken = welcome.getString("resume");
        memberMessages = 0;
        return welcome.getJsonArray("peers").getValuesAs(JsonObject.class).stream().map(p -> p.getString("peer")).toList();
    }

    /** Connects and returns the first message, which must be a welcome; notes when it arrived. */
    private JsonObject open(String query, String what) {
        socket = new SoakSocket();
        URI uri = URI.create(base + room + "?" + query);
        try {
            socket.ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, socket)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            throw new AssertionError(name() + ": could not connect to " + uri, e);
        }
        SoakSocket.Frame first = socket.next(WAIT, name());
        assertEquals(0, first.closed(), () -> name() + ": " + what + ": the socket ended before any message: " + first);
        JsonObject welcome = parse(first);
        assertEquals("welcome", welcome.getString("type"), () -> name() + ": " + what + " refused: " + welcome);
        welcomedAt = first.at();
        return welcome;
    }

    /** Sends the next numbered signal to {@code target}, cycling through offer, answer and candidate. */
    void signal(String target) {
        int seq = sentTo.merge(target, 1, Integer::sum) - 1;
        String mark = index + ":" + seq;
        String kind = KINDS[seq % KINDS.length];
        String body = kind.equals("candidate") ? "\"candidate\":{\"candidate\":\"" + mark + "\",\"sdpMid\":\"0\"}" : "\"sdp\":\"" + mark + "\"";
        send("{\"type\":\"" + kind + "\",\"to\":\"" + target + "\"," + body + "}");
        tally.sent.incrementAndGet();
    }

    int sentTo(String target) {
        return sentTo.getOrDefault(target, 0);
    }

    int receivedFrom(String sender) {
        return nextFrom.getOrDefault(sender, 0);
    }

    void ping() {
        send("{\"type\":\"ping\"}");
    }

    /** Reads, checking each message, until the pong for an earlier {@link #ping()}. */
    void awaitPong() {
        while (!handle(socket.next(WAIT, name()))) {
            // keep reading
        }
    }

    /** Leaves with {@code bye}, reading (and checking) everything up to the server's close, which must be 1000. */
    void bye() {
        send("{\"type\":\"bye\"}");
        while (true) {
            SoakSocket.Frame frame = socket.next(WAIT, name());
            if (frame.closed() != 0) {
                assertEquals(1000, frame.closed(), () -> name() + ": bye ends with close 1000, got " + frame);
                return;
            }
            handle(frame);
        }
    }

    /** Reads, checking each message, until the server closes the socket: that close, with when it came. */
    SoakSocket.Frame awaitClose() {
        while (true) {
            SoakSocket.Frame frame = socket.next(WAIT, name());
            if (frame.closed() != 0) {
                return frame;
            }
            handle(frame);
        }
    }

    /** The presence heard since the last call, in order, and forgets it. */
    List<String> takePresence() {
        List<String> heard = List.copyOf(presence);
        presence.clear();
        return heard;
    }

    /** Forgets a roommate's numbering once it has left: its next identity starts again at 0. */
    void forget(String departed) {
        sentTo.remove(departed);
        nextFrom.remove(departed);
    }

    private void send(String text) {
        try {
            socket.ws.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            throw new AssertionError(name() + ": could not send " + text, e);
        }
    }

    /** Checks one frame; true when it was a pong. */
    private boolean handle(SoakSocket.Frame frame) {
        assertEquals(0, frame.closed(), () -> name() + ": the socket ended unexpectedly: " + frame);
        JsonObject message = parse(frame);
        String type = message.getString("type");
        switch (type) {
            case "pong":
                return true;
            case "offer", "answer", "candidate":
                memberMessages++;
                checkSequence(message);
                return false;
            case "peer-joined":
                memberMessages++;
                presence.add("joined:" + message.getString("peer") + ":" + message.getString("name"));
                return false;
            case "peer-left":
                memberMessages++;
                presence.add("left:" + message.getString("peer"));
                return false;
            default:
                throw new AssertionError(name() + " (" + peer + "): unexpected message " + message);
        }
    }

    private void checkSequence(JsonObject message) {
        tally.received.incrementAndGet();
        String from = message.getString("from");
        assertEquals(peer, message.getString("to"), () -> name() + ": a signal addressed to someone else: " + message);
        String mark = message.getString("type").equals("candidate")
                ? message.getJsonObject("candidate").getString("candidate") : message.getString("sdp");
        String[] parts = mark.split(":");
        SoakClient sender = byPeer.get(from);
        assertTrue(sender != null && sender.index == Integer.parseInt(parts[0]),
                () -> name() + ": 'from' " + from + " is not client " + parts[0] + ": " + message);
        int seq = Integer.parseInt(parts[1]);
        int expected = nextFrom.getOrDefault(from, 0);
        if (seq > expected) {
            tally.lost(seq - expected, name() + " got " + mark + " from " + from + " expecting " + parts[0] + ":" + expected);
        } else if (seq < expected) {
            tally.duplicated(name() + " got " + mark + " again (or late) from " + from + ", expecting " + expected);
            return;
        }
        nextFrom.put(from, seq + 1);
    }

    private static JsonObject parse(SoakSocket.Frame frame) {
        return JSON.createReader(new StringReader(frame.text())).readObject();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
