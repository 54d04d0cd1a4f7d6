package dev.rendezvous.bench;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The least a relay can do with the benchmark's traffic on the same container: what Payara's
 * WebSocket stack costs by itself. Two sockets per room; each text frame goes on to the other socket
 * with {@code "from"} spliced in as text. A newcomer is welcomed with the other's id, and the other
 * is told it came ({@code peer-joined}) and when it goes ({@code peer-left}): the frames the
 * protocol sends for a join and a leave. No JSON parsed, no limits, no queue of its own, no
 * metrics. The benchmark deploys it beside the product ({@link Servers#floorWar}, at
 * {@code /floor/{room}}) to set the product's figures against; it is not part of the product. It
 * refers to nothing outside the Jakarta APIs, as the server loads it.
 */
@ServerEndpoint("/{room}")
public class FloorEndpoint {

    private static final Map<String, Session[]> ROOMS = new ConcurrentHashMap<>();

    private Session[] pair;
    private int side;
    private String spliced;

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String room) throws IOException {
        pair = ROOMS.computeIfAbsent(room, r -> new Session[2]);
        Session other;
        synchronized (pair) {
            side = pair[0] == null ? 0 : 1;
            pair[side] = session;
            other = pair[1 - side];
        }
        String me = room + "-" + side;
        spliced = "{\"from\":\"" + me + "\",";
        String others = other == null ? "" : "{\"peer\":\"" + room + "-" + (1 - side) + "\"}";
        session.getBasicRemote().sendText("{\"type\":\"welcome\",\"peer\":\"" + me + "\",\"peers\":[" + others + "]}");
        tell(other, "{\"type\":\"peer-joined\",\"peer\":\"" + me + "\"}");
    }

    private static void tell(Session other, String text) {
        if (other != null) {
            // Tyrus queues asynchronous sends; the lock only keeps two callers out of one socket at once.
            synchronized (other) {
                other.getAsyncRemote().sendText(text);
            }
        }
    }

    @OnMessage
    public void onMessage(Session session, String text) throws IOException {
        if (text.startsWith("{\"type\":\"bye\"")) {
            session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
            return;
        }
        Session other;
        synchronized (pair) {
            other = pair[1 - side];
        }
        tell(other, spliced + text.substring(1));
    }

    @OnClose
    public void onClose(Session session, @PathParam("room") String room) {
        Session other;
        synchronized (pair) {
            pair[side] = null;
            other = pair[1 - side];
            if (other == null) {
                ROOMS.remove(room, pair);
            }
        }
        if (other != null && other.isOpen()) {
            tell(other, "{\"type\":\"peer-left\",\"peer\":\"" + room + "-" + side + "\"}");
        }
    }
}
