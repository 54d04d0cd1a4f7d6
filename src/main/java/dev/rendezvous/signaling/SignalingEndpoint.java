package dev.rendezvous.signaling;

import dev.rendezvous.auth.ClientAddress;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.RoomName;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection to one room: decodes what the client sends, hands it on, and replies. Who gets
 * in is {@link Admission}'s decision, the membership {@link Membership}'s business; each error and
 * close is what {@link ErrorCode} and {@link Close} say. Over the usual length only by the six
 * container callbacks, the connection's state and their imports: every decision is made elsewhere.
 */
@ServerEndpoint("/signal/{room}")
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());
    private static final String PONG = OutboundEncoder.INSTANCE.encode(new Outbound.Pong());
    /** Frames up to this multiple of the limit reach the decoder and get a TOO_LARGE error before 1009. */
    private static final int CONTAINER_BUFFER_FACTOR = 2;

    @Inject Admission admission;
    @Inject Membership membership;
    @Inject ConnectionRegistry connections;
    @Inject SignalingConfig config;
    @Inject SignalingEvents events;
    @Inject ViolationLog violations;

    private RoomName room;
    private String address;
    private SessionOutbox connection;
    private Inlet inlet;
    /** Set once in; cleared on leaving, after which nothing this socket sends is relayed. */
    private volatile Member self;

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String requested) {
        connection = new SessionOutbox(session, config.maxOutboxBytes(), connections.closer(), this::ended, events::written);
        session.setMaxTextMessageBufferSize(config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        inlet = new Inlet(config.maxMessageBytes(), config.ratePerSecond(), config.rateBurst(), System.nanoTime(), events);
        address = ClientAddress.of(session);
        Admission.Verdict verdict = admission.admit(connection, address, requested, name -> parameter(session, name));
        Membership.Entry entry = verdict instanceof Admission.Admitted admitted
                ? membership.enter(admitted, parameter(session, "resume"), parameter(session, "received"), connection)
                : (Refusal) verdict;
        if (entry instanceof Membership.Entered in) {
            // The others were told of the newcomer before it can address them: its outbox is held until the welcome goes first.
            room = in.room();
            self = in.member();
            if (in.notice() == null) {
                connection.start(in.welcome());
            } else {
                connection.start(in.notice(), in.welcome());
            }
        } else if (entry instanceof Refusal refusal) {
            connection.start(error(refusal.code(), refusal.message()));
            // The close a moment later: see ConnectionRegistry.closeRefused.
            connections.closeRefused(() -> closeFor(refusal.code().close().reason()));
        }
    }

    /** A text message, whole or one fragment at a time. */
    @OnMessage
    public void onMessage(String part, boolean last) {
        reply(inlet.text(part, last, heard()));
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored) {
        reply(inlet.binary(heard()));
    }

    @OnMessage
    public void onPong(PongMessage pong) {
        heard();
    }

    private long heard() {
        long now = System.nanoTime();
        connection.heard(now);
        return now;
    }

    private void reply(Inbound message) {
        Member me = self;
        if (me == null || message == null) {
            return;
        }
        if (message instanceof Signal signal && !membership.relay(room, me, signal)) {
            connection.send(error(ErrorCode.UNKNOWN_PEER, ErrorCode.UNKNOWN_PEER.text()));
        } else if (message instanceof Inbound.Ping) {
            connection.send(PONG);
        } else if (message instanceof Inbound.Bye) {
            closeFor(Close.BYE.reason());
        } else if (message instanceof Inbound.Flood) {
            violations.report("RATE_ABUSE", address, room.value());
            closeFor(Close.RATE_ABUSE.reason());
        } else if (message instanceof Inbound.Invalid invalid) {
            violations.report(invalid.code().name(), address, room.value());
            connection.send(error(invalid.code(), invalid.message()));
            if (invalid.code().close() != null) {
                closeFor(invalid.code().close().reason());
            }
        }
    }

    @OnClose
    public void onClose(CloseReason reason) {
        connection.closed();
        ended(reason);
    }

    @OnError
    public void onError(Session session, Throwable failure) {
        if (failure instanceof IOException || !session.isOpen()) {
            LOG.log(Level.FINE, "Connection failed", failure);
        } else if (failure.getClass().getSimpleName().endsWith("TooBigException")) {
            // The container's own buffer limit (Tyrus: MessageTooBigException) for frames far over ours.
            violations.report(ErrorCode.TOO_LARGE.name(), address, room == null ? null : room.value());
            closeFor(Close.TOO_LARGE.reason());
        } else {
            LOG.log(Level.WARNING, "Unexpected failure on a signaling connection; closing it", failure);
            closeFor(Close.INTERNAL_ERROR.reason());
        }
    }

    /** The connection is over, whoever noticed first (the container, or the server giving up); idempotent. */
    private void ended(CloseReason reason) {
        connections.release(connection, address, reason);
        Member me = self;
        self = null;
        if (me != null) {
            membership.disconnected(room, me, connection, reason);
        }
    }

    /**
     * Ends the connection now, then queues the close after what is queued: its places (under the
     * caps, in the room) are free before the client sees the close, and unless {@code reason} is
     * one a member may come back from, its member has left.
     */
    private void closeFor(CloseReason reason) {
        ended(reason);
        connection.close(reason);
    }

    private String error(ErrorCode code, String message) {
        events.errorSent(code);
        return OutboundEncoder.INSTANCE.error(code, message);
    }

    private static String parameter(Session session, String name) {
        List<String> values = session.getRequestParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
