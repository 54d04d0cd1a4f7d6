package dev.rendezvous.signaling;

import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.RoomRegistry;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member's connection to one room: joins on open, relays its signals to the others, announces
 * its departure exactly once however it goes. Decoding is {@link InboundDecoder}'s job, membership
 * the {@link RoomRegistry}'s; this class only wires the two to the socket.
 */
@ServerEndpoint(value = "/signal/{room}", decoders = InboundDecoder.class, encoders = OutboundEncoder.class)
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());
    private static final OutboundEncoder ENCODER = new OutboundEncoder();
    private static final String PONG = ENCODER.encode(new Outbound.Pong());
    /** Frames up to this multiple of the limit reach the decoder and get a TOO_LARGE error before 1009. */
    private static final int CONTAINER_BUFFER_FACTOR = 2;

    @Inject
    RoomRegistry registry;

    @Inject
    SignalingConfig config;

    private String room;
    private SessionOutbox outbox;
    /** Set once joined; cleared on leaving, after which nothing this socket sends is relayed. */
    private volatile Member self;

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String room) {
        this.room = room;
        this.outbox = new SessionOutbox(session);
        session.setMaxTextMessageBufferSize(config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        if (!RoomRegistry.isValidRoomName(room)) {
            refuse(ErrorCode.BAD_ROOM, "room names are 1-64 characters of A-Z a-z 0-9 _ -", CloseCodes.BAD_ROOM);
            return;
        }
        List<String> names = session.getRequestParameterMap().get("name");
        String name = Peer.cleanName(names == null || names.isEmpty() ? null : names.get(0));
        JoinResult result = registry.join(room, name, outbox, config.maxPeers());
        if (result instanceof JoinResult.Full full) {
            refuse(ErrorCode.ROOM_FULL, "room is full (" + full.maxPeers() + " peers)", CloseCodes.ROOM_FULL);
            return;
        }
        JoinResult.Joined joined = (JoinResult.Joined) result;
        Member me = joined.self();
        self = me;
        // Others hear of the newcomer before the newcomer can address them: its outbox is
        // held until the welcome goes first.
        String announcement = ENCODER.encode(new Outbound.PeerJoined(me.id(), me.peer().name()));
        for (Member other : joined.others()) {
            other.outbox().send(announcement);
        }
        outbox.start(ENCODER.encode(new Outbound.Welcome(room, me.id(),
                joined.others().stream().map(Member::peer).toList(),
                config.iceServers(), config.limits())));
    }

    @OnMessage
    public void onMessage(Inbound message) {
        Member me = self;
        if (me == null) {
            return;
        }
        if (message instanceof Signal signal) {
            relay(me, signal);
        } else if (message instanceof Inbound.Ping) {
            outbox.send(PONG);
        } else if (message instanceof Inbound.Bye) {
            leave();
            outbox.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
        } else if (message instanceof Inbound.Invalid invalid) {
            reject(invalid);
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored) {
        if (self != null) {
            outbox.send(error(ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol"));
        }
    }

    @OnClose
    public void onClose(CloseReason reason) {
        leave();
    }

    @OnError
    public void onError(Session session, Throwable failure) {
        leave();
        if (failure instanceof IOException || !session.isOpen()) {
            LOG.log(Level.FINE, "Connection failed", failure);
        } else if (failure.getClass().getSimpleName().endsWith("TooBigException")) {
            // The container's own buffer limit (Tyrus: MessageTooBigException) for frames far over ours.
            LOG.log(Level.FINE, "Frame over the container's buffer", failure);
            outbox.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
        } else {
            LOG.log(Level.WARNING, "Unexpected failure on a signaling connection; closing it", failure);
            outbox.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "internal error"));
        }
    }

    private void relay(Member me, Signal signal) {
        String to = signal.to();
        if (to == null) {
            List<Member> members = registry.members(room);
            if (members.size() > 1) {
                String text = ENCODER.encode(signal.from(me.id()));
                for (Member member : members) {
                    if (member != me) {
                        member.outbox().send(text);
                    }
                }
            }
            return;
        }
        Member target = registry.find(room, to);
        if (target == null || target == me) {
            outbox.send(error(ErrorCode.UNKNOWN_PEER, "no other member of this room has that id"));
            return;
        }
        target.outbox().send(ENCODER.encode(signal.from(me.id())));
    }

    private void reject(Inbound.Invalid invalid) {
        outbox.send(error(invalid.code(), invalid.message()));
        if (invalid.code() == ErrorCode.TOO_LARGE) {
            leave();
            outbox.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
        }
    }

    private void refuse(ErrorCode code, String message, CloseReason.CloseCode closeCode) {
        outbox.start(error(code, message));
        outbox.close(new CloseReason(closeCode, code.name()));
    }

    private void leave() {
        Member me = self;
        if (me == null) {
            return;
        }
        self = null;
        List<Member> remaining = registry.leave(room, me);
        if (remaining == null || remaining.isEmpty()) {
            return;
        }
        String departure = ENCODER.encode(new Outbound.PeerLeft(me.id()));
        for (Member member : remaining) {
            member.outbox().send(departure);
        }
    }

    private static String error(ErrorCode code, String message) {
        return ENCODER.encode(new Outbound.ErrorReply(code, message));
    }
}
