package dev.rendezvous.signaling;

import dev.rendezvous.auth.ClientAddress;
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
 * in is {@link Admission}'s decision, the membership {@link Membership}'s business, what each
 * message gets the {@link Conversation}'s; each error and close is what {@link ErrorCode} and
 * {@link Close} say.
 */
@ServerEndpoint(value = "/signal/{room}", configurator = EndpointFactory.class)
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());
    /**
     * Frames up to this multiple of the limit reach the decoder and get a TOO_LARGE error before
     * 1009; a larger one is not read, and gets 1009 alone.
     */
    private static final int CONTAINER_BUFFER_FACTOR = 2;

    private final Admission admission;
    private final Membership membership;
    private final ConnectionRegistry connections;
    private final SignalingConfig config;
    private final SignalingEvents events;
    private final ViolationLog violations;

    private String address;
    private SessionOutbox connection;
    private Inlet inlet;
    /** Set once in; cleared when the connection ends, after which nothing it sends is relayed. */
    private volatile Conversation conversation;

    /** Made by {@link EndpointFactory}, one per connection. */
    SignalingEndpoint(EndpointServices services) {
        admission = services.admission;
        membership = services.membership;
        connections = services.connections;
        config = services.config;
        events = services.events;
        violations = services.violations;
    }

    @OnOpen
    public void onOpen(Session session, @PathParam("room") String requested) {
        // Text frames written past Tyrus where the connection allows it; a negotiated extension would have to transform them.
        TextFrames frames = session.getNegotiatedExtensions().isEmpty() ? UpgradeThread.opening() : null;
        connection = new SessionOutbox(session, frames, config.maxOutboxBytes(), connections.closer(), this::ended,
                events::written);
        session.setMaxTextMessageBufferSize(config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        LingeringUpgrade.FrameCap input = UpgradeThread.openingInput();
        if (input != null) {
            // Else Tyrus buffers such a frame whole, up to 4 MiB, before its own limit looks at it.
            input.cap((long) config.maxMessageBytes() * CONTAINER_BUFFER_FACTOR, this::frameTooLarge);
        }
        inlet = new Inlet(config.maxMessageBytes(), config.ratePerSecond(), config.rateBurst(), events, connection);
        address = ClientAddress.of(session);
        Admission.Verdict verdict = admission.admit(connection, address, requested, name -> parameter(session, name));
        Membership.Entry entry = verdict instanceof Admission.Admitted admitted
                ? membership.enter(admitted, parameter(session, "resume"), parameter(session, "received"), connection)
                : (Refusal) verdict;
        if (entry instanceof Membership.Entered in) {
            // The others were told of the newcomer before it can address them: its outbox is held until the welcome goes first.
            conversation = new Conversation(in.room(), in.member(), connection, address, membership, violations, events);
            connection.start(in.first());
        } else if (entry instanceof Refusal refusal) {
            events.errorSent(refusal.code());
            connection.start(OutboundEncoder.INSTANCE.error(refusal.code(), refusal.message()));
            // The close a moment later: see ConnectionRegistry.closeRefused.
            connections.closeRefused(() -> closeFor(refusal.code().close().reason()));
        }
    }

    /** A text message, whole or one fragment at a time. */
    @OnMessage
    public void onMessage(String part, boolean last) {
        reply(inlet.text(part, last));
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored) {
        reply(inlet.binary());
    }

    @OnMessage
    public void onPong(PongMessage pong) {
        inlet.heard();
    }

    private void reply(Inbound message) {
        Conversation current = conversation;
        Close close = current == null || message == null ? null : current.reply(message);
        if (close != null) {
            closeFor(close.reason());
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
            frameTooLarge();
        } else {
            LOG.log(Level.WARNING, "Unexpected failure on a signaling connection; closing it", failure);
            closeFor(Close.INTERNAL_ERROR.reason());
        }
    }

    /** A frame over the container's buffer for one ({@link #CONTAINER_BUFFER_FACTOR}): 1009, the frame unread. */
    private void frameTooLarge() {
        Conversation current = conversation;
        violations.report(ErrorCode.TOO_LARGE.name(), address, current == null ? null : current.room().value());
        closeFor(Close.TOO_LARGE.reason());
    }

    /** The connection is over, whoever noticed first (the container, or the server giving up); idempotent. */
    private void ended(CloseReason reason) {
        connections.release(connection, address, reason);
        Conversation current = conversation;
        conversation = null;
        if (current != null) {
            membership.disconnected(current.room(), current.member(), connection, reason);
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

    private static String parameter(Session session, String name) {
        List<String> values = session.getRequestParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
