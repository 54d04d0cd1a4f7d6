package dev.rendezvous.signaling;

import dev.rendezvous.ice.IceServers;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Outbox;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Resumptions;
import dev.rendezvous.room.RoomName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A connection's membership of its room, from the welcome to the end: joining afresh or resuming
 * a member whose connection dropped, relaying its signals, parking it for resume when its
 * connection drops, and ending it for good, announced to the others exactly once. A little over
 * the usual length: a fresh join, a resume and a return after a restart end in the same welcome.
 */
@ApplicationScoped
public class Membership {

    private static final OutboundEncoder ENCODER = OutboundEncoder.INSTANCE;

    /** What a connection's attempt to enter its room came to: {@link Entered} or a {@link Refusal}. */
    sealed interface Entry permits Entered, Refusal {
    }

    /**
     * In {@code room} as {@code member}: {@code welcome} goes first, after {@code notice} (the error
     * of a resume that failed before this fresh join) when there is one.
     */
    record Entered(RoomName room, Member member, String welcome, String notice) implements Entry {

        /** What goes out first, in order: the notice, if any, then the welcome. */
        List<String> first() {
            return notice == null ? List.of(welcome) : List.of(notice, welcome);
        }
    }

    @Inject
    Relay relay;
    @Inject
    Resumptions resumptions;
    SignalingConfig config;
    @Inject
    IceServers ice;
    SignalingEvents events;

    /** The beans {@link #relay} calls for every message, not their proxies ({@link ContextualInstances}). */
    @Inject
    void use(BeanManager beans) {
        config = ContextualInstances.of(beans, SignalingConfig.class);
        events = ContextualInstances.of(beans, SignalingEvents.class);
    }

    /**
     * Puts {@code connection} in the room it was admitted to: as the member its {@code resumeToken}
     * names, with what it missed after the {@code received} it reports, or else as a new member.
     */
    Entry enter(Admission.Admitted admitted, String resumeToken, String received, Outbox connection) {
        String notice = null;
        if (resumeToken != null) {
            Entry resumed = resume(admitted.room(), admitted.maxPeers(), resumeToken, received, connection);
            events.resumeAttempted(resumed instanceof Entered);
            if (resumed instanceof Entered) {
                return resumed;
            }
            events.errorSent(ErrorCode.RESUME_FAILED);
            notice = ENCODER.error(ErrorCode.RESUME_FAILED, ((Refusal) resumed).message());
        }
        return join(admitted.room(), admitted.name(), admitted.maxPeers(), connection, notice);
    }

    private Entry join(RoomName room, String name, int maxPeers, Outbox connection, String notice) {
        boolean resumable = config.resumeGraceSeconds() > 0;
        JoinResult result = relay.join(room, name, new Mailbox(connection, resumable), maxPeers, config.maxRooms());
        if (result instanceof JoinResult.Full full) {
            return new Refusal(ErrorCode.ROOM_FULL, "room is full (" + full.maxPeers() + " peers)");
        }
        if (result instanceof JoinResult.TooManyRooms rooms) {
            return new Refusal(ErrorCode.TOO_MANY_ROOMS,
                    "the server has " + rooms.maxRooms() + " rooms, as many as it allows; try again later");
        }
        JoinResult.Joined joined = (JoinResult.Joined) result;
        Member me = joined.self();
        String token = resumable ? resumptions.issue(room, me) : null;
        return new Entered(room, me, welcome(room, me, joined.others(), maxPeers, token, false, false), notice);
    }

