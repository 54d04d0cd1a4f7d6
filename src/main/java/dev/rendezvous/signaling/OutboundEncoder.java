package dev.rendezvous.signaling;

import dev.rendezvous.ice.IceServer;
import dev.rendezvous.room.Peer;

import java.util.List;
import java.util.function.BiConsumer;

import static dev.rendezvous.signaling.SignalEncoder.string;

/**
 * Turns any {@link Outbound} into its JSON text. Messages are encoded once and the text is fanned
 * out. Relayed signals, the bulk of the traffic, are written by {@link SignalEncoder}; the server's
 * own messages here, by hand as well: each join writes a welcome and a {@code peer-joined}, which
 * JSON-B's general path (a generator, a serializer chain, a recursion check that hashes the whole
 * record) wrote in about 5 µs, against under 1 µs here. The records' JSON-B mapping stays the
 * reference: {@code OutboundEncoderTest} holds every message written here to what JSON-B writes.
 * As JSON-B does, a field whose value is null is left out.
 */
final class OutboundEncoder {

    static final OutboundEncoder INSTANCE = new OutboundEncoder();
    /** Room for a welcome's field names, its limits and its credential. */
    private static final int WELCOME_LENGTH = 384;
    /** Room for one peer of a welcome. */
    private static final int PEER_LENGTH = 64;

    String encode(Outbound message) {
        if (message instanceof Signal signal) {
            return SignalEncoder.encode(signal);
        }
        if (message instanceof Outbound.Welcome welcome) {
            return welcome(welcome);
        }
        if (message instanceof Outbound.PeerJoined joined) {
            StringBuilder out = new StringBuilder(PEER_LENGTH + 32).append("{\"type\":\"peer-joined\"");
            field(out, "peer", joined.peer());
            field(out, "name", joined.name());
            return out.append('}').toString();
        }
        if (message instanceof Outbound.PeerLeft left) {
            StringBuilder out = new StringBuilder(PEER_LENGTH).append("{\"type\":\"peer-left\"");
            field(out, "peer", left.peer());
            return out.append('}').toString();
        }
        if (message instanceof Outbound.ErrorReply error) {
            StringBuilder out = new StringBuilder(PEER_LENGTH + 64).append("{\"type\":\"error\"");
            field(out, "code", error.code() == null ? null : error.code().name());
            field(out, "message", error.message());
            return out.append('}').toString();
        }
        if (message instanceof Outbound.Pong) {
            return "{\"type\":\"pong\"}";
        }
        throw new IllegalArgumentException("no JSON form for " + message.getClass().getName());
    }

    /** The error message {@code {"type":"error","code":…,"message":…}}. */
    String error(ErrorCode code, String message) {
        return encode(new Outbound.ErrorReply(code, message));
    }

    private static String welcome(Outbound.Welcome welcome) {
        List<Peer> peers = welcome.peers();
        StringBuilder out = new StringBuilder(WELCOME_LENGTH + (peers == null ? 0 : PEER_LENGTH * peers.size()))
                .append("{\"type\":\"welcome\"");
        field(out, "room", welcome.room());
        field(out, "peer", welcome.peer());
        array(out, "peers", peers, OutboundEncoder::peer);
        array(out, "iceServers", welcome.iceServers(), OutboundEncoder::iceServer);
        Outbound.Limits limits = welcome.limits();
        if (limits != null) {
            out.append(",\"limits\":{\"maxPeers\":").append(limits.maxPeers())
                    .append(",\"maxMessageBytes\":").append(limits.maxMessageBytes())
                    .append(",\"resumeGraceSeconds\":").append(limits.resumeGraceSeconds()).append('}');
        }
        field(out, "resume", welcome.resume());
        out.append(",\"resumed\":").append(welcome.resumed());
        if (welcome.lost() != null) {
            out.append(",\"lost\":").append(welcome.lost().booleanValue());
        }
        return out.append('}').toString();
    }

    private static void peer(StringBuilder out, Peer peer) {
        int start = out.length();
        field(out, "peer", peer.peer());
        field(out, "name", peer.name());
        closeObject(out, start);
    }

    private static void iceServer(StringBuilder out, IceServer server) {
        int start = out.length();
        array(out, "urls", server.urls(), SignalEncoder::string);
        field(out, "username", server.username());
        field(out, "credential", server.credential());
        closeObject(out, start);
    }

    /** {@code ,"name":[…]}, each item written by {@code item} (null as {@code null}), or nothing when the list is null. */
    private static <T> void array(StringBuilder out, String name, List<T> items, BiConsumer<StringBuilder, T> item) {
        if (items == null) {
            return;
        }
        out.append(",\"").append(name).append("\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            T value = items.get(i);
            if (value == null) {
                out.append("null");
            } else {
                item.accept(out, value);
            }
        }
        out.append(']');
    }

    /** Makes the fields written from {@code start} on, each led by a comma, one object. */
    private static void closeObject(StringBuilder out, int start) {
        if (out.length() == start) {
            out.append("{}");
        } else {
            out.setCharAt(start, '{');
            out.append('}');
        }
    }

    /** {@code ,"name":"value"}, or nothing when the value is null. */
    private static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(",\"").append(name).append("\":");
            string(out, value);
        }
    }
}
