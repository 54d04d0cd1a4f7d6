package dev.rendezvous.signaling;

import dev.rendezvous.ice.IceServer;
import dev.rendezvous.room.Peer;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;

import java.util.List;

/** Everything the server sends; the {@code type} field names the record. */
@JsonbTypeInfo(key = "type", value = {
        @JsonbSubtype(alias = "welcome", type = Outbound.Welcome.class),
        @JsonbSubtype(alias = "peer-joined", type = Outbound.PeerJoined.class),
        @JsonbSubtype(alias = "peer-left", type = Outbound.PeerLeft.class),
        @JsonbSubtype(alias = "pong", type = Outbound.Pong.class),
        @JsonbSubtype(alias = "error", type = Outbound.ErrorReply.class),
        @JsonbSubtype(alias = "offer", type = Offer.class),
        @JsonbSubtype(alias = "answer", type = Answer.class),
        @JsonbSubtype(alias = "candidate", type = Candidate.class)
})
public sealed interface Outbound permits Signal, Outbound.Welcome, Outbound.PeerJoined, Outbound.PeerLeft,
        Outbound.Pong, Outbound.ErrorReply {

    /**
     * The first message on every joined socket: who you are, who is already here, how to connect,
     * and the credential to resume this membership if the socket drops. {@code lost} is true (else
     * absent) for a member that came back to a server that restarted: what was sent to it while it
     * was away is gone, so a negotiation that was under way must be started again.
     */
    record Welcome(String room, String peer, List<Peer> peers, List<IceServer> iceServers, Limits limits,
                   String resume, boolean resumed, Boolean lost) implements Outbound {
    }

    /**
     * The limits this room enforces, and how long a member that dropped keeps its place for a
     * resume (0: resume is off).
     */
    record Limits(int maxPeers, int maxMessageBytes, int resumeGraceSeconds) {
    }

    record PeerJoined(String peer, String name) implements Outbound {
    }

    record PeerLeft(String peer) implements Outbound {
    }

    record Pong() implements Outbound {
    }

    /** {@code {"type":"error","code":"…","message":"…"}}. */
    record ErrorReply(ErrorCode code, String message) implements Outbound {
    }
}
