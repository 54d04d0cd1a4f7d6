package dev.rendezvous.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * PeerJS server's protocol (npm {@code peer} 1.0.2, read from its source): a client picks its own
 * id and token and connects to {@code /peerjs?key=peerjs&id=ID&token=T}; the server answers
 * {@code {"type":"OPEN"}}; {@code {"type":"OFFER","dst":ID,"payload":{…}}} reaches {@code ID} as
 * {@code {"type":"OFFER","src":…,"dst":…,"payload":{…}}}; a client sends {@code {"type":"HEARTBEAT"}}
 * every 5 s as the PeerJS client does (the server drops one silent for 60 s). PeerJS has no rooms:
 * a "room" here is two peers addressing each other, {@code ROOM-0} and {@code ROOM-1}.
 */
final class PeerJsDialect implements Dialect {

    static final PeerJsDialect INSTANCE = new PeerJsDialect();
    private static final String TYPE_KEY = Dialect.key("type");
    private static final String SRC_KEY = Dialect.key("src");
    private static final String SDP_KEY = Dialect.key("sdp");
    /** The PeerJS client's heartbeat interval. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private PeerJsDialect() {
    }

    @Override
    public URI address(URI base, String room, int side) {
        String id = URLEncoder.encode(room + "-" + side, StandardCharsets.UTF_8);
        return URI.create(base + "?key=peerjs&id=" + id + "&token=t" + Integer.toHexString(id.hashCode()));
    }

    @Override
    public Kind kind(String frame) {
        String type = Dialect.field(frame, TYPE_KEY);
        return switch (type == null ? "" : type) {
            case "OFFER", "ANSWER", "CANDIDATE" -> Kind.SIGNAL;
            case "OPEN" -> Kind.GREETING;
            default -> Kind.PROBLEM;
        };
    }

    @Override
    public String sender(String frame) {
        return Dialect.field(frame, SRC_KEY);
    }

    @Override
    public String payload(String frame) {
        return Dialect.field(frame, SDP_KEY);
    }

    @Override
    public String id(String greeting, String room, int side) {
        return room + "-" + side;
    }

    @Override
    public List<String> peers(String greeting, String room, int side) {
        return List.of(room + "-" + (1 - side));
    }

    @Override
    public String offer(String to, String payload) {
        return "{\"type\":\"OFFER\",\"dst\":\"" + to + "\",\"payload\":{\"sdp\":\"" + payload + "\"}}";
    }

    @Override
    public String leave() {
        return null;
    }

    @Override
    public String keepAlive() {
        return "{\"type\":\"HEARTBEAT\"}";
    }

    @Override
    public Duration keepAliveEvery() {
        return HEARTBEAT;
    }

    @Override
    public String toString() {
        return "PeerJS";
    }
}