    /** Moves a parked (or not yet noticed as dropped) member to {@code connection}, or says why not (RESUME_FAILED). */
    private Entry resume(RoomName room, int maxPeers, String token, String receivedText, Outbox connection) {
        long received = receivedText == null ? Mailbox.RECEIVED_UNKNOWN : count(receivedText);
        if (received < 0 && receivedText != null) {
            return new Refusal(ErrorCode.RESUME_FAILED, "received must be a count of messages");
        }
        Resumptions.Claimed claimed = resumptions.claim(token, room);
        if (claimed == null) {
            return new Refusal(ErrorCode.RESUME_FAILED, "the resume token is unknown, used or expired");
        }
        if (claimed instanceof Resumptions.Returning returning) {
            return comeBack(returning, received, maxPeers, connection);
        }
        Member me = ((Resumptions.Place) claimed).member();
        Outbox previous = me.mailbox().live();
        boolean moved = me.mailbox().reattach(connection, received);
        if (!moved) {
            left(room, me);
        }
        // A connection still attached (its drop not yet noticed) must not go on as this member.
        if (previous instanceof SessionOutbox old) {
            // Released here, not when the container reports the close: for a connection that is
            // already dead it sometimes never does.
            old.giveUp(Close.SUPERSEDED.reason());
        }
        if (!moved) {
            return new Refusal(ErrorCode.RESUME_FAILED, "more messages were missed than the server keeps");
        }
        List<Peer> others = relay.peers(room).stream().filter(p -> !p.peer().equals(me.id())).toList();
        return new Entered(room, me, welcome(room, me, others, maxPeers, resumptions.issue(room, me), true, false), null);
    }

    /** {@code text} as a count: ASCII digits alone (no sign, no other script's digits), or -1. */
    static long count(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * A member this server does not hold takes its id and name back: the server restarted since it
     * was welcomed, or another node of the cluster held it (which hands over what it missed, when it
     * still can). Others who knew it keep it; after a restart they hear it joined, which for those
     * that knew it means it is back.
     */
    private Entry comeBack(Resumptions.Returning returning, long received, int maxPeers, Outbox connection) {
        RoomName room = returning.room();
        JoinResult result = relay.rejoin(room, returning.peer(), returning.serial(), received, new Mailbox(connection, true),
                maxPeers, config.maxRooms());
        if (!(result instanceof JoinResult.Resumed back)) {
            return new Refusal(ErrorCode.RESUME_FAILED, result instanceof JoinResult.Taken
                    ? "that id is taken, or its credential was used" : "there is no room to come back to");
        }
        Member me = back.self();
        return new Entered(room, me, welcome(room, me, back.others(), maxPeers, resumptions.issue(room, me), true, back.lost()), null);
    }

    private String welcome(RoomName room, Member me, List<Peer> others, int maxPeers, String resumeToken, boolean resumed,
                           boolean lost) {
        return ENCODER.encode(new Outbound.Welcome(room.value(), me.id(), others, ice.forPeer(me.id()),
                new Outbound.Limits(maxPeers, config.maxMessageBytes(), config.resumeGraceSeconds()), resumeToken, resumed, lost ? Boolean.TRUE : null));
    }

    /**
     * The connection of {@code me} ended for {@code reason}: a drop parks the member for resume
     * (when resume is on), anything else ends its membership, unless another connection has
     * taken the member over meanwhile.
     */
    void disconnected(RoomName room, Member me, Outbox connection, CloseReason reason) {
        if (config.resumeGraceSeconds() > 0 && Close.mayComeBack(reason)) {
            if (me.mailbox().detach(connection)) {
                resumptions.park(me, System.nanoTime() + TimeUnit.SECONDS.toNanos(config.resumeGraceSeconds()));
            }
        } else if (me.mailbox().isAttachedTo(connection)) {
            left(room, me);
        }
    }

    /** Ends the membership for good (no resume) and tells the others, unless it had already ended. */
    void left(RoomName room, Member member) {
        resumptions.forget(member);
        relay.leave(room, member);
        member.mailbox().retire();
    }

    /** Relays {@code signal} from {@code me} to the one it names, or to all the others; false when it names nobody here. */
    boolean relay(RoomName room, Member me, Signal signal) {
        String encoded = ENCODER.encode(signal.from(me.id()));
        if (signal.to() == null) {
            relay.toOthers(room, me, encoded);
        } else if (!relay.toMember(room, me, signal.to(), encoded)) {
            return false;
        }
        events.relayed(signal);
        return true;
    }
}
