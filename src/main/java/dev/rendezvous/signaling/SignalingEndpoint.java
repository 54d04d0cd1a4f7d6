package dev.rendezvous.signaling;

import dev.rendezvous.auth.Admission;
import dev.rendezvous.auth.AuthSettings;
import dev.rendezvous.auth.ClientAddress;
import dev.rendezvous.ice.IceServers;
import dev.rendezvous.ops.MetricRegistry;
import dev.rendezvous.ops.ViolationLog;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Outbox;
import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Resumptions;
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
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection to one room: admits it (caps, room name, token), joins or resumes its member,
 * relays its signals, and on close either parks the member for resume or announces its departure.
 * Decoding is {@link InboundDecoder}'s job, membership and delivery the {@link Relay}'s.
 */
@ServerEndpoint("/signal/{room}")
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());
    private static final OutboundEncoder ENCODER = OutboundEncoder.INSTANCE;
    private static final String PONG = ENCODER.encode(new Outbound.Pong());
    /** Frames up to this multiple of the limit reach the decoder and get a TOO_LARGE error before 1009. */
    private static final int CONTAINER_BUFFER_FACTOR = 2;

    @Inject
    Relay relay;
    @Inject
    Resumptions resumptions;
    @Inject
    Presence presence;
    @Inject
    ConnectionRegistry connections;
    @Inject
    SignalingConfig config;
    @Inject
    AuthSettings auth;
    @Inject
    IceServers ice;
    @Inject
    MetricRegistry metrics;
    @Inject
    ViolationLog violations;

    private String room;
    private String address;
    private SessionOutbox connection;
    private RateLimiter limiter;
    private InboundDecoder decoder;
    /** The fragments of a text message so far, or null between messages. */
    private Fragments fragments;
    /** Set once joined; cleared on leaving, after which nothing this socket sends is relayed. */
    private volatile Member self;

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String room) {
        this.room = room;
        this.connection = new SessionOutbox(session, config.maxOutboxBytes(), connections.closer(), this::ended,
                metrics.relayLatency());
        session.setMaxTextMessageBufferSize(config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        address = ClientAddress.of(session);
        ErrorCode capped = connections.admit(connection, address, config.maxConnections(), config.maxConnectionsPerAddress());
        if (capped != null) {
            refuse(capped, "the server has as many connections as it allows; try again later", CloseReason.CloseCodes.TRY_AGAIN_LATER);
            return;
        }
        limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), System.nanoTime());
        decoder = new InboundDecoder(config.maxMessageBytes());
        if (!LocalRelay.isValidRoomName(room)) {
            violations.report(ErrorCode.BAD_ROOM.name(), address, room);
            refuse(ErrorCode.BAD_ROOM, "room names are 1-64 characters of A-Z a-z 0-9 _ -", CloseCodes.BAD_ROOM);
            return;
        }
        Admission admission = auth.admit(parameter(session, "token"), room);
        if (admission instanceof Admission.Denied denied) {
            violations.report(ErrorCode.UNAUTHORIZED.name(), address, room);
            refuse(ErrorCode.UNAUTHORIZED, denied.reason(), CloseCodes.UNAUTHORIZED);
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) admission;
        int maxPeers = admitted.maxPeers() != null ? admitted.maxPeers() : config.maxPeers();
        String resumeToken = parameter(session, "resume");
        String resumeFailure = null;
        if (resumeToken != null) {
            resumeFailure = resume(resumeToken, parameter(session, "received"), maxPeers);
            metrics.resumeAttempted(resumeFailure == null);
            if (resumeFailure == null) {
                return;
            }
        }
        String name = Peer.cleanName(admitted.name() != null ? admitted.name() : parameter(session, "name"));
        join(name, maxPeers, resumeFailure == null ? null : error(ErrorCode.RESUME_FAILED, resumeFailure));
    }

    private void join(String name, int maxPeers, String before) {
        boolean resumable = config.resumeGraceSeconds() > 0;
        JoinResult result = relay.join(room, name, new Mailbox(connection, resumable), maxPeers, config.maxRooms());
        if (result instanceof JoinResult.Full full) {
            refuse(ErrorCode.ROOM_FULL, "room is full (" + full.maxPeers() + " peers)", CloseCodes.ROOM_FULL);
            return;
        }
        if (result instanceof JoinResult.TooManyRooms rooms) {
            refuse(ErrorCode.TOO_MANY_ROOMS, "the server has " + rooms.maxRooms() + " rooms, as many as it allows; try again later",
                    CloseReason.CloseCodes.TRY_AGAIN_LATER);
            return;
        }
        JoinResult.Joined joined = (JoinResult.Joined) result;
        Member me = joined.self();
        self = me;
        // The relay told the others of the newcomer before the newcomer can address them: its
        // outbox is held until the welcome goes first.
        String welcome = welcome(me, joined.others(), maxPeers, resumable ? resumptions.issue(room, me) : null, false);
        if (before == null) {
            connection.start(welcome);
        } else {
            connection.start(before, welcome);
        }
    }

    /** Moves a parked (or not yet noticed as dropped) member to this connection; returns why not, or null. */
    private String resume(String token, String receivedText, int maxPeers) {
        long received;
        try {
            received = receivedText == null ? Mailbox.RECEIVED_UNKNOWN : Long.parseLong(receivedText);
        } catch (NumberFormatException e) {
            return "received must be a count of messages";
        }
        Resumptions.Place place = resumptions.claim(token, room);
        if (place == null) {
            return "the resume token is unknown, used or expired";
        }
        Member me = place.member();
        Outbox previous = me.mailbox().live();
        boolean moved = me.mailbox().reattach(connection, received);
        if (!moved) {
            presence.left(room, me);
        }
        // A connection still attached (its drop not yet noticed) must not go on as this member.
        if (previous instanceof SessionOutbox old) {
            // Released here, not when the container reports the close: for a connection that is
            // already dead it sometimes never does.
            old.giveUp(CloseCodes.SUPERSEDED);
        }
        if (!moved) {
            return "more messages were missed than the server keeps";
        }
        self = me;
        List<Peer> others = relay.peers(room).stream().filter(p -> !p.peer().equals(me.id())).toList();
        connection.start(welcome(me, others, maxPeers, resumptions.issue(room, me), true));
        return null;
    }

    private String welcome(Member me, List<Peer> others, int maxPeers, String resumeToken, boolean resumed) {
        return ENCODER.encode(new Outbound.Welcome(room, me.id(), others,
                ice.forPeer(me.id()), new Outbound.Limits(maxPeers, config.maxMessageBytes()), resumeToken, resumed));
    }

    /**
     * A text message, whole or one fragment at a time: the fragments are joined here, under the
     * size limit, as a container may buffer a fragmented message without bound (WildFly's did,
     * until its heap ran out).
     */
    @OnMessage
    public void onMessage(String part, boolean last) {
        if (fragments == null && last) {
            onText(part);
            return;
        }
        connection.heard(System.nanoTime());
        if (fragments == null) {
            fragments = new Fragments(config.maxMessageBytes());
        }
        if (!fragments.add(part)) {
            fragments = null;
            overLimit();
            return;
        }
        if (last) {
            String text = fragments.text();
            fragments = null;
            onText(text);
        }
    }

    /** A message over the limit, seen before it was whole: the sender leaves, told why. */
    private void overLimit() {
        Member me = self;
        if (me != null) {
            violations.report(ErrorCode.TOO_LARGE.name(), address, room);
            connection.send(error(ErrorCode.TOO_LARGE, "message is larger than " + config.maxMessageBytes() + " bytes"));
            leave(me, new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
        }
    }

    private void onText(String text) {
        long now = System.nanoTime();
        connection.heard(now);
        Member me = self;
        if (me == null || !withinRate(now)) {
            return;
        }
        Inbound message = decoder.decode(text);
        if (message instanceof Signal signal) {
            forward(me, signal);
        } else if (message instanceof Inbound.Ping) {
            connection.send(PONG);
        } else if (message instanceof Inbound.Bye) {
            leave(me, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
        } else if (message instanceof Inbound.Invalid invalid) {
            violations.report(invalid.code().name(), address, room);
            connection.send(error(invalid.code(), invalid.message()));
            if (invalid.code() == ErrorCode.TOO_LARGE) {
                leave(me, new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
            }
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored) {
        long now = System.nanoTime();
        connection.heard(now);
        if (self != null && withinRate(now)) {
            violations.report(ErrorCode.BAD_MESSAGE.name(), address, room);
            connection.send(error(ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol"));
        }
    }

    @OnMessage
    public void onPong(PongMessage pong) {
        connection.heard(System.nanoTime());
    }

    private boolean withinRate(long now) {
        switch (limiter.take(now)) {
            case ACCEPT:
                return true;
            case REFUSE:
                metrics.rateLimited();
                violations.report(ErrorCode.RATE_LIMITED.name(), address, room);
                connection.send(error(ErrorCode.RATE_LIMITED, "too many messages: this one was dropped"));
                return false;
            default:
                metrics.rateLimited();
                violations.report("RATE_ABUSE", address, room);
                closeFor(new CloseReason(CloseCodes.RATE_ABUSE, "too many messages"));
                return false;
        }
    }

    @OnClose
    public void onClose(CloseReason reason) {
        connection.closed();
        ended(reason);
    }

    /** The connection is over, whoever noticed first (the container, or the server giving up); idempotent. */
    private void ended(CloseReason reason) {
        if (limiter == null) {
            return; // refused before it was counted
        }
        if (connections.release(connection, address)) {
            metrics.closed(reason.getCloseCode().getCode());
        }
        Member me = self;
        self = null;
        if (me == null) {
            return;
        }
        if (config.resumeGraceSeconds() > 0 && mayComeBack(reason)) {
            if (me.mailbox().detach(connection)) {
                resumptions.park(me, System.nanoTime() + TimeUnit.SECONDS.toNanos(config.resumeGraceSeconds()));
            }
        } else if (me.mailbox().isAttachedTo(connection)) {
            presence.left(room, me);
        }
    }

    /**
     * Connections that dropped rather than ended: no close frame, a failed write, cut off for reading
     * too slowly, gone silent, or a client that said it will be back. Its member is kept for resume.
     */
    static boolean mayComeBack(CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        return code == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode() && !isInvalidText(reason)
                || reason == SessionOutbox.WRITE_FAILED
                || reason == SessionOutbox.TOO_SLOW
                || code == Heartbeat.SILENT.getCloseCode().getCode() || code == CloseCodes.BE_RIGHT_BACK;
    }

    /**
     * Undertow closes a socket that sent text that is not UTF-8 with 1007, but reports it to the
     * endpoint as 1006 with its message {@code UT002003}: that client was not cut off, it broke
     * the protocol, and leaves like one closed with 1007.
     */
    private static boolean isInvalidText(CloseReason reason) {
        String phrase = reason.getReasonPhrase();
        return phrase != null && phrase.startsWith("UT002003");
    }

    @OnError
    public void onError(Session session, Throwable failure) {
        if (failure instanceof IOException || !session.isOpen()) {
            LOG.log(Level.FINE, "Connection failed", failure);
        } else if (failure.getClass().getSimpleName().endsWith("TooBigException")) {
            // The container's own buffer limit (Tyrus: MessageTooBigException) for frames far over ours.
            LOG.log(Level.FINE, "Frame over the container's buffer", failure);
            violations.report(ErrorCode.TOO_LARGE.name(), address, room);
            closeFor(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
        } else {
            LOG.log(Level.WARNING, "Unexpected failure on a signaling connection; closing it", failure);
            closeFor(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "internal error"));
        }
    }

    private void forward(Member me, Signal signal) {
        String to = signal.to();
        String text = ENCODER.encode(signal.from(me.id()));
        if (to == null) {
            relay.toOthers(room, me, text);
            metrics.relayed(signal);
        } else if (relay.toMember(room, me, to, text)) {
            metrics.relayed(signal);
        } else {
            connection.send(error(ErrorCode.UNKNOWN_PEER, "no other member of this room has that id"));
        }
    }

    /** Leaves for good, then closes once everything queued is written. */
    private void leave(Member me, CloseReason reason) {
        self = null;
        presence.left(room, me);
        closeFor(reason);
    }

    /**
     * Ends the connection for {@code reason} now, then queues the close: its places (its count
     * under the caps, its membership) are free before the client can see the close.
     */
    private void closeFor(CloseReason reason) {
        ended(reason);
        connection.close(reason);
    }

    private void refuse(ErrorCode code, String message, CloseReason.CloseCode closeCode) {
        connection.start(error(code, message));
        CloseReason reason = new CloseReason(closeCode, code.name());
        connections.closeRefused(() -> closeFor(reason));
    }

    private static String parameter(Session session, String name) {
        List<String> values = session.getRequestParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private String error(ErrorCode code, String message) {
        metrics.errorSent(code);
        return ENCODER.encode(new Outbound.ErrorReply(code, message));
    }
}
