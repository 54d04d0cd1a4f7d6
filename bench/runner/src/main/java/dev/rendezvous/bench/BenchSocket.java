package dev.rendezvous.bench;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One member on the JDK's WebSocket client, for what is not about speed: {@code fan-out} and the
 * check that a cluster has formed ({@link WireMember} is the speed scenarios'). Sends never block the caller: each
 * is chained after the one before (the client allows one outstanding send), so an offered rate
 * stays offered however slowly the socket drains. Relayed signals are handed on with their arrival
 * time, taken before anything is parsed; anything unexpected (an error envelope, a close the
 * generator did not ask for) is reported as a problem.
 */
final class BenchSocket implements WebSocket.Listener {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    /** Receives relayed signals: who sent it, its {@code sdp}, and when it arrived (System.nanoTime). */
    interface Inbox {
        void signal(String from, String sdp, long arrivedAt);
    }

    private final String who;
    private final Inbox inbox;
    private final Consumer<String> problems;
    private final CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    /** The last send handed to the client; guarded by {@code this}. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private volatile boolean closing;

    private BenchSocket(String who, Inbox inbox, Consumer<String> problems) {
        this.who = who;
        this.inbox = inbox;
        this.problems = problems;
    }

    /** Joins {@code room} on the node at {@code base} (its {@code ws://…/signal/} URI) and waits for the welcome. */
    static BenchSocket join(HttpClient http, URI base, String room, String name, Inbox inbox, Consumer<String> problems) {
        return joining(http, base, room, name, inbox, problems).join();
    }

    /** {@link #join} without waiting: completes with the member once its welcome arrives. */
    static CompletableFuture<BenchSocket> joining(HttpClient http, URI base, String room, String name, Inbox inbox,
                                                  Consumer<String> problems) {
        BenchSocket member = new BenchSocket(name + "@" + base.getPort() + "/" + room, inbox, problems);
        URI uri = base.resolve(room + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, member)
                .thenCompose(socket -> {
                    member.socket = socket;
                    return member.welcome;
                })
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .thenApply(welcome -> member);
    }

    String peer() {
        return welcome.join().getString("peer");
    }

    /** The ids the welcome listed as already in the room. */
    List<String> peers() {
        return welcome.join().getJsonArray("peers").getValuesAs(JsonObject.class).stream()
                .map(peer -> peer.getString("peer")).toList();
    }

    synchronized void send(String text) {
        tail = tail.thenCompose(ignored -> socket.sendText(text, true)).exceptionally(failure -> {
            problems.accept(who + ": a send failed: " + failure);
            return null;
        });
    }

    /** Leaves with {@code bye} once every earlier send is written; does not wait for the server's close. */
    void leave() {
        closing = true;
        send("{\"type\":\"bye\"}");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long arrivedAt = System.nanoTime();
        partial.append(data);
        if (last) {
            JsonObject message = JSON.createReader(new StringReader(partial.toString())).readObject();
            partial.setLength(0);
            switch (message.getString("type", "")) {
                case "welcome" -> welcome.complete(message);
                case "offer", "answer" -> inbox.signal(message.getString("from"), message.getString("sdp"), arrivedAt);
                case "peer-joined", "peer-left", "pong" -> {
                }
                default -> problems.accept(who + ": unexpected " + message);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            problems.accept(who + ": closed by the server, " + statusCode + " " + reason);
        }
        welcome.completeExceptionally(new IllegalStateException(who + ": closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            problems.accept(who + ": " + error);
        }
        welcome.completeExceptionally(error);
    }
}
