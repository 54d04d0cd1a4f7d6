package dev.rendezvous.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A signaling client for tests: every text frame the server sends lands in a queue, read with timeouts. */
public final class TestPeer implements WebSocket.Listener, AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How the server closed the socket. */
    public record Closed(int code, String reason) {
    }

    private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static TestPeer connect(URI uri) {
        TestPeer peer = new TestPeer();
        peer.socket = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, peer)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return peer;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(Json.createReader(new StringReader(partial.toString())).readObject());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Sends what the server may cut off mid-frame; a failed send is expected then. */
    public void sendRegardless(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    /** Sends one fragment of a text message; false once the socket no longer takes it (closed or failed). */
    public boolean sendFragment(String text, boolean last) {
        try {
            socket.sendText(text, last).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            return !closed.isDone();
        } catch (java.util.concurrent.CompletionException failed) {
            return false;
        }
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The next message, whatever it is; fails if none arrives in time. */
    public JsonObject next() {
        return next(WAIT);
    }

    public JsonObject next(Duration wait) {
        try {
            JsonObject message = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + wait);
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, which must have this type. */
    public JsonObject next(String type) {
        return next(type, WAIT);
    }

    public JsonObject next(String type, Duration wait) {
        JsonObject message = next(wait);
        assertEquals(type, message.getString("type"), () -> "unexpected message " + message);
        return message;
    }

    /** Everything received and not read yet, without waiting (after {@link #awaitClose}: all the socket got). */
    public List<JsonObject> pending() {
        List<JsonObject> pending = new ArrayList<>();
        received.drainTo(pending);
        return pending;
    }

    public JsonObject welcome() {
        return next("welcome");
    }


    /** The next error, which must carry this code. */
    public JsonObject error(String code) {
        JsonObject error = next("error");
        assertEquals(code, error.getString("code"), () -> "unexpected error " + error);
        return error;
    }

    /**
     * Proves nothing is queued for this peer: anything the server had queued before it answers
     * this ping would arrive before the pong.
     */
    public void assertNothingPending() {
        send("{\"type\":\"ping\"}");
        next("pong");
    }

    /** Asserts nothing arrives for a short while (for messages a later event might still cause). */
    public void assertSilentFor(Duration quiet) throws InterruptedException {
        JsonObject message = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(message, () -> "unexpected message " + message);
    }

    /** How the server closed this socket; fails if it does not within the wait. */
    public Closed awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Drops the TCP connection without a close frame, as a crashed client or a lost network does. */
    public void abort() {
        socket.abort();
    }

    /** Closes with this code, as a client that will be back closes with 4000. */
    public void close(int code) {
        socket.sendClose(code, "").orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }
}
