package dev.rendezvous.signaling;

import dev.rendezvous.auth.ClientAddress;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Relay;
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
 * One connection to one room: decodes what the client sends, hands it on, and replies. Whether it
 * gets in is {@link Admission}'s decision, its membership {@link Membership}'s, delivery the
 * {@link Relay}'s; what each error and close is, {@link ErrorCode} and {@link Close} say.
 */
@ServerEndpoint("/signal/{room}")
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());
    private static final String PONG = OutboundEncoder.INSTANCE.encode(new Outbound.Pong());
    /** Frames up to this multiple of the limit reach the decoder and get a TOO_LARGE error before 1009. */
    private static final int CONTAINER_BUFFER_FACTOR = 2;

    @Inject
    Admission admission;
    @Inject
    Membership membership;
    @Inject
    Relay relay;
    @Inject
    ConnectionRegistry connections;
    @Inject
    SignalingConfig config;
    @Inject
    SignalingEvents events;
    @Inject
    ViolationLog violations;

    private RoomName room;
    private String address;
    private SessionOutbox connection;
    /** Whether the connection was counted under the caps, and so is released when it ends. */
    private boolean counted;
    private RateLimiter limiter;
    private InboundDecoder decoder;
    private Fragments fragments;
    /** Set once in; cleared on leaving, after which nothing this socket sends is relayed. */
    private volatile Member self;

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String requested) {
        connection = new SessionOutbox(session, config.maxOutboxBytes(), connections.closer(), this::ended, events::written);
        session.setMaxTextMessageBufferSize(config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        address = ClientAddress.of(session);
        Admission.Verdict verdict = admission.admit(connection, address, requested, name -> parameter(session, name));
        counted = !(verdict instanceof Admission.Refused refused) || refused.counted();
        limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), System.nanoTime());
        decoder = new InboundDecoder(config.maxMessageBytes());
        fragments = new Fragments(config.maxMessageBytes());
        if (verdict instanceof Admission.Refused refused) {
            refuse(refused.code(), refused.message());
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) verdict;
        room = admitted.room();
        Membership.Entry entry = membership.enter(room, admitted.name(), admitted.maxPeers(),
                parameter(session, "resume"), parameter(session, "received"), connection);
        if (entry instanceof Membership.Refused refused) {
            refuse(refused.code(), refused.message());
            return;
        }
        Membership.Entered entered = (Membership.Entered) entry;
        // The others were told of a newcomer before it can address them: its outbox is held until the welcome goes first.
        self = entered.member();
        if (entered.resumeFailure() == null) {
            connection.start(entered.welcome());
        } else {
            connection.start(error(ErrorCode.RESUME_FAILED, entered.resumeFailure()), entered.welcome());
        }
    }

    /** A text message, whole or one fragment at a time. */
    @OnMessage
    public void onMessage(String part, boolean last) {
        long now = System.nanoTime();
        connection.heard(now);
        Member me = self;
        String text = fragments.add(part, last);
        if (me == null || text == null) {
            return;
        }
        if (text == Fragments.OVER_LIMIT) {
            refuseAndLeave(me, ErrorCode.TOO_LARGE, "message is larger than " + config.maxMessageBytes() + " bytes");
        } else if (withinRate(now)) {
            reply(me, decoder.decode(text));
        }
    }

    private void reply(Member me, Inbound message) {
        if (message instanceof Signal signal) {
            String encoded = OutboundEncoder.INSTANCE.encode(signal.from(me.id()));
            if (signal.to() == null) {
                relay.toOthers(room, me, encoded);
            } else if (!relay.toMember(room, me, signal.to(), encoded)) {
                connection.send(error(ErrorCode.UNKNOWN_PEER, ErrorCode.UNKNOWN_PEER.text()));
                return;
            }
            events.relayed(signal);
        } else if (message instanceof Inbound.Ping) {
            connection.send(PONG);
        } else if (message instanceof Inbound.Bye) {
            leave(me, Close.BYE);
        } else if (message instanceof Inbound.Invalid invalid && invalid.code().close() != null) {
            refuseAndLeave(me, invalid.code(), invalid.message());
        } else if (message instanceof Inbound.Invalid invalid) {
            violations.report(invalid.code().name(), address, room.value());
            connection.send(error(invalid.code(), invalid.message()));
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored) {
        long now = System.nanoTime();
        connection.heard(now);
        if (self != null && withinRate(now)) {
            violations.report(ErrorCode.BAD_MESSAGE.name(), address, room.value());
            connection.send(error(ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol"));
        }
    }

    @OnMessage
    public void onPong(PongMessage pong) {
        connection.heard(System.nanoTime());
    }

    private boolean withinRate(long now) {
        RateLimiter.Verdict verdict = limiter.take(now);
        if (verdict == RateLimiter.Verdict.ACCEPT) {
            return true;
        }
        events.rateLimited();
        if (verdict == RateLimiter.Verdict.REFUSE) {
            violations.report(ErrorCode.RATE_LIMITED.name(), address, room.value());
            connection.send(error(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.text()));
        } else {
            violations.report("RATE_ABUSE", address, room.value());
            closeFor(Close.RATE_ABUSE.reason());
        }
        return false;
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
            LOG.log(Level.FINE, "Frame over the container's buffer", failure);
            violations.report(ErrorCode.TOO_LARGE.name(), address, room == null ? null : room.value());
            closeFor(Close.TOO_LARGE.reason());
        } else {
            LOG.log(Level.WARNING, "Unexpected failure on a signaling connection; closing it", failure);
            closeFor(Close.INTERNAL_ERROR.reason());
        }
    }

    /** The connection is over, whoever noticed first (the container, or the server giving up); idempotent. */
    private void ended(CloseReason reason) {
        if (counted && connections.release(connection, address)) {
            events.closed(reason.getCloseCode().getCode());
        }
        Member me = self;
        self = null;
        if (me != null) {
            membership.disconnected(room, me, connection, reason);
        }
    }

    /** A message that breaks a limit: the sender is told why, and leaves. */
    private void refuseAndLeave(Member me, ErrorCode code, String message) {
        violations.report(code.name(), address, room.value());
        connection.send(error(code, message));
        leave(me, code.close());
    }

    /** Leaves for good, then closes once everything queued is written. */
    private void leave(Member me, Close close) {
        self = null;
        membership.left(room, me);
        closeFor(close.reason());
    }

    /** Ends the connection now, then queues the close: its places (under the caps, in the room) are free before the client sees it. */
    private void closeFor(CloseReason reason) {
        ended(reason);
        connection.close(reason);
    }

    /** Refused before it was in: the error at once, the close a moment later (see {@link ConnectionRegistry#closeRefused}). */
    private void refuse(ErrorCode code, String message) {
        connection.start(error(code, message));
        connections.closeRefused(() -> closeFor(code.close().reason()));
    }

    private static String parameter(Session session, String name) {
        List<String> values = session.getRequestParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private String error(ErrorCode code, String message) {
        events.errorSent(code);
        return OutboundEncoder.INSTANCE.encode(new Outbound.ErrorReply(code, message));
    }
}
