package dev.rendezvous.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The product's protocol (docs/PROTOCOL.md), which {@link FloorEndpoint} also speaks: join by
 * connecting to {@code …/{room}}, a {@code welcome} names the member, signals go out with
 * {@code to} and come in with {@code from}, {@code bye} leaves, the server pings and the client
 * answers (Netty does, by itself).
 */
final class RendezvousDialect implements Dialect {

    static final RendezvousDialect INSTANCE = new RendezvousDialect();
    private static final String TYPE_KEY = Dialect.key("type");
    private static final String FROM_KEY = Dialect.key("from");
    private static final String SDP_KEY = Dialect.key("sdp");
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    private RendezvousDialect() {
    }

    @Override
    public URI address(URI base, String room, int side) {
        return base.resolve(room + "?name=m" + side);
    }

    @Override
    public Kind kind(String frame) {
        String type = Dialect.field(frame, TYPE_KEY);
        return switch (type == null ? "" : type) {
            case "offer", "answer" -> Kind.SIGNAL;
            case "welcome" -> Kind.GREETING;
            case "peer-joined", "peer-left", "pong" -> Kind.IGNORED;
            default -> Kind.PROBLEM;
        };
    }

    @Override
    public String sender(String frame) {
        return Dialect.field(frame, FROM_KEY);
    }

    @Override
    public String payload(String frame) {
        return Dialect.field(frame, SDP_KEY);
    }

    @Override
    public String id(String greeting, String room, int side) {
        return parse(greeting).getString("peer");
    }

    @Override
    public List<String> peers(String greeting, String room, int side) {
        return parse(greeting).getJsonArray("peers").getValuesAs(JsonObject.class).stream()
                .map(peer -> peer.getString("peer")).toList();
    }

    @Override
    public String offer(String to, String payload) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + payload + "\"}";
    }

    @Override
    public String leave() {
        return "{\"type\":\"bye\"}";
    }

    @Override
    public String keepAlive() {
        return null;
    }

    @Override
    public Duration keepAliveEvery() {
        return Duration.ZERO;
    }

    private static JsonObject parse(String greeting) {
        return JSON.createReader(new StringReader(greeting)).readObject();
    }

    @Override
    public String toString() {
        return "Rendezvous";
    }
}
