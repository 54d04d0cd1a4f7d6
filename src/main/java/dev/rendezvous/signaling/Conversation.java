package dev.rendezvous.signaling;

import dev.rendezvous.room.Member;
import dev.rendezvous.room.Outbox;
import dev.rendezvous.room.RoomName;

/**
 * What a member says on its connection, and what it gets back: a signal is relayed (or answered
 * {@code UNKNOWN_PEER}), a ping gets a pong, a broken rule gets its error and a line in the
 * violation log. What ends the connection is handed back as the close to end it with.
 */
final class Conversation {

    private static final String PONG = OutboundEncoder.INSTANCE.encode(new Outbound.Pong());

    private final RoomName room;
    private final Member member;
    private final Outbox connection;
    private final String address;
    private final Membership membership;
    private final ViolationLog violations;
    private final SignalingEvents events;

    Conversation(RoomName room, Member member, Outbox connection, String address, Membership membership,
                 ViolationLog violations, SignalingEvents events) {
        this.room = room;
        this.member = member;
        this.connection = connection;
        this.address = address;
        this.membership = membership;
        this.violations = violations;
        this.events = events;
    }

    RoomName room() {
        return room;
    }

    Member member() {
        return member;
    }

    /** Answers {@code message}; the close that must follow, or null when the conversation goes on. */
    Close reply(Inbound message) {
        if (message instanceof Signal signal && !membership.relay(room, member, signal)) {
            tell(ErrorCode.UNKNOWN_PEER, ErrorCode.UNKNOWN_PEER.text());
        } else if (message instanceof Inbound.Ping) {
            connection.send(PONG);
        } else if (message instanceof Inbound.Bye) {
            return Close.BYE;
        } else if (message instanceof Inbound.Flood) {
            violations.report("RATE_ABUSE", address, room.value());
            return Close.RATE_ABUSE;
        } else if (message instanceof Inbound.Invalid invalid) {
            violations.report(invalid.code().name(), address, room.value());
            tell(invalid.code(), invalid.message());
            return invalid.code().close();
        }
        return null;
    }

    private void tell(ErrorCode code, String message) {
        events.errorSent(code);
        connection.send(OutboundEncoder.INSTANCE.error(code, message));
    }
}
